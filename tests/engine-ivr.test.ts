/**
 * Engine + simulator + IVR server together, in dialplan mode: the callee's key press reaches
 * the outcome (acknowledged), and the failed extension's ${REASON} turns Asterisk's plain
 * Expired into busy / no-answer on the timeline.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseCallFile } from "@/lib/callfile/parse";
import { serializeCallFile } from "@/lib/callfile/serialize";
import { createEngine, type Engine } from "@/lib/engine/engine";
import { enqueueCalls, getCallTimeline } from "@/lib/engine/calls";
import { openHostTransport } from "@/lib/engine/host-transport";
import { startSimulator, type Simulator } from "@/lib/asterisk-sim/index";
import { startIvrServer, type IvrServer } from "@/lib/ivr/server";
import { createPrismaIvrStore } from "@/lib/ivr/prisma-store";
import { renderDialplanSnippet } from "@/lib/ivr/dialplan";
import { freePort } from "./support/free-port";
import { createTestDb, type TestDb } from "./support/test-db";

const SECRET = "ivr-secret-".padEnd(40, "x");
let t: TestDb | undefined;
let root: string | undefined;
let sim: Simulator | undefined;
let ivr: IvrServer | undefined;
let engine: Engine | undefined;

afterEach(async () => {
  await engine?.stop();
  await sim?.stop();
  await ivr?.close({ graceMs: 0 });
  await t?.drop();
  if (root) rmSync(root, { recursive: true, force: true });
  t = root = sim = ivr = engine = undefined;
});

describe("engine with the simulator and the IVR server", () => {
  it("records an acknowledged call and the busy / no-answer reasons of failed ones", async () => {
    t = await createTestDb("sqlite");
    root = mkdtempSync(path.join(os.tmpdir(), "spoolcast-ivr-"));
    const spoolDir = path.join(root, "spool");
    const soundsDir = path.join(root, "sounds");
    mkdirSync(path.join(spoolDir, "outgoing"), { recursive: true });
    const port = await freePort();
    const address = `127.0.0.1:${port}`;
    // Explicit timeouts: the server passes unset options through as undefined, which
    // overrides the session's defaults (reported to the IVR owner).
    ivr = await startIvrServer({
      listen: address,
      secret: SECRET,
      store: createPrismaIvrStore(t.db),
      soundsDir,
      handshakeTimeoutMs: 10_000,
      kickAfterMs: 400,
      logger: (await import("pino")).default({ level: "silent" }),
    });
    const host = await t.db.asteriskHost.create({
      data: {
        name: "pbx",
        spoolDir,
        soundsDir,
        ivrMode: "dialplan",
        ivrPublicAddress: address,
        maxConcurrent: 10,
        maxPerSecond: 10,
      },
    });
    sim = await startSimulator({
      spoolDir,
      soundsDir,
      speed: 1,
      dialplan: renderDialplanSnippet({ name: "pbx", ivrContext: "spoolcast", ivrPublicAddress: address }),
      callees: [
        {
          prefix: "+1555001",
          behaviour: { kind: "answer", after: 0.5, dtmf: [2, 4, 6, 8].map((at) => ({ at, digits: "1" })), hangupAfter: 12 },
        },
        { prefix: "+1555002", behaviour: { kind: "busy", after: 0.3 } },
        { prefix: "+1555003", behaviour: { kind: "no-answer" } },
      ],
    });
    engine = createEngine({
      db: t.db,
      provider: "sqlite",
      secret: SECRET,
      ivrPublicAddress: address,
      transportFor: openHostTransport,
      serialize: serializeCallFile,
      parse: parseCallFile,
      pollMs: 100,
    });
    const script = JSON.stringify({ kind: "message", message: "spoolcast/system/thank-you", requireAck: true });
    const [acked, busy, noAnswer] = await enqueueCalls(t.db, [
      {
        kind: "campaign",
        hostId: host.id,
        destination: "+15550010001",
        requireAck: true,
        scriptJson: script,
        maxRetries: 0,
        waitTime: 5,
      },
      {
        kind: "campaign",
        hostId: host.id,
        destination: "+15550020001",
        requireAck: true,
        scriptJson: script,
        maxRetries: 1,
        retryTime: 2,
        waitTime: 5,
      },
      {
        kind: "campaign",
        hostId: host.id,
        destination: "+15550030001",
        requireAck: true,
        scriptJson: script,
        maxRetries: 0,
        waitTime: 1,
      },
    ]);
    engine.start();
    const deadline = Date.now() + 60_000;
    for (;;) {
      const open = await t.db.call.count({
        where: { state: { in: ["queued", "spooled", "dialling", "retry-wait", "answered"] } },
      });
      if (open === 0) break;
      if (Date.now() > deadline)
        throw new Error(`calls still open: ${JSON.stringify(await t.db.call.findMany({ select: { id: true, state: true } }))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const a = await getCallTimeline(acked!, { db: t.db });
    expect([a.state, a.ackDigit, a.attempts]).toEqual(["acknowledged", "1", 1]);
    expect(a.events.map((e) => e.type)).toContain("answered");
    const b = await getCallTimeline(busy!, { db: t.db });
    expect([b.state, b.reason, b.attempts]).toEqual(["busy", "busy after 2 attempts", 2]);
    expect(b.callAttempts.map((x) => [x.n, x.reason])).toEqual([
      [1, "5"],
      [2, "5"],
    ]);
    const n = await getCallTimeline(noAnswer!, { db: t.db });
    expect([n.state, n.reason]).toEqual(["no-answer", "no answer after 1 attempt"]);
  }, 90_000);
});
