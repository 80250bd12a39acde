import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { callFileName } from "@/lib/callfile/types";
import { parseCallFile } from "@/lib/callfile/parse";
import { serializeCallFile } from "@/lib/callfile/serialize";
import { createEngine, type Engine, type EngineOptions } from "@/lib/engine/engine";
import { sqlitePath } from "@/lib/db/migrate";
import { cancelBroadcast, cancelCall, enqueueCalls, getCallTimeline, requeueCall, type EnqueueCall } from "@/lib/engine/calls";
import { createFakeTransport, type FakeTransport } from "@/lib/engine/testing/fake-transport";
import { createTestDb, type TestDb } from "@/tests/support/test-db";

const SECRET = "s".repeat(40);
let T0 = 0;

let t: TestDb;
let fake: FakeTransport;
let clock: number;
let engine: Engine;
let hostId: string;

async function makeHost(data: Record<string, unknown> = {}) {
  const host = await t.db.asteriskHost.create({
    data: {
      name: `h${Math.random()}`,
      spoolDir: "/nonexistent",
      soundsDir: "/nonexistent",
      maxConcurrent: 10,
      maxPerSecond: 10,
      ...data,
    },
  });
  return host.id;
}

function newEngine(workerId = "w1", extra: Partial<EngineOptions> = {}) {
  return createEngine({
    db: t.db,
    provider: "sqlite",
    secret: SECRET,
    ivrPublicAddress: "127.0.0.1:2949",
    transportFor: () => fake,
    serialize: serializeCallFile,
    parse: parseCallFile,
    workerId,
    watch: false,
    now: () => clock,
    lostMarginMs: 60_000,
    vanishGraceMs: 5_000,
    // As start-engine.ts does on SQLite: reconcile through the direct connection.
    sqliteFile: sqlitePath(t.url),
    directMinBatch: 1,
    ...extra,
  });
}

const call = (c: Partial<EnqueueCall> = {}): EnqueueCall => ({
  kind: "campaign",
  hostId,
  destination: "+15551230000",
  scheduledAt: new Date(T0),
  maxRetries: 1,
  retryTime: 60,
  waitTime: 30,
  ...c,
});

async function state(id: string) {
  return (await t.db.call.findUniqueOrThrow({ where: { id } })).state;
}
async function eventTypes(id: string) {
  return (await getCallTimeline(id, { db: t.db })).events.map((e) => e.type);
}

beforeEach(async () => {
  // A little ahead of the wall clock, so rows stamped by the database sort before the engine's.
  T0 = Math.ceil(Date.now() / 1000) * 1000 + 2000;
  t = await createTestDb("sqlite");
  fake = createFakeTransport();
  clock = T0;
  hostId = await makeHost();
  engine = newEngine();
});

afterEach(async () => {
  await engine.stop();
  await t.drop();
});

/**
 * Replaces the fake's write with one that takes a few milliseconds (a disk doing fsyncs) and
 * enqueues an emergency PA call (then wakes the engine) once `after` files were written.
 */
function emergencyDuringDispatch(after: number) {
  const realWrite = fake.write;
  const pa: { id?: string } = {};
  fake.write = async (f) => {
    if (fake.writes.length === after && !pa.id) {
      pa.id = "pending";
      [pa.id] = await enqueueCalls(t.db, [call({ kind: "pa", destination: "PJSIP/2001" })]);
      engine.wake();
    }
    await new Promise((r) => setTimeout(r, 5));
    return realWrite(f);
  };
  return pa;
}

describe("dispatcher", () => {
  it("writes emergency PA first, then click, wake-up and campaign calls, within maxConcurrent", async () => {
    await t.db.asteriskHost.update({ where: { id: hostId }, data: { maxConcurrent: 2 } });
    const [camp, wake, pa] = await enqueueCalls(t.db, [
      call({ kind: "campaign" }),
      call({ kind: "wakeup" }),
      call({ kind: "pa", destination: "PJSIP/2001" }),
    ]);
    await engine.runOnce();
    expect(fake.writes).toEqual([callFileName(pa!, 1), callFileName(wake!, 1)]);
    expect(await state(camp!)).toBe("queued");
    const paFile = fake.outgoing.get(callFileName(pa!, 1))!;
    expect(paFile.content).toContain("Channel: PJSIP/2001\n");
    expect(paFile.content).toContain(`Set: SPOOLCAST_CALL=${pa}\n`);
    expect(paFile.content).toContain("Archive: yes\n");
    expect(paFile.mtime.getTime()).toBe(T0);
    expect(await eventTypes(pa!)).toEqual(["queued", "spooled"]);
    const row = await t.db.call.findUniqueOrThrow({ where: { id: pa! } });
    expect(row.currentFile).toBe(callFileName(pa!, 1));
  });

  it("writes an emergency call enqueued during a large campaign dispatch before the rest of the campaign batch", async () => {
    await t.db.asteriskHost.update({ where: { id: hostId }, data: { maxConcurrent: 1000, maxPerSecond: 1000 } });
    engine = newEngine("w1", { writeConcurrency: 4 });
    const campaign = await enqueueCalls(
      t.db,
      Array.from({ length: 120 }, (_, i) => call({ destination: `+1555100${String(i).padStart(4, "0")}` })),
    );
    const pa = emergencyDuringDispatch(4);
    await engine.runOnce();
    const paName = callFileName(pa.id!, 1);
    await vi.waitFor(() => expect(fake.writes).toContain(paName), { timeout: 10_000 });
    const at = fake.writes.indexOf(paName);
    // Without the fast path it would come after all 120 (the next pass); it goes within a few chunks.
    expect(at).toBeGreaterThanOrEqual(4);
    expect(at).toBeLessThan(60);
    expect(new Set(fake.writes).size).toBe(121);
    expect(fake.writes.filter((w) => campaign.some((id) => w === callFileName(id, 1)))).toHaveLength(120);
    await vi.waitFor(async () => expect(await state(pa.id!)).toBe("spooled"), { timeout: 10_000 });
    expect(await t.db.call.count({ where: { id: { in: campaign }, state: "spooled" } })).toBe(120);
    expect(await eventTypes(pa.id!)).toEqual(["queued", "spooled"]);
  });

  it("writes an emergency batch through a full window: never more than writeConcurrency at once, the next starting as soon as one finishes", async () => {
    await t.db.asteriskHost.update({ where: { id: hostId }, data: { maxConcurrent: 100, maxPerSecond: 1000 } });
    engine = newEngine("w1", { writeConcurrency: 4 });
    const ids = await enqueueCalls(
      t.db,
      Array.from({ length: 12 }, (_, i) => call({ kind: "pa", destination: `PJSIP/${3000 + i}` })),
    );
    const realWrite = fake.write;
    let inFlight = 0;
    let peak = 0;
    const startedWhileFirstSlowRan: string[] = [];
    let firstSlowDone = false;
    fake.write = async (f) => {
      const first = fake.writes.length === 0 && inFlight === 0;
      inFlight++;
      peak = Math.max(peak, inFlight);
      if (!first && !firstSlowDone) startedWhileFirstSlowRan.push(f.name);
      // The first file is slow (a long fsync); the others are quick.
      await new Promise((r) => setTimeout(r, first ? 300 : 5));
      if (first) firstSlowDone = true;
      inFlight--;
      return realWrite(f);
    };
    await engine.runOnce();
    expect(await t.db.call.count({ where: { id: { in: ids }, state: "spooled" } })).toBe(12);
    expect(peak).toBe(4);
    // In chunks of 4 only the first chunk's other 3 could start while the slow one ran.
    expect(startedWhileFirstSlowRan.length).toBe(11);
  });

  it("an emergency call pre-empts host capacity a campaign batch had claimed: the batch gives back what no longer fits", async () => {
    await t.db.asteriskHost.update({ where: { id: hostId }, data: { maxConcurrent: 10, maxPerSecond: 1000 } });
    engine = newEngine("w1", { writeConcurrency: 2 });
    const campaign = await enqueueCalls(
      t.db,
      Array.from({ length: 10 }, (_, i) => call({ destination: `+1555200${String(i).padStart(4, "0")}` })),
    );
    const pa = emergencyDuringDispatch(2);
    await engine.runOnce();
    const paName = callFileName(pa.id!, 1);
    await vi.waitFor(() => expect(fake.writes).toContain(paName), { timeout: 10_000 });
    await vi.waitFor(async () => expect(await state(pa.id!)).toBe("spooled"), { timeout: 10_000 });
    // Never more than maxConcurrent files; the campaign calls that did not fit are queued and unclaimed again.
    expect(fake.outgoing.size).toBe(10);
    const rows = await t.db.call.findMany({ where: { id: { in: campaign } }, select: { state: true, claimedBy: true } });
    expect(rows.filter((r) => r.state === "spooled")).toHaveLength(9);
    expect(rows.filter((r) => r.state === "queued" && r.claimedBy === null)).toHaveLength(1);
    // The given-back call goes on a later pass once there is room, under a new file name.
    const spooledPa = [...fake.outgoing.keys()].find((n) => n === paName)!;
    fake.archive(spooledPa, "Completed");
    await engine.runOnce();
    expect(await t.db.call.count({ where: { id: { in: campaign }, state: "spooled" } })).toBe(10);
    expect(new Set(fake.writes).size).toBe(fake.writes.length);
  });

  it("originates at most maxPerSecond files per second", async () => {
    await t.db.asteriskHost.update({ where: { id: hostId }, data: { maxPerSecond: 2 } });
    await enqueueCalls(
      t.db,
      Array.from({ length: 5 }, () => call()),
    );
    await engine.runOnce();
    expect(fake.writes).toHaveLength(2);
    await engine.runOnce();
    expect(fake.writes).toHaveLength(2);
    clock += 1000;
    await engine.runOnce();
    expect(fake.writes).toHaveLength(4);
  });

  it("spools near-future calls early with a future mtime and keeps far-future ones in the database", async () => {
    const [soon, later] = await enqueueCalls(t.db, [
      call({ scheduledAt: new Date(T0 + 30_000) }),
      call({ scheduledAt: new Date(T0 + 3_600_000) }),
    ]);
    await engine.runOnce();
    expect(fake.outgoing.get(callFileName(soon!, 1))!.mtime.getTime()).toBe(T0 + 30_000);
    expect(await state(later!)).toBe("queued");
    expect(fake.writes).toHaveLength(1);
  });

  it("skips a campaign call to a do-not-call number and holds a paused campaign", async () => {
    const campaign = await t.db.campaign.create({ data: { name: "c", state: "running" } });
    const paused = await t.db.campaign.create({ data: { name: "p", state: "paused" } });
    await t.db.dncEntry.create({ data: { destination: "+15550000001" } });
    const [dnc, ok, held] = await enqueueCalls(t.db, [
      call({ campaignId: campaign.id, destination: "+15550000001" }),
      call({ campaignId: campaign.id, destination: "+15550000002" }),
      call({ campaignId: paused.id, destination: "+15550000003" }),
    ]);
    await engine.runOnce();
    expect(await state(dnc!)).toBe("cancelled");
    expect(await state(ok!)).toBe("spooled");
    expect(await state(held!)).toBe("queued");
  });
});

describe("progress and reconciliation", () => {
  it("shows each attempt on the timeline and takes the busy reason of the last attempt", async () => {
    const [id] = await enqueueCalls(t.db, [call()]);
    await engine.runOnce();
    const name = callFileName(id!, 1);
    const s = T0 / 1000;
    fake.startAttempt(name, 1, s, 60);
    await engine.runOnce();
    expect(await state(id!)).toBe("dialling");
    fake.endAttempt(name, 1, s + 30);
    await engine.runOnce();
    expect(await state(id!)).toBe("retry-wait");
    fake.startAttempt(name, 2, s + 60, 60);
    // The dialplan's failed extension told the IVR server REASON 5 for attempt 2.
    await t.db.callAttempt.create({
      data: { callId: id!, fileName: name, n: 2, result: "busy", reason: "5", endedAt: new Date(T0 + 65_000) },
    });
    fake.archive(name, "Expired", new Date(T0 + 65_000));
    clock = T0 + 70_000;
    await engine.runOnce();
    const tl = await getCallTimeline(id!, { db: t.db });
    expect(tl.state).toBe("busy");
    expect(tl.reason).toBe("busy after 2 attempts");
    expect(tl.attempts).toBe(2);
    expect(tl.endedAt?.getTime()).toBe(T0 + 65_000);
    expect(tl.events.map((e) => e.type)).toEqual(["queued", "spooled", "dialling", "retry-wait", "dialling", "busy"]);
    expect(tl.callAttempts.map((a) => [a.n, a.startedAt?.getTime(), a.endedAt?.getTime(), a.result, a.reason])).toEqual([
      [1, T0, T0 + 30_000, "failed", null],
      [2, T0 + 60_000, T0 + 65_000, "busy", "5"],
    ]);
    // Retention "archive": moved out of the way once reconciled.
    expect(fake.archived.size).toBe(0);
    expect(fake.moved.has(`spoolcast-archive/${name}`)).toBe(true);
  });

  it("says on the timeline that an Asterisk restart cut an attempt short and Asterisk dialled the same attempt again", async () => {
    const [id] = await enqueueCalls(t.db, [call()]);
    await engine.runOnce();
    const name = callFileName(id!, 1);
    const s = T0 / 1000;
    fake.startAttempt(name, 1, s, 60);
    // Asterisk crashed mid-call; the restarted one (pid 5000) aborts attempt 1 and dials it again.
    fake.abortAttempt(name, 1, s + 100, 5000);
    fake.startAttempt(name, 1, s + 100, 60, 5000);
    fake.archive(name, "Expired", new Date(T0 + 130_000));
    clock = T0 + 140_000;
    await engine.runOnce();
    const tl = await getCallTimeline(id!, { db: t.db });
    expect(tl.state).toBe("expired");
    expect(tl.attempts).toBe(1);
    const notes = tl.events.filter((e) => e.type === "retry-wait").map((e) => [e.detail, e.at.getTime()]);
    expect(notes).toEqual([["attempt 1 cut short by an Asterisk restart; Asterisk dialled attempt 1 again", T0 + 100_000]]);
    expect(tl.callAttempts.map((a) => [a.n, a.startedAt?.getTime(), a.endedAt?.getTime(), a.result])).toEqual([
      [1, T0 + 100_000, T0 + 130_000, "failed"],
    ]);
  });

  it("marks an answered call acknowledged from the IVR's digit, and reading it again changes nothing", async () => {
    await t.db.asteriskHost.update({ where: { id: hostId }, data: { retention: "keep" } });
    const [id] = await enqueueCalls(t.db, [call({ requireAck: true })]);
    await engine.runOnce();
    const name = callFileName(id!, 1);
    fake.startAttempt(name, 1, T0 / 1000, 60);
    await t.db.call.update({
      where: { id: id! },
      data: { ackDigit: "1", ackAt: new Date(T0 + 5000), answeredAt: new Date(T0 + 2000) },
    });
    fake.archive(name, "Completed", new Date(T0 + 20_000));
    await engine.runOnce();
    expect(await state(id!)).toBe("acknowledged");
    const before = await t.db.callEvent.count();
    const attemptsBefore = await t.db.callAttempt.findMany();
    // A second engine (fresh memory, e.g. after a restart) reads the same kept file again.
    const again = newEngine("w2");
    await t.db.hostLease.deleteMany();
    await again.runOnce();
    await again.stop();
    expect(await t.db.callEvent.count()).toBe(before);
    expect(await t.db.callAttempt.findMany()).toEqual(attemptsBefore);
    expect(fake.archived.has(name)).toBe(true);
    expect(await eventTypes(id!)).toEqual(["queued", "spooled", "dialling", "answered", "acknowledged"]);
  });

  it("keeps an archived file whose call moved while its outcome was written, and applies it from a fresh read, never lost", async () => {
    // The IVR store marks a call answered with a write that a database restart delayed: it
    // commits after the reconciler read the row, so the guarded outcome update finds another
    // state. The reconciler's read is made stale here, deterministically, for one pass.
    const [id] = await enqueueCalls(t.db, [call({ requireAck: true })]);
    await engine.runOnce();
    const name = callFileName(id!, 1);
    fake.startAttempt(name, 1, T0 / 1000, 60);
    await engine.runOnce();
    expect(await state(id!)).toBe("dialling");
    await t.db.call.update({
      where: { id: id! },
      data: { state: "answered", answeredAt: new Date(T0 + 2000), ackDigit: "1", ackAt: new Date(T0 + 5000) },
    });
    fake.archive(name, "Completed", new Date(T0 + 20_000));
    let stale = true;
    const staleTx = (tx: object) =>
      new Proxy(tx, {
        get(target, prop, receiver) {
          const v = Reflect.get(target, prop, receiver) as Record<string, unknown>;
          if (prop !== "call" || !stale) return v;
          return new Proxy(v, {
            get(ct, cp, cr) {
              const fn = Reflect.get(ct, cp, cr) as (...a: unknown[]) => Promise<unknown>;
              if (cp !== "findMany") return fn;
              return async (...a: unknown[]) => {
                // Only the reconciler's read of the calls it is about to finish.
                if (!(a[0] as { select?: { requireAck?: boolean } }).select?.requireAck) return fn.apply(ct, a);
                stale = false;
                const rows = (await fn.apply(ct, a)) as Array<{ id: string; state: string }>;
                return rows.map((r) => (r.id === id ? { ...r, state: "dialling" } : r));
              };
            },
          });
        },
      });
    const db = new Proxy(t.db, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as (...a: unknown[]) => unknown;
        if (prop !== "$transaction") return v;
        return (fn: unknown, opts: unknown) =>
          typeof fn === "function"
            ? v.call(target, (tx: object) => (fn as (tx: object) => unknown)(staleTx(tx)), opts)
            : v.call(target, fn, opts);
      },
    });
    await engine.stop();
    // Prisma's writer (no direct SQLite connection): the path PostgreSQL takes.
    engine = newEngine("w1", { db, sqliteFile: undefined });
    // The outcome does not take; the file stays, and the pass's progress check (which finds the
    // call's file archived) applies it from a fresh read. Had it been removed, the call would
    // be marked "vanished without an archive" — lost — a few seconds later.
    await engine.runOnce();
    expect(stale).toBe(false);
    clock += 10_000;
    await engine.runOnce();
    expect(await state(id!)).toBe("acknowledged");
    expect(fake.archived.has(name)).toBe(false);
    expect(fake.moved.has(`spoolcast-archive/${name}`)).toBe(true);
  });

  it("ends a call archived by a PBX whose clock runs ahead at our time, not in the future", async () => {
    const [id] = await enqueueCalls(t.db, [call()]);
    await engine.runOnce();
    fake.archive(callFileName(id!, 1), "Expired", new Date(T0 + 600_000));
    clock = T0 + 30_000;
    await engine.runOnce();
    const row = await t.db.call.findUniqueOrThrow({ where: { id: id! } });
    expect([row.state, row.endedAt?.getTime()]).toEqual(["expired", T0 + 30_000]);
  });

  it("maps a rejected file to failed and deletes it under retention delete", async () => {
    await t.db.asteriskHost.update({ where: { id: hostId }, data: { retention: "delete" } });
    const [id] = await enqueueCalls(t.db, [call()]);
    await engine.runOnce();
    fake.archive(callFileName(id!, 1), "Failed");
    await engine.runOnce();
    const row = await t.db.call.findUniqueOrThrow({ where: { id: id! } });
    expect([row.state, row.reason]).toEqual(["failed", "Asterisk rejected the call file"]);
    expect(fake.archived.size + fake.moved.size).toBe(0);
  });
});

describe("direct SQLite writer", () => {
  it("waits for a Prisma transaction of the same process that holds the write lock, without freezing the event loop", async () => {
    const [id] = await enqueueCalls(t.db, [call()]);
    await engine.runOnce();
    fake.archive(callFileName(id!, 1), "Completed", new Date(T0 + 30_000));
    let locked!: () => void;
    const lockHeld = new Promise<void>((r) => (locked = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const holder = t.db.$transaction(
      async (tx) => {
        await tx.callEvent.create({ data: { callId: id!, type: "note", source: "user", detail: "holding the write lock" } });
        locked();
        await released;
      },
      { timeout: 30_000 },
    );
    await lockHeld;
    const pass = engine.runOnce();
    // The event loop keeps turning while the reconcile batch waits for the lock: this timer
    // fires (a busy wait inside better-sqlite3 would hold it until its timeout).
    const before = performance.now();
    await new Promise<void>((r) => setTimeout(r, 20));
    expect(performance.now() - before).toBeLessThan(3000);
    release();
    await holder;
    await pass;
    expect(await state(id!)).toBe("completed");
    expect((await eventTypes(id!)).filter((e) => e !== "note")).toEqual(["queued", "spooled", "answered", "completed"]);
  });
});

describe("lost calls", () => {
  it("marks a file Asterisk never processed as lost, and a re-queue writes a new name and removes the old file", async () => {
    const [id] = await enqueueCalls(t.db, [call({ maxRetries: 1, retryTime: 60, waitTime: 30 })]);
    await engine.runOnce();
    clock = T0 + (2 * 60 + 30) * 1000 + 59_000;
    await engine.runOnce();
    expect(await state(id!)).toBe("spooled");
    clock += 2000;
    await engine.runOnce();
    const row = await t.db.call.findUniqueOrThrow({ where: { id: id! } });
    expect(row.state).toBe("lost");
    expect(row.reason).toMatch(/never finished .* still in outgoing\//);
    await requeueCall(id!, { name: "alice" }, { db: t.db, transportFor: async () => fake, now: () => new Date(clock) });
    expect(fake.outgoing.has(callFileName(id!, 1))).toBe(false);
    await engine.runOnce();
    expect(fake.writes).toEqual([callFileName(id!, 1), callFileName(id!, 2)]);
    expect(await state(id!)).toBe("spooled");
  });

  it("keeps a long answered call alive while Asterisk appends DelayedRetry lines", async () => {
    const [id] = await enqueueCalls(t.db, [call({ maxRetries: 0, retryTime: 60, waitTime: 30 })]);
    await engine.runOnce();
    const name = callFileName(id!, 1);
    fake.startAttempt(name, 1, T0 / 1000, 60);
    await engine.runOnce();
    for (let k = 1; k <= 5; k++) {
      clock = T0 + k * 60_000;
      fake.outgoing.get(name)!.content += `\nDelayedRetry: 4242 0 (${clock / 1000})\n`;
      fake.outgoing.get(name)!.mtime = new Date(clock + 60_000);
      await engine.runOnce();
    }
    expect(await state(id!)).toBe("dialling");
  });

  it("marks a file that vanished without an archive as lost after a grace period", async () => {
    const [id] = await enqueueCalls(t.db, [call()]);
    await engine.runOnce();
    fake.outgoing.clear();
    await engine.runOnce();
    clock += 4000;
    await engine.runOnce();
    expect(await state(id!)).toBe("spooled");
    clock += 2000;
    await engine.runOnce();
    const row = await t.db.call.findUniqueOrThrow({ where: { id: id! } });
    expect([row.state, row.reason]).toEqual([
      "lost",
      `${callFileName(id!, 1)} vanished from outgoing/ without an archive in outgoing_done/`,
    ]);
  });
});

/** A claim left by a worker that died a minute ago (older than any lease). */
async function claim(id: string, seq: number, claimedAt = new Date(T0 - 60_000)) {
  await t.db.call.update({ where: { id }, data: { claimedBy: "dead-worker", claimedAt, fileSeq: seq } });
}

describe("crash safety", () => {
  it("a worker whose record step failed (database restart) recovers its own claim on the next pass, without a second file", async () => {
    let failNext = true;
    const db = new Proxy(t.db, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as (...a: unknown[]) => unknown;
        if (prop !== "$transaction") return v;
        return (...a: unknown[]) => {
          if (failNext) {
            failNext = false;
            return Promise.reject(new Error("Connection terminated unexpectedly"));
          }
          return v.apply(target, a);
        };
      },
    });
    await engine.stop();
    engine = newEngine("w1", { db, sqliteFile: undefined });
    const [id] = await enqueueCalls(t.db, [call()]);
    await engine.runOnce();
    expect(failNext).toBe(false);
    expect(fake.writes).toEqual([callFileName(id!, 1)]);
    expect(await t.db.call.findUnique({ where: { id: id! }, select: { state: true, claimedBy: true } })).toEqual({
      state: "queued",
      claimedBy: "w1",
    });
    await engine.runOnce();
    expect(await state(id!)).toBe("spooled");
    expect(fake.writes).toEqual([callFileName(id!, 1)]);
    const tl = await getCallTimeline(id!, { db: t.db });
    expect(tl.events.map((e) => e.detail)).toContain(`${callFileName(id!, 1)} found in outgoing/ during recovery`);
  });

  it("writes a claimed call with no file again under the same name, exactly once", async () => {
    const [id] = await enqueueCalls(t.db, [call()]);
    await claim(id!, 1);
    await engine.runOnce();
    await engine.runOnce();
    expect(fake.writes).toEqual([callFileName(id!, 1)]);
    expect(await state(id!)).toBe("spooled");
  });

  it("leaves another worker's fresh claim alone for a lease period before recovering it", async () => {
    const [id] = await enqueueCalls(t.db, [call()]);
    // Claimed just now by a worker whose lease lapsed but which may still be writing.
    await claim(id!, 1, new Date(clock));
    await engine.runOnce();
    expect(fake.writes).toEqual([]);
    expect(await state(id!)).toBe("queued");
    clock += 20_000;
    await engine.runOnce();
    await engine.runOnce();
    expect(fake.writes).toEqual([callFileName(id!, 1)]);
    expect(await state(id!)).toBe("spooled");
  });

  it("records a claimed call whose file is already in outgoing/ or outgoing_done/ without writing it again", async () => {
    const [a, b] = await enqueueCalls(t.db, [call(), call()]);
    await claim(a!, 1);
    await claim(b!, 1);
    await fake.write({
      name: callFileName(a!, 1),
      content: "Channel: Local/1@x\nApplication: Wait\nArchive: yes\n",
      scheduledAt: new Date(T0),
    });
    await fake.write({
      name: callFileName(b!, 1),
      content: "Channel: Local/1@x\nApplication: Wait\nArchive: yes\n\nStartRetry: 1 1 (0)\n",
      scheduledAt: new Date(T0),
    });
    fake.archive(callFileName(b!, 1), "Completed");
    fake.writes.length = 0;
    await engine.runOnce();
    expect(fake.writes).toEqual([]);
    expect(await state(a!)).toBe("spooled");
    expect(await state(b!)).toBe("completed");
  });

  it("unclaims after a write that certainly failed and uses a new name next time", async () => {
    const [id] = await enqueueCalls(t.db, [call()]);
    fake.failNextWrite("ENOSPC", false);
    await engine.runOnce();
    expect(await state(id!)).toBe("queued");
    clock += 3000;
    await engine.runOnce();
    expect(fake.writes).toEqual([callFileName(id!, 2)]);
  });

  it("after a write of unknown fate, finds the file on disk instead of writing a second one", async () => {
    const [id] = await enqueueCalls(t.db, [call()]);
    fake.failNextWrite("ECONNRESET", "unknown");
    await engine.runOnce();
    clock += 3000;
    await engine.runOnce();
    expect(fake.writes).toEqual([callFileName(id!, 1)]);
    expect(await state(id!)).toBe("spooled");
  });

  it("lets a second worker take a host over only after the first one's lease expired", async () => {
    const [id] = await enqueueCalls(t.db, [call()]);
    await t.db.call.update({ where: { id: id! }, data: { claimedBy: "w1", claimedAt: new Date(T0), fileSeq: 1 } });
    await t.db.hostLease.create({ data: { hostId, owner: "w1", expiresAt: new Date(T0 + 15_000) } });
    const other = newEngine("w2");
    await other.runOnce();
    expect(fake.writes).toEqual([]);
    clock = T0 + 16_000;
    await other.runOnce();
    expect(fake.writes).toEqual([callFileName(id!, 1)]);
    expect((await t.db.hostLease.findUniqueOrThrow({ where: { hostId } })).owner).toBe("w2");
    await other.stop();
  });
});

describe("cancellation", () => {
  it("cancels a queued call and removes a spooled file that Asterisk has not started", async () => {
    const [queued, spooled] = await enqueueCalls(t.db, [
      call({ scheduledAt: new Date(T0 + 3_600_000) }),
      call({ scheduledAt: new Date(T0 + 30_000) }),
    ]);
    await engine.runOnce();
    const opts = { db: t.db, transportFor: async () => fake, now: () => new Date(clock) };
    expect((await cancelCall(queued!, { name: "bob" }, opts)).cancelled).toBe(true);
    expect((await cancelCall(spooled!, { name: "bob" }, opts)).cancelled).toBe(true);
    expect(fake.outgoing.size).toBe(0);
    expect(await eventTypes(spooled!)).toEqual(["queued", "spooled", "cancelled"]);
  });

  it("stops a PA broadcast: unstarted calls cancelled, ringing ones reported", async () => {
    const audio = await t.db.audioMessage.create({ data: { name: "fire", soundName: "spoolcast/fire" } });
    const pa = await t.db.paBroadcast.create({ data: { audioId: audio.id } });
    const ids = await enqueueCalls(
      t.db,
      Array.from({ length: 4 }, (_, i) => call({ kind: "pa", broadcastId: pa.id, destination: `PJSIP/10${i}` })),
    );
    await t.db.asteriskHost.update({ where: { id: hostId }, data: { maxConcurrent: 2 } });
    await engine.runOnce();
    const ringing = fake.writes[0]!;
    fake.startAttempt(ringing, 1, T0 / 1000, 60);
    await engine.runOnce();
    const r = await cancelBroadcast(
      pa.id,
      { name: "officer" },
      { db: t.db, transportFor: async () => fake, now: () => new Date(clock) },
    );
    expect(r).toEqual({ cancelled: 3, alreadyDialling: 1, finished: 3 });
    expect([...fake.outgoing.keys()]).toEqual([ringing]);
    expect((await t.db.paBroadcast.findUniqueOrThrow({ where: { id: pa.id } })).stoppedAt).not.toBeNull();
    expect(ids).toHaveLength(4);
  });

  it("stops a PA of 1,200 phones that have not started ringing, in one go", async () => {
    const audio = await t.db.audioMessage.create({ data: { name: "fire", soundName: "spoolcast/fire" } });
    const pa = await t.db.paBroadcast.create({ data: { audioId: audio.id } });
    await enqueueCalls(
      t.db,
      Array.from({ length: 1200 }, (_, i) => call({ kind: "pa", broadcastId: pa.id, destination: `PJSIP/${1000 + i}` })),
    );
    const r = await cancelBroadcast(
      pa.id,
      { name: "officer" },
      { db: t.db, transportFor: async () => fake, now: () => new Date(clock) },
    );
    expect(r).toMatchObject({ cancelled: 1200, alreadyDialling: 0 });
    expect(await t.db.call.count({ where: { broadcastId: pa.id, state: "cancelled" } })).toBe(1200);
    expect(await t.db.callEvent.count({ where: { type: "cancelled", call: { broadcastId: pa.id } } })).toBe(1200);
  });
});
