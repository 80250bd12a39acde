/**
 * Secrets in the database are sealed (lib/secrets/at-rest.ts): what a copied database shows,
 * what start-up does with values stored before sealing, and that the code paths that need the
 * secrets still get them, on both providers.
 */
import { afterEach, describe, expect, it } from "vitest";
import { PROVIDERS, createTestDb, type TestDb } from "./support/test-db";
import { loadIvrSecrets, rotateIvrSecret, IVR_SECRET_KEY } from "@/lib/ivr/ivr-secret";
import { isSealed, openSecret, sealStoredSecrets } from "@/lib/secrets/at-rest";
import { env } from "@/lib/env";

const actor = { type: "user" as const, id: "u1", name: "Ada" };
const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAAtest\n-----END OPENSSH PRIVATE KEY-----\n";

describe.each(PROVIDERS)("secrets at rest on %s", (provider) => {
  let t: TestDb | undefined;
  afterEach(async () => {
    await t?.drop();
    t = undefined;
  });

  it("start-up seals an SFTP key and IVR secrets stored in plaintext, once, and they still open", async () => {
    t = await createTestDb(provider);
    const host = await t.db.asteriskHost.create({
      data: {
        name: "pbx",
        transport: "sftp",
        spoolDir: "/var/spool/asterisk",
        soundsDir: "/var/lib/asterisk/sounds",
        sftpHost: "127.0.0.1",
        sftpUser: "a",
        sftpPrivateKey: KEY,
        sftpHostKey: "SHA256:x",
      },
    });
    const ivr = JSON.stringify({
      current: "c".repeat(43),
      previous: null,
      previousUntil: null,
      rotatedAt: new Date().toISOString(),
    });
    await t.db.setting.create({ data: { key: IVR_SECRET_KEY, value: ivr } });

    expect(await sealStoredSecrets(t.db)).toBe(2);
    expect(await sealStoredSecrets(t.db)).toBe(0);

    const row = await t.db.asteriskHost.findUniqueOrThrow({ where: { id: host.id }, omit: { sftpPrivateKey: false } });
    expect(isSealed(row.sftpPrivateKey!)).toBe(true);
    expect(row.sftpPrivateKey).not.toContain("b3BlbnNzaC1rZXktdjEAAAAAtest");
    expect(openSecret(row.sftpPrivateKey)).toBe(KEY);
    const setting = await t.db.setting.findUniqueOrThrow({ where: { key: IVR_SECRET_KEY } });
    expect(setting.value).not.toContain("c".repeat(43));
    expect((await loadIvrSecrets(t.db, env().secret)).signing).toBe("c".repeat(43));
  });

  it("a rotated IVR secret is stored sealed and still verifies the site secret during the grace", async () => {
    t = await createTestDb(provider);
    await rotateIvrSecret(t.db, { actor, siteSecret: env().secret, envManaged: false });
    const setting = await t.db.setting.findUniqueOrThrow({ where: { key: IVR_SECRET_KEY } });
    expect(isSealed(setting.value)).toBe(true);
    const secrets = await loadIvrSecrets(t.db, env().secret);
    expect(secrets.verifying).toEqual([secrets.signing, env().secret]);
  });
});
