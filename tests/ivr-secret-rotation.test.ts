/**
 * IVR secret rotation (Settings): the engine signs new call files with the new secret, and
 * the IVR server still accepts tokens of calls spooled before the rotation until the grace
 * period ends — checked over a real socket and on the call file bytes.
 */
import net from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import pino from "pino";
import { createTestDb, type TestDb } from "./support/test-db";
import { waitFor } from "./support/wait-for";
import { parseCallFile } from "@/lib/callfile/parse";
import { serializeCallFile } from "@/lib/callfile/serialize";
import { enqueueCalls } from "@/lib/engine/calls";
import { createEngine } from "@/lib/engine/engine";
import { createFakeTransport } from "@/lib/engine/testing/fake-transport";
import { createIvrSecretSource, loadIvrSecrets, rotateIvrSecret, type IvrSecretSource } from "@/lib/ivr/ivr-secret";
import { startIvrServer, type IvrServer } from "@/lib/ivr/server";
import { buildCallScript } from "@/lib/ivr/scripts";
import { createMemoryStore } from "@/lib/ivr/store";
import { signCallToken, verifyCallToken } from "@/lib/ivr/token";

const SITE = "site-secret-".padEnd(44, "s");
const actor = { type: "user" as const, id: "u1", name: "Ada" };
const ts = () => String(Math.floor(Date.now() / 1000));

/** Connects like Asterisk, sends the P reply for `callId` with `token`, returns the server's second line. */
async function handshake(port: number, callId: string, token: string): Promise<string> {
  const socket = net.connect({ port, host: "127.0.0.1" });
  const lines: string[] = [];
  let buf = "";
  socket.setEncoding("utf8");
  socket.on("data", (d: string) => {
    buf += d;
    for (let nl = buf.indexOf("\n"); nl !== -1; nl = buf.indexOf("\n")) {
      lines.push(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
  });
  socket.on("error", () => {});
  await waitFor(() => lines[0] === "P,spoolcast");
  socket.write(`P,${ts()},ivr://x:1,${callId},${token}\n`);
  await waitFor(() => lines.length >= 2);
  socket.destroy();
  return lines[1]!;
}

describe("IVR secret rotation", () => {
  let t: TestDb;
  let server: IvrServer | undefined;
  let source: IvrSecretSource | undefined;
  beforeEach(async () => {
    t = await createTestDb("sqlite");
  });
  afterEach(async () => {
    source?.stop();
    await server?.close({ graceMs: 0 });
    await t.drop();
  });

  it("signs with the new secret and accepts the previous one during the grace period only", async () => {
    source = await createIvrSecretSource(t.db, SITE, { intervalMs: 60_000 });
    const ids = ["ckcallbefore1", "ckcallafter01", "ckcallforged1"];
    const store = createMemoryStore(
      ids.map((id) => ({
        id,
        kind: "pa",
        state: "dialling",
        script: buildCallScript({ kind: "message" }),
        messageSound: "spoolcast/x",
        messageDurationMs: null,
      })),
    );
    server = await startIvrServer({
      listen: "127.0.0.1:0",
      secret: SITE,
      secrets: source.verifying,
      store,
      logger: pino({ level: "silent" }),
      handshakeTimeoutMs: 5000,
      kickAfterMs: 400,
    });
    expect(source.signing()).toBe(SITE);

    const rotated = await rotateIvrSecret(t.db, { actor, siteSecret: SITE, envManaged: false, now: new Date() });
    await source.refresh();
    const fresh = source.signing();
    expect(fresh).not.toBe(SITE);
    expect(fresh.length).toBeGreaterThanOrEqual(40);

    // A call spooled before the rotation (token from the site secret) still authenticates.
    expect(await handshake(server.port, ids[0]!, signCallToken(SITE, ids[0]!))).not.toBe("H,unauthorized");
    expect(await handshake(server.port, ids[1]!, signCallToken(fresh, ids[1]!))).not.toBe("H,unauthorized");
    expect(await handshake(server.port, ids[2]!, signCallToken("another-secret".padEnd(40, "x"), ids[2]!))).toBe(
      "H,unauthorized",
    );

    // After the grace period only the new secret is accepted.
    const later = await loadIvrSecrets(t.db, SITE, new Date(rotated.previousUntil.getTime() + 1));
    expect(later.verifying).toEqual([fresh]);

    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "ivrsecret.rotate" } });
    expect(audit.summary).toContain(rotated.previousUntil.toISOString());
    expect(audit.summary).not.toContain(fresh);

    // A second rotation keeps only the immediately previous secret.
    await rotateIvrSecret(t.db, { actor, siteSecret: SITE, envManaged: false });
    await source.refresh();
    expect(source.verifying()).toEqual([source.signing(), fresh]);
  });

  it("makes the engine write call files with the current signing secret", async () => {
    await t.db.asteriskHost.create({ data: { name: "pbx", isDefault: true, spoolDir: "/spool", soundsDir: "/sounds" } });
    await rotateIvrSecret(t.db, { actor, siteSecret: SITE, envManaged: false });
    source = await createIvrSecretSource(t.db, SITE, { intervalMs: 60_000 });
    const [callId] = await enqueueCalls(t.db, [{ kind: "test", destination: "+15550000001" }]);
    const fake = createFakeTransport();
    const engine = createEngine({
      db: t.db,
      provider: "sqlite",
      secret: SITE,
      signingSecret: source.signing,
      ivrPublicAddress: "127.0.0.1:2949",
      transportFor: () => fake,
      serialize: serializeCallFile,
      parse: parseCallFile,
      watch: false,
    });
    await engine.runOnce();
    await engine.stop();
    const [file] = [...fake.outgoing.values()];
    const token = /SPOOLCAST_TOKEN=(\S+)/.exec(file!.content)?.[1] ?? "";
    expect(verifyCallToken(source.signing(), callId!, token)).toBe(true);
    expect(verifyCallToken(SITE, callId!, token)).toBe(false);
  });

  it("refuses rotation from the UI when SPOOLCAST_SECRET comes from the environment", async () => {
    await expect(rotateIvrSecret(t.db, { actor, siteSecret: SITE, envManaged: true })).rejects.toThrow(
      /SPOOLCAST_SECRET is set in the environment/,
    );
    expect(await t.db.setting.count()).toBe(0);
  });
});
