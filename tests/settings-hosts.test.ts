/**
 * Settings services: Asterisk hosts (validation against Asterisk's grammar, naming the field;
 * default host; private key kept and never audited; message sync after save), the
 * connection test against a real local spool and a real sshd, and site defaults.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { PROVIDERS, createTestDb, type TestDb } from "./support/test-db";
import { startSshd, type SshdServer } from "./support/sshd-server";
import { getDefaultCountry } from "@/lib/contacts/default-country";
import { enqueueCalls } from "@/lib/engine/calls";
import type { HostInput } from "@/lib/hosts/host.schema";
import { deleteHost, saveHost } from "@/lib/hosts/save-host";
import { isSealed, openSecret } from "@/lib/secrets/at-rest";
import { fetchHostKey, testHostConnection } from "@/lib/hosts/test-host";
import { getDefaultTimeZone, saveSiteSettings } from "@/lib/settings/site-settings";

const ctx = { actor: { type: "user" as const, id: "u1", name: "Ada" }, ip: "10.0.0.1" };
const noSync = async () => ({ synced: 0, failed: 0 });

function hostInput(over: Partial<HostInput> = {}): HostInput {
  return {
    name: "pbx-1",
    transport: "local",
    spoolDir: "/var/spool/asterisk",
    soundsDir: "/var/lib/asterisk/sounds",
    maxConcurrent: 20,
    maxPerSecond: 10,
    channelTemplate: "PJSIP/{number}@trunk",
    outboundContext: "from-internal",
    ivrMode: "direct",
    ivrContext: "spoolcast",
    retention: "archive",
    maxRetries: 2,
    retryTime: 60,
    waitTime: 30,
    paCallerId: '"PA" <911>',
    defaultCallerId: '"Spoolcast" <1000>',
    ...over,
  };
}

describe.each(PROVIDERS)("Asterisk host settings on %s", (provider) => {
  let t: TestDb;
  let dir: string;
  beforeEach(async () => {
    t = await createTestDb(provider);
    dir = mkdtempSync(path.join(os.tmpdir(), "spoolcast-hosts-"));
  });
  afterEach(async () => {
    await t.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates the first host as default, audits it and syncs the message library to it", async () => {
    const sync = vi.fn<(db: unknown, opts: unknown) => Promise<{ synced: number; failed: number }>>(async () => ({
      synced: 0,
      failed: 0,
    }));
    const r = await saveHost(t.db, hostInput(), ctx, { sync });
    expect(sync).toHaveBeenCalledTimes(1);
    expect(sync.mock.calls[0]![0]).toBe(t.db);
    expect(sync.mock.calls[0]![1]).toEqual({ hostId: r.id });
    const row = await t.db.asteriskHost.findUniqueOrThrow({ where: { id: r.id } });
    expect(row).toMatchObject({
      name: "pbx-1",
      isDefault: true,
      channelTemplate: "PJSIP/{number}@trunk",
      internalTemplate: "PJSIP/{ext}",
      extensionMinDigits: 3,
      extensionMaxDigits: 6,
      allowFeatureCodes: false,
      sftpHost: null,
    });
    const internal = { internalTemplate: "Local/{ext}@from-internal", extensionMinDigits: 2, extensionMaxDigits: 5 };
    await saveHost(t.db, hostInput({ id: r.id, isDefault: true, ...internal, allowFeatureCodes: true }), ctx, { sync });
    expect(await t.db.asteriskHost.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({
      ...internal,
      allowFeatureCodes: true,
    });
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "host.create" } });
    expect(audit).toMatchObject({ actorName: "Ada", targetId: r.id });

    // A second host made default takes the flag; the old default may not simply drop it.
    const second = await saveHost(t.db, hostInput({ name: "pbx-2", isDefault: true }), ctx, { sync: noSync });
    expect((await t.db.asteriskHost.findMany({ where: { isDefault: true } })).map((h) => h.id)).toEqual([second.id]);
    await expect(
      saveHost(t.db, hostInput({ id: second.id, name: "pbx-2", isDefault: false }), ctx, { sync: noSync }),
    ).rejects.toMatchObject({ field: "isDefault" });
    await expect(saveHost(t.db, hostInput({ name: "pbx-2" }), ctx, { sync: noSync })).rejects.toMatchObject({ field: "name" });
  });

  it("refuses values Asterisk could not use, naming the field", async () => {
    const cases: [Partial<HostInput>, string, RegExp][] = [
      [{ channelTemplate: "PJSIP/trunk" }, "channelTemplate", /\{number\}/],
      [{ channelTemplate: "PJSIP/{number}@trunk now" }, "channelTemplate", /invalid channel/],
      [{ channelTemplate: "{number}" }, "channelTemplate", /TECH\/resource/],
      [{ internalTemplate: "PJSIP/101" }, "internalTemplate", /\{ext\}/],
      [{ internalTemplate: "PJSIP/{ext} x" }, "internalTemplate", /invalid channel/],
      [{ internalTemplate: "{ext}" }, "internalTemplate", /TECH\/resource/],
      [{ extensionMinDigits: 5, extensionMaxDigits: 4 }, "extensionMinDigits", /cannot have more digits/],
      [{ extensionMaxDigits: 16 }, "extensionMaxDigits", /At most 15/],
      [{ extensionMinDigits: 0 }, "extensionMinDigits", /At least 1/],
      [{ paCallerId: '"Fire <Alarm>" <911>' }, "paCallerId", /Name/],
      [{ defaultCallerId: '"Desk " <1000>' }, "defaultCallerId", /whitespace/],
      [{ paVariables: "ALERT=1\nnot a variable" }, "paVariables", /line 2 must be NAME=value/],
      [{ paVariables: "REASON=x" }, "paVariables", /set by Asterisk/],
      [{ paVariables: "SPOOLCAST_TOKEN=x" }, "paVariables", /Spoolcast sets/],
      [{ paVariables: "NOTE=a #comment" }, "paVariables", /comment/],
      [
        { ivrPublicAddress: "a-very-long-host-name-for-the-ivr-server.internal.example.org:2949" },
        "ivrPublicAddress",
        /too long/,
      ],
      [{ ivrPublicAddress: "10.0.0.5" }, "ivrPublicAddress", /host:port/],
      [{ spoolDir: "var/spool" }, "spoolDir", /absolute/],
      [{ spoolDir: "/var/../etc" }, "spoolDir", /\.\./],
      [{ outboundContext: "from internal" }, "outboundContext", /A-Z/],
      [{ maxConcurrent: 0 }, "maxConcurrent", /1/],
      [{ transport: "sftp", sftpHost: "pbx.example.org", sftpUser: "asterisk" }, "sftpHostKey", /host key/],
      [{ transport: "sftp", sftpHostKey: "SHA256:short" }, "sftpHostKey", /SHA256/],
    ];
    for (const [over, field, message] of cases) {
      const error = await saveHost(t.db, hostInput(over), ctx, { sync: noSync }).then(
        () => null,
        (e: unknown) => e,
      );
      const got =
        error && typeof error === "object" && "issues" in error
          ? {
              field: String((error as { issues: { path: unknown[] }[] }).issues[0]!.path[0]),
              message: String((error as { issues: { message: string }[] }).issues[0]!.message),
            }
          : { field: (error as { field?: string } | null)?.field, message: (error as Error | null)?.message ?? "" };
      expect({ over, field: got.field }).toEqual({ over, field });
      expect(got.message).toMatch(message);
    }
    expect(await t.db.asteriskHost.count()).toBe(0);
    expect(await t.db.auditEvent.count()).toBe(0);
  });

  it("keeps the stored SFTP private key when the form leaves it empty, and never audits it", async () => {
    const key = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAsecretkeymaterial\n-----END OPENSSH PRIVATE KEY-----";
    const fp = `SHA256:${"A".repeat(43)}`;
    const sftp = { transport: "sftp" as const, sftpHost: "pbx.example.org", sftpUser: "asterisk", sftpHostKey: fp };
    await expect(saveHost(t.db, hostInput(sftp), ctx, { sync: noSync })).rejects.toMatchObject({ field: "sftpPrivateKey" });
    const r = await saveHost(t.db, hostInput({ ...sftp, sftpPrivateKey: key }), ctx, { sync: noSync });
    await saveHost(t.db, hostInput({ ...sftp, id: r.id, isDefault: true, maxPerSecond: 5 }), ctx, { sync: noSync });
    const row = await t.db.asteriskHost.findUniqueOrThrow({ where: { id: r.id }, omit: { sftpPrivateKey: false } });
    // Stored sealed (lib/secrets/at-rest.ts): the copied row shows nothing of the key.
    expect(isSealed(row.sftpPrivateKey!)).toBe(true);
    expect(row.sftpPrivateKey).not.toContain("secretkeymaterial");
    expect(openSecret(row.sftpPrivateKey)).toBe(key + "\n");
    expect(row.sftpPort).toBe(22);
    const audits = await t.db.auditEvent.findMany({ where: { targetId: r.id }, orderBy: { at: "asc" } });
    expect(audits.map((a) => a.action)).toEqual(["host.create", "host.update"]);
    expect(audits[1]!.summary).toContain("maxPerSecond: 10 → 5");
    for (const a of audits) expect(a.summary).not.toContain("secretkeymaterial");
  });

  it("tests a local spool's connection readably, and refuses to delete a host with calls (self-test calls go with it)", async () => {
    const spool = path.join(dir, "spool");
    const r = await saveHost(t.db, hostInput({ spoolDir: spool, soundsDir: path.join(dir, "sounds") }), ctx, { sync: noSync });
    const missing = await testHostConnection(t.db, r.id);
    expect(missing.ok).toBe(false);
    expect(missing.checks[0]).toMatchObject({ name: "outgoing directory", ok: false });
    expect(missing.checks[0]!.detail).toContain(path.join(spool, "outgoing"));
    mkdirSync(path.join(spool, "outgoing"), { recursive: true });
    mkdirSync(path.join(spool, "tmp"), { recursive: true });
    const good = await testHostConnection(t.db, r.id);
    expect(good.checks.filter((c) => !c.ok && c.severity === "error")).toEqual([]);
    expect(good.ok).toBe(true);

    const other = await saveHost(t.db, hostInput({ name: "spare" }), ctx, { sync: noSync });
    // Self-test calls alone do not keep a host: they go with it (a wrong host that was tested).
    await enqueueCalls(t.db, [{ kind: "test", destination: "self-test", hostId: other.id }]);
    await enqueueCalls(t.db, [{ kind: "pa", destination: "+15550001", hostId: other.id }]);
    await expect(deleteHost(t.db, other.id, ctx)).rejects.toMatchObject({
      field: "id",
      message: expect.stringContaining("1 calls"),
    });
    const tested = await saveHost(t.db, hostInput({ name: "tested" }), ctx, { sync: noSync });
    await enqueueCalls(t.db, [{ kind: "test", destination: "self-test", hostId: tested.id }]);
    await t.db.setting.create({ data: { key: `selfTest:${tested.id}`, value: "{}" } });
    await deleteHost(t.db, tested.id, ctx);
    expect(await t.db.asteriskHost.findUnique({ where: { id: tested.id } })).toBeNull();
    expect(await t.db.call.count({ where: { hostId: tested.id } })).toBe(0);
    expect(await t.db.setting.count({ where: { key: `selfTest:${tested.id}` } })).toBe(0);
    expect((await t.db.auditEvent.findFirstOrThrow({ where: { action: "host.delete" } })).summary).toBe(
      'host "tested" deleted with its 1 self-test call(s)',
    );
    await expect(deleteHost(t.db, r.id, ctx)).rejects.toMatchObject({ message: expect.stringContaining("default") });
    const unused = await saveHost(t.db, hostInput({ name: "unused" }), ctx, { sync: noSync });
    await deleteHost(t.db, unused.id, ctx);
    expect(await t.db.asteriskHost.findUnique({ where: { id: unused.id } })).toBeNull();
    expect(await t.db.auditEvent.count({ where: { action: "host.delete" } })).toBe(2);
  });

  it("saves site defaults, refusing an unknown country or zone", async () => {
    await expect(saveSiteSettings(t.db, { defaultCountry: "XX", defaultTimeZone: "Europe/London" }, ctx)).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ["defaultCountry"] })],
    });
    await expect(saveSiteSettings(t.db, { defaultCountry: "gb", defaultTimeZone: "Mars/Olympus" }, ctx)).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ["defaultTimeZone"] })],
    });
    await saveSiteSettings(t.db, { defaultCountry: "gb", defaultTimeZone: "Europe/London" }, ctx);
    expect(await getDefaultCountry(t.db)).toBe("GB");
    expect(await getDefaultTimeZone(t.db)).toBe("Europe/London");
    expect((await t.db.auditEvent.findFirstOrThrow({ where: { action: "settings.update" } })).summary).toBe(
      "defaultCountry: US → GB; defaultTimeZone: UTC → Europe/London",
    );
  });
});

describe("SFTP host connection test", () => {
  let sshd: SshdServer;
  let t: TestDb;
  beforeAll(async () => {
    sshd = await startSshd();
    t = await createTestDb("sqlite");
  });
  afterAll(async () => {
    await t.drop();
    await sshd.stop();
  });

  it("fetches the host key to pin, passes with it, and reports a wrong pinned key readably", async () => {
    const fingerprint = await fetchHostKey({ sftpHost: sshd.host, sftpPort: sshd.port });
    expect(fingerprint).toBe(sshd.hostKeySha256);
    const spool = path.join(sshd.root, "spool");
    mkdirSync(path.join(spool, "outgoing"), { recursive: true });
    mkdirSync(path.join(spool, "tmp"), { recursive: true });
    const base = hostInput({
      transport: "sftp",
      spoolDir: spool,
      soundsDir: path.join(sshd.root, "sounds"),
      sftpHost: sshd.host,
      sftpPort: sshd.port,
      sftpUser: sshd.username,
      sftpPrivateKey: sshd.privateKey,
      sftpHostKey: fingerprint,
    });
    const r = await saveHost(t.db, base, ctx, { sync: noSync });
    const good = await testHostConnection(t.db, r.id);
    expect(good.checks.filter((c) => !c.ok && c.severity === "error")).toEqual([]);
    expect(good.ok).toBe(true);

    await saveHost(
      t.db,
      { ...base, id: r.id, isDefault: true, sftpPrivateKey: "", sftpHostKey: `SHA256:${"B".repeat(43)}` },
      ctx,
      { sync: noSync },
    );
    const bad = await testHostConnection(t.db, r.id);
    expect(bad.ok).toBe(false);
    expect(JSON.stringify(bad)).toContain(sshd.hostKeySha256);
  });
});
