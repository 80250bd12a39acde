/**
 * The hostile-testing replay (issue 22, finding 1) end to end: engine + simulator + IVR server
 * in dialplan mode. A PA call is answered and never acknowledged; after it ended, its token is
 * taken from the archived call file in `outgoing_done/` (where the PBX keeps it) and replayed,
 * as a session pressing the ack key and as a failed-extension report. Both are refused and
 * audited with the peer address, and the call keeps the state its archive gave it.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import pino from "pino";
import { parseCallFile } from "@/lib/callfile/parse";
import { serializeCallFile } from "@/lib/callfile/serialize";
import { createEngine, type Engine } from "@/lib/engine/engine";
import { enqueueCalls } from "@/lib/engine/calls";
import { openHostTransport } from "@/lib/engine/host-transport";
import { startSimulator, type Simulator } from "@/lib/asterisk-sim/index";
import { startIvrServer, type IvrServer } from "@/lib/ivr/server";
import { createPrismaIvrStore } from "@/lib/ivr/prisma-store";
import { renderDialplanSnippet } from "@/lib/ivr/dialplan";
import { FakeAsterisk } from "./support/fake-asterisk";
import { freePort } from "./support/free-port";
import { createTestDb, type TestDb } from "./support/test-db";
import { waitFor } from "./support/wait-for";

const SECRET = "ivr-replay-".padEnd(40, "x");
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

it("refuses and audits a token replayed from the archived call file after the call ended", async () => {
  t = await createTestDb("sqlite");
  const db = t.db;
  root = mkdtempSync(path.join(os.tmpdir(), "spoolcast-replay-"));
  const spoolDir = path.join(root, "spool");
  const soundsDir = path.join(root, "sounds");
  mkdirSync(path.join(spoolDir, "outgoing"), { recursive: true });
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  // No grace after the end, so the replay right after the archive stands for one 22 minutes later.
  ivr = await startIvrServer({
    listen: address,
    secret: SECRET,
    store: createPrismaIvrStore(db),
    soundsDir,
    liveGraceMs: 0,
    logger: pino({ level: "silent" }),
  });
  const host = await db.asteriskHost.create({
    data: {
      name: "pbx",
      spoolDir,
      soundsDir,
      ivrMode: "dialplan",
      ivrPublicAddress: address,
      maxConcurrent: 10,
      maxPerSecond: 10,
      // Archived files stay in outgoing_done/, as a PBX without Spoolcast's clean-up keeps them.
      retention: "keep",
    },
  });
  sim = await startSimulator({
    spoolDir,
    soundsDir,
    speed: 1,
    dialplan: renderDialplanSnippet({ name: "pbx", ivrContext: "spoolcast", ivrPublicAddress: address }),
    callees: [{ prefix: "+1555001", behaviour: { kind: "answer", after: 0.3, hangupAfter: 2 } }],
  });
  engine = createEngine({
    db,
    provider: "sqlite",
    secret: SECRET,
    ivrPublicAddress: address,
    transportFor: openHostTransport,
    serialize: serializeCallFile,
    parse: parseCallFile,
    pollMs: 100,
  });
  const script = JSON.stringify({ kind: "message", message: "spoolcast/system/thank-you", requireAck: true });
  const [id] = await enqueueCalls(db, [
    { kind: "pa", hostId: host.id, destination: "+15550010001", requireAck: true, scriptJson: script, waitTime: 5 },
  ]);
  engine.start();
  await waitFor(
    async () => (await db.call.findUniqueOrThrow({ where: { id: id! } })).state === "not-acknowledged",
    60_000,
    "the call to end not acknowledged",
  );
  await engine.stop();
  engine = undefined;

  // What a local user with read access to the spool finds there.
  const doneDir = path.join(spoolDir, "outgoing_done");
  const archived = readdirSync(doneDir).find((f) => f.includes(id!));
  expect(archived).toBeDefined();
  const token = /^Set(?:Var)?: SPOOLCAST_TOKEN=(\S+)$/m.exec(readFileSync(path.join(doneDir, archived!), "utf8"))?.[1];
  expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);

  const replay = await FakeAsterisk.connect(port, { args: [id!, token!], playMs: () => 10 });
  await replay.nextCommand(/^H,unauthorized$/);
  replay.pressDigit("1");
  await replay.ended;
  const failed = await FakeAsterisk.connect(port, {
    args: ["failed", id!, token!, "3"],
    vars: { AST_OUTGOING_ATTEMPT: "2" },
  });
  await failed.nextCommand(/^H,unauthorized$/);
  await failed.ended;

  await waitFor(async () => (await db.auditEvent.count({ where: { action: "ivr.auth_failed" } })) === 2);
  const audits = await db.auditEvent.findMany({ where: { action: "ivr.auth_failed" } });
  for (const audit of audits) {
    expect(audit).toMatchObject({ targetType: "call", targetId: id, ip: "127.0.0.1" });
    expect(audit.summary).toMatch(
      /^IVR session refused from 127\.0\.0\.1:\d+: call already ended \(not-acknowledged at .*\): token replayed$/,
    );
  }
  const row = await db.call.findUniqueOrThrow({ where: { id: id! } });
  expect(row).toMatchObject({ state: "not-acknowledged", ackDigit: null });
  expect(await db.callAttempt.count({ where: { callId: id!, reason: { not: null } } })).toBe(0);
}, 90_000);
