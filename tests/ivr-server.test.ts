/**
 * The IVR server over real TCP: a fake Asterisk that follows docs/asterisk.md#externalivr for the
 * good paths, raw sockets for every kind of bad client, and the Prisma store on both
 * providers (including the golden `failed`-extension P replies from a real Asterisk).
 */
import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import pino from "pino";
import { startIvrServer, type IvrServer, type IvrServerOptions } from "@/lib/ivr/server";
import { createMemoryStore, type IvrCallInfo, type IvrStore } from "@/lib/ivr/store";
import { IVR_FIXTURES_DIR } from "@/tests/fixtures/asterisk";
import { buildCallScript, serializeCallScript } from "@/lib/ivr/scripts";
import { signCallToken } from "@/lib/ivr/token";
import { SYSTEM_SOUNDS } from "@/lib/ivr/system-prompts";
import { createPrismaIvrStore } from "@/lib/ivr/prisma-store";
import { FakeAsterisk } from "./support/fake-asterisk";
import { waitFor } from "./support/wait-for";
import { createTestDb, PROVIDERS } from "./support/test-db";

const SECRET = "k".repeat(40);
const MSG = "spoolcast/audio/evacuate";
const GOLDEN_FAILED = path.join(IVR_FIXTURES_DIR, "failed-extension-reports-reason.log");

function call(id: string, extra: Partial<IvrCallInfo> = {}): IvrCallInfo {
  return {
    id,
    kind: "pa",
    state: "dialling",
    script: buildCallScript({ kind: "message" }),
    messageSound: MSG,
    messageDurationMs: null,
    ...extra,
  };
}

const servers: IvrServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close({ graceMs: 0 });
});

function capture() {
  const logs: Array<{ msg: string; reason?: string; level: number } & Record<string, unknown>> = [];
  const logger = pino({ level: "debug" }, { write: (s: string) => void logs.push(JSON.parse(s)) });
  return { logs, logger };
}

async function start(store: IvrStore, extra: Partial<IvrServerOptions> = {}) {
  const { logs, logger } = capture();
  const server = await startIvrServer({ listen: "127.0.0.1:0", secret: SECRET, store, logger, ...extra });
  servers.push(server);
  return { server, logs };
}

/** A client that is not Asterisk: raw bytes in, lines out. */
function raw(port: number) {
  const socket = net.connect({ port, host: "127.0.0.1" });
  const lines: string[] = [];
  let buf = "";
  socket.setEncoding("utf8");
  socket.on("data", (d: string) => {
    buf += d;
    let nl;
    while ((nl = buf.indexOf("\n")) !== -1) {
      lines.push(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
  });
  socket.on("error", () => {});
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  return { socket, lines, closed, connected: new Promise<void>((r) => socket.once("connect", () => r())) };
}

const ts = () => String(Math.floor(Date.now() / 1000));

/** A full acknowledged session driven by the fake Asterisk; returns it once hung up. */
async function ackSession(port: number, id: string) {
  const ast = await FakeAsterisk.connect(port, { args: [id, signCallToken(SECRET, id)], playMs: () => 20 });
  await ast.nextCommand(new RegExp(`^S,${SYSTEM_SOUNDS.promptAckReplay}$`));
  ast.pressDigit("1");
  await ast.nextCommand(/^H,/);
  await ast.ended;
  return ast;
}

describe("IVR server against a fake Asterisk", () => {
  it("runs a whole acknowledged session: P first, one command at a time, H at the end", async () => {
    const store = createMemoryStore([call("ckcall1")]);
    const { server } = await start(store);
    const ast = await ackSession(server.port, "ckcall1");
    expect(ast.commands.filter((c) => !c.startsWith("G,"))).toEqual([
      "P,spoolcast",
      `S,${MSG}`,
      `S,${SYSTEM_SOUNDS.promptAckReplay}`,
      `S,${SYSTEM_SOUNDS.thanks}`,
      "H,acknowledged",
    ]);
    expect(ast.sent[0]).toMatch(new RegExp(`^P,\\d{10},ivr://127\\.0\\.0\\.1:${server.port},ckcall1,`));
    await waitFor(() => server.stats().outcomes.acknowledged === 1);
    expect(store.state.acks.get("ckcall1")?.digit).toBe("1");
    expect(server.stats()).toMatchObject({ active: 0, accepted: 1, refused: 0 });
  });

  it("works through Asterisk's read stall when commands share a read (kicks with L)", async () => {
    const store = createMemoryStore([call("ckcall2")]);
    const { server } = await start(store, { kickAfterMs: 100 });
    const ast = await FakeAsterisk.connect(server.port, {
      args: ["ckcall2", signCallToken(SECRET, "ckcall2")],
      playMs: () => 20,
      stallBatched: true,
    });
    await ast.nextCommand(new RegExp(`^S,${SYSTEM_SOUNDS.promptAckReplay}$`));
    ast.pressDigit("1");
    await ast.nextCommand(/^H,/);
    await waitFor(() => store.state.acks.get("ckcall2"));
    expect(ast.commands).toContain("L,spoolcast kick");
  });

  it("frames partial lines, several lines per packet and CRLF", async () => {
    const store = createMemoryStore([call("ckcall3")]);
    const { server } = await start(store);
    const c = raw(server.port);
    await waitFor(() => c.lines[0] === "P,spoolcast");
    const reply = `P,${ts()},ivr://x:1,ckcall3,${signCallToken(SECRET, "ckcall3")}\r\n`;
    for (const ch of reply) c.socket.write(ch);
    await waitFor(() => c.lines.includes(`S,${MSG}`));
    // The G confirmation, then F and a DTMF in one packet with CRLF.
    await waitFor(() => c.lines.at(-1) === "G,SPOOLCAST_CALL");
    c.socket.write(`G,${ts()},SPOOLCAST_CALL=ckcall3\r\nF,${ts()},${MSG}\r\n7,${ts()}\r\n`);
    await waitFor(() => c.lines.includes(`S,${SYSTEM_SOUNDS.promptAckReplay}`));
    await waitFor(() => store.state.events.some((e) => e.type === "ivr.dtmf" && e.detail === "7"));
    expect(store.state.events.map((e) => e.type)).toEqual(["ivr.connected", "ivr.played", "ivr.dtmf"]);
    c.socket.destroy();
  });
});

/** Runs a good session alongside the bad client, to show other sessions are unaffected. */
async function withBystander(
  store: IvrStore & { state: { acks: Map<string, unknown> } },
  port: number,
  badClient: () => Promise<void>,
) {
  const good = (async () => {
    const ast = await FakeAsterisk.connect(port, { args: ["ckgood", signCallToken(SECRET, "ckgood")], playMs: () => 30 });
    await ast.nextCommand(new RegExp(`^S,${SYSTEM_SOUNDS.promptAckReplay}$`), 60_000);
    ast.pressDigit("1");
    await ast.nextCommand(/^H,/, 60_000);
  })();
  await Promise.all([good, badClient()]);
  await waitFor(() => store.state.acks.has("ckgood"));
}

/** `count` connections from 127.0.0.1 that never answer P, held open; resolves once the server took them all. */
async function flood(server: IvrServer, count: number) {
  const sockets: net.Socket[] = [];
  let connectErrors = 0;
  const before = server.stats().accepted;
  for (let i = 0; i < count; i++) {
    const s = net.connect({ port: server.port, host: "127.0.0.1" });
    // A SYN the kernel dropped under the flood ends in a client-side timeout, not in the server.
    s.on("error", () => (connectErrors += s.bytesRead === 0 && !s.remoteAddress ? 1 : 0));
    s.resume(); // read (and drop) what the server sends, so its FIN is seen
    sockets.push(s);
  }
  await waitFor(() => server.stats().accepted - before + connectErrors === count, 60_000, `${count} flood connections`);
  expect(connectErrors).toBeLessThan(count / 20);
  return { sockets, accepted: server.stats().accepted - before, stop: () => sockets.forEach((s) => s.destroy()) };
}

describe("IVR server against bad clients", () => {
  it.each([
    ["a malformed line", "hello world\n", /malformed event line: not <tag>,<timestamp>/],
    ["an unknown tag", `Q,${ts()}\n`, /unknown event tag "Q"/],
    ["a bad timestamp", "1,yesterday\n", /bad timestamp/],
    ["binary garbage", "\u0000\u0001\u0002\n", /malformed event line/],
  ])("closes the session on %s with a log line; others carry on", async (_name, bytes, logPattern) => {
    const store = createMemoryStore([call("ckgood")]);
    const { server, logs } = await start(store);
    await withBystander(store, server.port, async () => {
      const c = raw(server.port);
      await waitFor(() => c.lines[0] === "P,spoolcast");
      c.socket.write(bytes);
      await c.closed;
    });
    expect(logs.some((l) => l.msg === "ivr: session closed" && logPattern.test(String(l.reason)))).toBe(true);
    expect(server.stats().outcomes.error).toBe(1);
  });

  it("closes a session that sends a line of megabytes", async () => {
    const store = createMemoryStore([call("ckgood")]);
    const { server, logs } = await start(store);
    await withBystander(store, server.port, async () => {
      const c = raw(server.port);
      await c.connected;
      c.socket.write(Buffer.alloc(4 * 1024 * 1024, 0x41));
      await c.closed;
    });
    expect(logs.some((l) => /line longer than 8192 bytes/.test(String(l.reason)))).toBe(true);
    expect(server.stats().closedOversize).toBe(1);
  });

  it("closes a client that trickles a byte at a time and never finishes its line", async () => {
    const store = createMemoryStore([call("ckgood")]);
    const { server, logs } = await start(store, { partialLineTimeoutMs: 300 });
    await withBystander(store, server.port, async () => {
      const c = raw(server.port);
      await c.connected;
      c.socket.write("P");
      // The next byte comes long after the deadline (a byte a minute); the server does not wait for it.
      await c.closed;
    });
    expect(logs.some((l) => /line not finished within 300 ms \(1 bytes held\)/.test(String(l.reason)))).toBe(true);
  });

  it("closes a client that never answers P, and an authenticated one that goes silent", async () => {
    const store = createMemoryStore([call("ckgood"), call("cksilent")]);
    const { server, logs } = await start(store, { handshakeTimeoutMs: 300, kickAfterMs: 5000, idleTimeoutMs: 400 });
    const mute = raw(server.port);
    await mute.closed;
    expect(logs.some((l) => /no P reply \(handshake timeout\)/.test(String(l.reason)))).toBe(true);

    const silent = raw(server.port);
    await waitFor(() => silent.lines[0] === "P,spoolcast");
    silent.socket.write(`P,${ts()},ivr://x:1,cksilent,${signCallToken(SECRET, "cksilent")}\n`);
    await silent.closed;
    expect(logs.some((l) => /idle for 400 ms without a complete line/.test(String(l.reason)))).toBe(true);
    expect(store.state.events.filter((e) => e.callId === "cksilent").map((e) => e.type)).toEqual(["ivr.connected", "ivr.error"]);
  });

  it("refuses a forged token: logged, audited, hung up and closed", async () => {
    const store = createMemoryStore([call("ckcall9")]);
    const { server, logs } = await start(store);
    const c = raw(server.port);
    await waitFor(() => c.lines[0] === "P,spoolcast");
    c.socket.write(`P,${ts()},ivr://x:1,ckcall9,${"Z".repeat(22)}\n`);
    await waitFor(() => c.lines[1] === "H,unauthorized");
    c.socket.write(`H,${ts()}\n`);
    await c.closed;
    expect(store.state.authFailures).toEqual([expect.objectContaining({ callId: "ckcall9", reason: "forged token" })]);
    expect(logs.some((l) => l.msg === "ivr: session refused" && l.reason === "forged token")).toBe(true);
    expect(store.state.events).toEqual([]);
  });

  it("holds reading while the store falls behind, then catches up in order (backpressure)", async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const base = createMemoryStore([call("ckflood")]);
    const store: IvrStore = {
      ...base,
      async recordEvent(callId, event) {
        await gate;
        return base.recordEvent(callId, event);
      },
    };
    const { server } = await start(store);
    const c = raw(server.port);
    await waitFor(() => c.lines[0] === "P,spoolcast");
    c.socket.write(`P,${ts()},ivr://x:1,ckflood,${signCallToken(SECRET, "ckflood")}\n`);
    await waitFor(() => c.lines.includes("G,SPOOLCAST_CALL"));
    const line = `9,${ts()}\n`;
    const before = server.stats().bytesIn;
    let sent = 0;
    // Write until the connection stops taking bytes (no drain for a while) or 20 MB went through.
    while (sent < 1_500_000) {
      sent += 1;
      if (c.socket.write(line)) continue;
      const drained = await Promise.race([
        new Promise<boolean>((r) => c.socket.once("drain", () => r(true))),
        new Promise<boolean>((r) => setTimeout(() => r(false), 1000)),
      ]);
      if (!drained) break;
    }
    // The server stopped reading after a few chunks; the rest waits in the kernel, not in its memory.
    expect(sent).toBeLessThan(1_500_000);
    expect(server.stats().paused).toBe(1);
    expect(server.stats().bytesIn - before).toBeLessThan(256 * 1024);
    open();
    await waitFor(() => base.state.events.filter((e) => e.type === "ivr.dtmf").length === sent, 60_000, `${sent} DTMF events`);
    expect(base.state.events[0]!.type).toBe("ivr.connected");
    c.socket.destroy();
  });

  it("serves one session per call at a time: a second concurrent session with the same token is refused and audited", async () => {
    const store = createMemoryStore([call("ckdup")]);
    const { server } = await start(store);
    const first = await FakeAsterisk.connect(server.port, { args: ["ckdup", signCallToken(SECRET, "ckdup")], playMs: () => 20 });
    await first.nextCommand(new RegExp(`^S,${SYSTEM_SOUNDS.promptAckReplay}$`));
    const second = await FakeAsterisk.connect(server.port, { args: ["ckdup", signCallToken(SECRET, "ckdup")] });
    await second.nextCommand(/^H,unauthorized$/);
    await second.ended;
    expect(store.state.authFailures).toEqual([
      expect.objectContaining({
        callId: "ckdup",
        reason: "another session for this call is open",
        remote: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      }),
    ]);
    expect(store.state.events.filter((e) => e.type === "ivr.connected")).toHaveLength(1);
    // The first session is unaffected, and once it ends the call's slot is free again.
    first.pressDigit("1");
    await first.nextCommand(/^H,/);
    await first.ended;
    expect(store.state.acks.get("ckdup")?.digit).toBe("1");
    await waitFor(() => server.stats().authenticated === 0);
    const third = await FakeAsterisk.connect(server.port, { args: ["ckdup", signCallToken(SECRET, "ckdup")] });
    await third.nextCommand(new RegExp(`^S,${MSG}$`));
    third.socket.destroy();
  });

  it("a held flood of unauthenticated connections from one address: the oldest are closed, legitimate sessions from it are served", async () => {
    const ids = ["cklegit1", "cklegit2", "cklegit3", "cklegit4", "cklegit5"];
    const store = createMemoryStore(ids.map((id) => call(id)));
    // The flood is held open far longer than the test runs: only the limits can make room.
    const { server, logs } = await start(store, {
      maxConnections: 3,
      maxUnauthenticatedPerSource: 100,
      maxUnauthenticated: 500,
      handshakeTimeoutMs: 120_000,
    });
    const f = await flood(server, 3000);
    try {
      await waitFor(() => server.stats().unauthenticated === 100, 10_000);
      let stats = server.stats();
      expect(stats.evictedPerSource).toBe(f.accepted - 100);
      expect(stats.evictedUnauthenticated).toBe(0);
      expect(logs.some((l) => l.msg === "ivr: closed an unauthenticated connection to make room")).toBe(true);
      // Far fewer log lines than closed connections: the evictions are counted, not each logged.
      expect(logs.filter((l) => /unauthenticated connection/.test(l.msg)).length).toBeLessThan(20);
      // Legitimate sessions from the same address, with the flood still held: served, and the
      // pending flood does not count against the 3 authenticated sessions.
      await Promise.all(ids.slice(0, 3).map((id) => ackSession(server.port, id)));
      for (const id of ids.slice(2)) await ackSession(server.port, id);
      for (const id of ids) expect(store.state.acks.get(id)?.digit).toBe("1");
      stats = server.stats();
      expect(stats.refused).toBe(0);
      expect(stats.unauthenticated).toBeLessThanOrEqual(100);
      await waitFor(() => server.stats().outcomes.acknowledged === 6);
    } finally {
      f.stop();
    }
  }, 120_000);

  it("keeps the overall unauthenticated limit, and refuses authenticated sessions beyond the session cap", async () => {
    const store = createMemoryStore([call("ckcap1"), call("ckcap2")]);
    const { server, logs } = await start(store, {
      maxConnections: 1,
      maxUnauthenticatedPerSource: 1000,
      maxUnauthenticated: 50,
      handshakeTimeoutMs: 120_000,
    });
    const f = await flood(server, 300);
    try {
      await waitFor(() => server.stats().unauthenticated === 50, 10_000);
      expect(server.stats()).toMatchObject({ evictedUnauthenticated: f.accepted - 50, evictedPerSource: 0 });
      const first = await FakeAsterisk.connect(server.port, { args: ["ckcap1", signCallToken(SECRET, "ckcap1")] });
      await first.nextCommand(new RegExp(`^S,${MSG}$`));
      const second = await FakeAsterisk.connect(server.port, { args: ["ckcap2", signCallToken(SECRET, "ckcap2")] });
      await second.nextCommand(/^H,unauthorized$/);
      expect(server.stats().refused).toBe(1);
      expect(store.state.authFailures.at(-1)).toMatchObject({ callId: "ckcap2", reason: "too many sessions (1 being served)" });
      expect(logs.some((l) => l.msg === "ivr: connection refused, too many sessions")).toBe(true);
      first.socket.destroy();
    } finally {
      f.stop();
    }
  }, 120_000);

  it("refuses limits that are not whole numbers of at least 1", async () => {
    await expect(start(createMemoryStore(), { maxUnauthenticatedPerSource: 0 })).rejects.toThrow(
      /maxUnauthenticatedPerSource must be a whole number of at least 1, got 0/,
    );
  });

  it("shuts down cleanly: stops accepting, cuts sessions after the grace period, records why", async () => {
    const store = createMemoryStore([call("ckshut")]);
    const { server } = await start(store);
    const ast = await FakeAsterisk.connect(server.port, { args: ["ckshut", signCallToken(SECRET, "ckshut")] });
    await ast.nextCommand(new RegExp(`^S,${MSG}$`));
    await server.close({ graceMs: 100 });
    servers.splice(servers.indexOf(server), 1);
    await ast.ended;
    expect(store.state.events.map((e) => `${e.type}:${e.detail}`)).toContain("ivr.error:server shutting down");
    await expect(FakeAsterisk.connect(server.port, { args: [] })).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe.each(PROVIDERS)("IVR server with the Prisma store on %s", (provider) => {
  async function seed() {
    const tdb = await createTestDb(provider);
    const db = tdb.db;
    const host = await db.asteriskHost.create({ data: { name: "pbx", spoolDir: "/tmp/x", soundsDir: "/tmp/y" } });
    const audio = await db.audioMessage.create({ data: { name: "Evacuate", soundName: MSG, durationMs: 4000 } });
    const mk = (id: string, state = "dialling", scriptJson = "{}", endedAt: Date | null = null, maxRetries = 0) =>
      db.call.create({
        data: {
          id,
          endedAt,
          maxRetries,
          kind: "pa",
          priority: 0,
          state,
          hostId: host.id,
          destination: "+15550100",
          channel: "PJSIP/100",
          audioId: audio.id,
          requireAck: true,
          scheduledAt: new Date(),
          scriptJson,
          currentFile: `spoolcast-${id}-1.call`,
        },
      });
    return { tdb, db, mk };
  }

  it("stores the answer, the key, the heard time and every event on the call timeline within a second", async () => {
    const { tdb, db, mk } = await seed();
    try {
      await mk("ckdbcall1");
      const { server } = await start(createPrismaIvrStore(db));
      const ast = await FakeAsterisk.connect(server.port, {
        args: ["ckdbcall1", signCallToken(SECRET, "ckdbcall1")],
        playMs: () => 20,
      });
      await ast.nextCommand(new RegExp(`^S,${SYSTEM_SOUNDS.promptAckReplay}$`));
      const pressed = Date.now();
      ast.pressDigit("1");
      await waitFor(
        () => db.callEvent.findFirst({ where: { callId: "ckdbcall1", type: "ivr.acknowledged" } }),
        1000,
        "ack on the timeline",
      );
      expect(Date.now() - pressed).toBeLessThan(1000);
      await ast.ended;
      await waitFor(() => server.stats().active === 0);
      const row = await db.call.findUniqueOrThrow({ where: { id: "ckdbcall1" } });
      expect(row).toMatchObject({ state: "answered", ackDigit: "1", heardMs: 4000 });
      expect(row.answeredAt).toBeInstanceOf(Date);
      expect(row.ackAt!.getTime()).toBeGreaterThanOrEqual(pressed - 1000);
      const events = await db.callEvent.findMany({ where: { callId: "ckdbcall1" }, orderBy: [{ at: "asc" }, { id: "asc" }] });
      expect(events.every((e) => e.source === "ivr")).toBe(true);
      expect(events.map((e) => e.type)).toEqual(
        expect.arrayContaining(["answered", "ivr.connected", "ivr.played", "ivr.dtmf", "ivr.acknowledged"]),
      );
    } finally {
      await tdb.drop();
    }
  });

  it("an acknowledgement stored after the call was closed as not acknowledged turns it acknowledged", async () => {
    const { tdb, db, mk } = await seed();
    try {
      const endedAt = new Date(Date.now() - 3000);
      await mk("ckdblate", "not-acknowledged", "{}", endedAt);
      await mk("ckdbbusy", "busy", "{}", endedAt);
      const store = createPrismaIvrStore(db);
      // Pressed before the archive was applied, in a session opened while the call was live;
      // the write waited out a database restart and the reconciler closed the call first.
      const at = new Date(Date.now() - 5000);
      await store.recordAck("ckdblate", "1", at, { openedWhileLive: true });
      await store.recordAck("ckdbbusy", "1", at, { openedWhileLive: true });
      const late = await db.call.findUniqueOrThrow({ where: { id: "ckdblate" } });
      expect(late).toMatchObject({
        state: "acknowledged",
        outcome: "acknowledged",
        reason: "acknowledged with 1",
        ackDigit: "1",
      });
      expect(late.ackAt?.getTime()).toBe(at.getTime());
      const event = await db.callEvent.findFirstOrThrow({ where: { callId: "ckdblate", type: "acknowledged" } });
      expect(event.detail).toBe(`key 1 pressed at ${at.toISOString()}, stored after the call was closed`);
      // Any other final state is Asterisk's word and stays.
      expect((await db.call.findUniqueOrThrow({ where: { id: "ckdbbusy" } })).state).toBe("busy");
    } finally {
      await tdb.drop();
    }
  });

  it("an acknowledgement never changes an archived call from a session opened after it ended, or pressed past the grace", async () => {
    const { tdb, db, mk } = await seed();
    try {
      const longAgo = new Date(Date.now() - 22 * 60_000);
      await mk("ckdbafter", "not-acknowledged", "{}", new Date(Date.now() - 1000));
      await mk("ckdbold", "not-acknowledged", "{}", longAgo);
      const store = createPrismaIvrStore(db);
      await store.recordAck("ckdbafter", "1", new Date(), { openedWhileLive: false });
      await store.recordAck("ckdbafter", "1", new Date());
      await store.recordAck("ckdbold", "1", new Date(), { openedWhileLive: true });
      for (const id of ["ckdbafter", "ckdbold"]) {
        expect(await db.call.findUniqueOrThrow({ where: { id } })).toMatchObject({
          state: "not-acknowledged",
          ackDigit: null,
          ackAt: null,
        });
        const ignored = await db.callEvent.findFirstOrThrow({ where: { callId: id, type: "ivr.key-ignored" } });
        expect(ignored.detail).toMatch(/^key 1 pressed at .* ignored: the call had already ended \(not-acknowledged\)$/);
      }
    } finally {
      await tdb.drop();
    }
  });

  it("refuses a session for a call that ended (token replayed) and audits it; reports a bad script on the timeline", async () => {
    const { tdb, db, mk } = await seed();
    try {
      await mk("ckdbdone", "completed", "{}", new Date(Date.now() - 22 * 60_000));
      await mk("ckdbnoend", "not-acknowledged");
      await mk("ckdbbad", "dialling", JSON.stringify({ kind: "message", message: "../../etc/passwd" }));
      const { server } = await start(createPrismaIvrStore(db));
      for (const id of ["ckdbdone", "ckdbnoend"]) {
        const a = await FakeAsterisk.connect(server.port, { args: [id, signCallToken(SECRET, id)], playMs: () => 10 });
        await a.nextCommand(/^H,unauthorized$/);
        a.pressDigit("1");
        await a.ended;
      }
      await waitFor(async () => (await db.auditEvent.count({ where: { action: "ivr.auth_failed" } })) === 2);
      const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "ivr.auth_failed", targetId: "ckdbdone" } });
      expect(audit.ip).toBe("127.0.0.1");
      expect(audit.summary).toMatch(/call already ended \(completed at .*\): token replayed/);
      expect(await db.call.findUniqueOrThrow({ where: { id: "ckdbnoend" } })).toMatchObject({ ackDigit: null, answeredAt: null });
      const b = await FakeAsterisk.connect(server.port, { args: ["ckdbbad", signCallToken(SECRET, "ckdbbad")] });
      await b.nextCommand(/^H,bad script$/);
      await waitFor(() => server.stats().active === 0);
      expect((await db.call.findUniqueOrThrow({ where: { id: "ckdbdone" } })).state).toBe("completed");
      const bad = await db.callEvent.findFirstOrThrow({ where: { callId: "ckdbbad", type: "ivr.error" } });
      expect(bad.detail).toMatch(/^scriptJson\.message: must be a server sound name/);
    } finally {
      await tdb.drop();
    }
  });

  it("records the golden failed-extension reasons (8, 5, 3) as attempts, and refuses the tokenless originals", async () => {
    const { tdb, db, mk } = await seed();
    try {
      const golden = readFileSync(GOLDEN_FAILED, "utf8")
        .split("\n")
        .map((l) => /^b'(P,\d+,ivr:\/\/[^,]+,(failedd?),([^,]+),(\d+))\\n'$/.exec(l))
        .filter((m) => m !== null);
      expect(golden.map((m) => m[4])).toEqual(["8", "8", "5", "5", "3", "3"]);
      const { server } = await start(createPrismaIvrStore(db));
      for (const m of golden) await mk(m[3]!);
      for (const m of golden) {
        const id = m[3]!;
        // The golden snippet passed (failed,<id>,<reason>); Spoolcast's adds the token after the id.
        const ast = await FakeAsterisk.connect(server.port, {
          url: m[1]!.split(",")[2],
          args: ["failed", id, signCallToken(SECRET, id), m[4]!],
        });
        await ast.nextCommand(/^H,recorded$/);
        await ast.ended;
      }
      await waitFor(async () => (await db.callAttempt.count()) === 6);
      const attempts = await db.callAttempt.findMany({
        orderBy: { callId: "asc" },
        select: { callId: true, n: true, result: true, reason: true, fileName: true },
      });
      expect(attempts).toEqual(
        golden
          .map((m) => ({
            callId: m[3]!,
            n: 1,
            result: { "8": "congestion", "5": "busy", "3": "no-answer" }[m[4]!],
            reason: m[4]!,
            fileName: `spoolcast-${m[3]}-1.call`,
          }))
          .sort((a, b) => a.callId.localeCompare(b.callId)),
      );
      const timeline = await db.callEvent.findFirstOrThrow({ where: { callId: "call-rtest-300", type: "attempt.failed" } });
      expect(timeline.detail).toBe("attempt 1: busy (REASON 5)");
      // A state the IVR must not touch: failure reports leave Call.state to the engine.
      expect((await db.call.findUniqueOrThrow({ where: { id: "call-rtest-300" } })).state).toBe("dialling");

      // Replayed verbatim (no token): refused and audited.
      const original = golden[0]!;
      const ast = await FakeAsterisk.connect(server.port, { args: original[1]!.split(",").slice(3) });
      await ast.nextCommand(/^H,unauthorized$/);
      await waitFor(() => db.auditEvent.findFirst({ where: { action: "ivr.auth_failed" } }));
      const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "ivr.auth_failed" } });
      expect(audit).toMatchObject({
        actorType: "system",
        actorName: "ivr-server",
        targetType: "call",
        targetId: "call-rtest-500",
        ip: "127.0.0.1",
      });
      expect(audit.summary).toMatch(/forged token/);
      expect(await db.callAttempt.count()).toBe(6);
    } finally {
      await tdb.drop();
    }
  });

  it("numbers repeated failure reports of one file in order when Asterisk gives no attempt number", async () => {
    const { tdb, db, mk } = await seed();
    try {
      await mk("ckretry", "dialling", "{}", null, 2);
      const { server } = await start(createPrismaIvrStore(db));
      for (const reason of ["3", "5"]) {
        const ast = await FakeAsterisk.connect(server.port, {
          args: ["failed", "ckretry", signCallToken(SECRET, "ckretry"), reason],
        });
        await ast.nextCommand(/^H,recorded$/);
        await ast.ended;
        await waitFor(async () => (await db.callAttempt.count({ where: { reason } })) === 1);
      }
      const withAttempt = await FakeAsterisk.connect(server.port, {
        args: ["failed", "ckretry", signCallToken(SECRET, "ckretry"), "8"],
        vars: { AST_OUTGOING_ATTEMPT: "3" },
      });
      await withAttempt.nextCommand(/^H,recorded$/);
      await waitFor(async () => (await db.callAttempt.findFirst({ where: { n: 3 } }))?.reason === "8");
      // Asterisk runs the failed extension once per attempt: a second report for attempt 2 is a replay.
      const again = await FakeAsterisk.connect(server.port, {
        args: ["failed", "ckretry", signCallToken(SECRET, "ckretry"), "8"],
        vars: { AST_OUTGOING_ATTEMPT: "2" },
      });
      await again.nextCommand(/^H,unauthorized$/);
      await waitFor(() => db.auditEvent.findFirst({ where: { action: "ivr.auth_failed", targetId: "ckretry" } }));
      const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "ivr.auth_failed", targetId: "ckretry" } });
      expect(audit.summary).toMatch(/failure report for attempt 2 already recorded: token replayed/);
      expect(audit.ip).toBe("127.0.0.1");
      const rows = await db.callAttempt.findMany({
        where: { callId: "ckretry" },
        orderBy: { n: "asc" },
        select: { n: true, result: true },
      });
      expect(rows).toEqual([
        { n: 1, result: "no-answer" },
        { n: 2, result: "busy" },
        { n: 3, result: "congestion" },
      ]);
      expect(await db.callEvent.count({ where: { callId: "ckretry", type: "attempt.failed" } })).toBe(3);
      // MaxRetries 2 allows attempts 1 to 3: a report for attempt 4 is made up.
      const beyond = await FakeAsterisk.connect(server.port, {
        args: ["failed", "ckretry", signCallToken(SECRET, "ckretry"), "3"],
        vars: { AST_OUTGOING_ATTEMPT: "4" },
      });
      await beyond.nextCommand(/^H,unauthorized$/);
      await waitFor(async () => (await db.auditEvent.count({ where: { action: "ivr.auth_failed", targetId: "ckretry" } })) === 2);
      expect(
        await db.auditEvent.count({ where: { targetId: "ckretry", summary: { contains: "attempt 4, beyond the attempts" } } }),
      ).toBe(1);
      expect(await db.callAttempt.count({ where: { callId: "ckretry" } })).toBe(3);
    } finally {
      await tdb.drop();
    }
  });
});

// Keep the serializer honest for scripts written by other modules.
it("a stored script with custom sounds drives the session", async () => {
  const json = serializeCallScript({ kind: "message", message: "spoolcast/audio/custom-1", requireAck: false });
  const store = createMemoryStore([call("ckcustom", { script: JSON.parse(json), messageSound: null })]);
  const { server } = await start(store);
  const ast = await FakeAsterisk.connect(server.port, {
    args: ["ckcustom", signCallToken(SECRET, "ckcustom")],
    playMs: () => 10,
  });
  await ast.nextCommand(/^H,message played$/);
  expect(ast.commands.filter((c) => !c.startsWith("G,"))).toEqual([
    "P,spoolcast",
    "S,spoolcast/audio/custom-1",
    "H,message played",
  ]);
});

it("reads the IVR limits from the environment, with defaults, and names a bad one", async () => {
  const { parseEnv } = await import("@/lib/env");
  const base = { SPOOLCAST_SECRET: SECRET, DATABASE_URL: "file:./x.db" };
  expect(parseEnv(base).ivrLimits).toEqual({ maxConnections: 5000, maxUnauthenticated: 1000, maxUnauthenticatedPerSource: 200 });
  expect(parseEnv({ ...base, IVR_MAX_SESSIONS: "10", IVR_MAX_PENDING: "20", IVR_MAX_PENDING_IP: "5" }).ivrLimits).toEqual({
    maxConnections: 10,
    maxUnauthenticated: 20,
    maxUnauthenticatedPerSource: 5,
  });
  expect(() => parseEnv({ ...base, IVR_MAX_PENDING_IP: "0" })).toThrow(/IVR_MAX_PENDING_IP/);
});

it("is known to the engine status page while it runs in this process, with its limits and counters", async () => {
  const { runningIvrServer } = await import("@/lib/ivr/running");
  const { server } = await start(createMemoryStore(), { maxUnauthenticatedPerSource: 7 });
  const running = runningIvrServer();
  expect(running?.address).toBe(server.address);
  expect(running?.stats).toMatchObject({
    limits: { maxConnections: 5000, maxUnauthenticated: 1000, maxUnauthenticatedPerSource: 7 },
  });
  await server.close({ graceMs: 0 });
  servers.splice(servers.indexOf(server), 1);
  expect(runningIvrServer()).toBeNull();
});
