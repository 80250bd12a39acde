/**
 * Wake-up claims with several engine processes on one PostgreSQL: a process that starts (or
 * restarts) never takes back a live claim of another one, an expired claim is taken back and
 * dialled, and every wake-up ends with exactly one call and one call file.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DateTime } from "luxon";
import { createTestDb, PROVIDERS, type TestDb } from "./support/test-db";
import type { Db } from "@/lib/db";
import { parseCallFileName } from "@/lib/callfile/types";
import { ensureDefaultHost } from "@/lib/engine/default-host";
import { runWakeUpTick } from "@/lib/wakeups/wakeup-scheduler";
import { claimOccurrence, recordClaimedCall } from "@/lib/wakeups/wakeup-claims";

const ROOT = path.resolve(import.meta.dirname, "..");

let t: TestDb | undefined;
let root: string | undefined;
const procs: ChildProcess[] = [];

afterEach(async () => {
  for (const p of procs.splice(0)) {
    if (p.exitCode !== null || p.signalCode !== null) continue;
    p.kill("SIGKILL");
    await new Promise((r) => p.once("exit", r));
  }
  await t?.drop();
  if (root) rmSync(root, { recursive: true, force: true });
  t = undefined;
  root = undefined;
});

/** A one-off wake-up for `room` at the UTC minute of `at` (the occurrence instant). */
async function bookWakeUp(db: Db, room: string, at: Date) {
  const local = DateTime.fromJSDate(at, { zone: "UTC" });
  return db.wakeUp.create({
    data: {
      room,
      destination: room,
      timeZone: "UTC",
      localTime: local.toFormat("HH:mm"),
      startDate: local.toISODate()!,
      retries: 0,
      maxSnoozes: 0,
    },
  });
}

type Worker = { proc: ChildProcess; exited: Promise<NodeJS.Signals | number | null>; output: string[] };

function startWorker(env: Record<string, string>, id: string): Worker {
  // `node --import tsx`: one process, so SIGKILL hits the worker itself.
  const proc = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...env, SPOOLCAST_WORKER_ID: id },
    stdio: ["ignore", "pipe", "pipe"],
  });
  procs.push(proc);
  const output: string[] = [];
  proc.stdout!.on("data", (d: Buffer) => output.push(d.toString()));
  proc.stderr!.on("data", (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    proc.on("exit", (code, signal) => resolve(signal ?? code)),
  );
  return { proc, exited, output };
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Call files in outgoing/, by the wake-up their call belongs to. */
async function filesByWakeUp(db: Db, outgoing: string): Promise<Map<string, number>> {
  const ids = readdirSync(outgoing)
    .map((f) => parseCallFileName(f)?.callId)
    .filter((x): x is string => !!x);
  const calls = await db.call.findMany({ where: { id: { in: ids } }, select: { id: true, wakeUpId: true } });
  const out = new Map<string, number>();
  for (const c of calls) out.set(c.wakeUpId ?? "none", (out.get(c.wakeUpId ?? "none") ?? 0) + 1);
  return out;
}

describe.each(PROVIDERS)("wake-up claims on %s", (provider) => {
  it("a tick leaves another process's live claim alone and takes back an expired one; the late owner cannot record", async () => {
    t = await createTestDb(provider);
    root = mkdtempSync(path.join(os.tmpdir(), "spoolcast-claims-"));
    await ensureDefaultHost(t.db, { spoolDir: path.join(root, "spool"), soundsDir: root });
    const now = new Date("2026-12-04T07:00:20Z");
    const w = await bookWakeUp(t.db, "101", now);
    const occ = await t.db.wakeUpOccurrence.create({ data: { wakeUpId: w.id, occursAt: new Date("2026-12-04T07:00:00Z") } });
    expect(await claimOccurrence(t.db, occ.id, { owner: "other-worker", ttlMs: 30_000 }, now)).toBe(true);

    // A process starting now, its scheduler ticking: the claim is live, so it is not touched.
    const during = await runWakeUpTick(t.db, new Date(now.getTime() + 10_000), { owner: "new-worker" });
    expect(during).toMatchObject({ recovered: 0, called: 0 });
    expect(await t.db.wakeUpOccurrence.findUniqueOrThrow({ where: { id: occ.id } })).toMatchObject({
      state: "claimed",
      claimedBy: "other-worker",
      callId: null,
    });
    expect(await t.db.call.count()).toBe(0);

    // Past its expiry (the owner died): taken back and called, once.
    const after = await runWakeUpTick(t.db, new Date(now.getTime() + 31_000), { owner: "new-worker" });
    expect(after).toMatchObject({ recovered: 1, called: 1 });
    const called = await t.db.wakeUpOccurrence.findUniqueOrThrow({ where: { id: occ.id } });
    expect(called).toMatchObject({ state: "pending", claimedBy: null, claimExpiresAt: null });
    expect(called.callId).not.toBeNull();
    expect(await t.db.call.count({ where: { wakeUpId: w.id } })).toBe(1);

    // The first owner, waking up late with a call of its own, finds the claim gone.
    expect(await recordClaimedCall(t.db, occ.id, "other-worker", "c_late")).toBe(false);
    expect((await t.db.wakeUpOccurrence.findUniqueOrThrow({ where: { id: occ.id } })).callId).toBe(called.callId);
  });
});

describe("two engine processes on PostgreSQL", () => {
  it("one killed mid-claim and restarted while the other holds a live claim: each wake-up dialled exactly once", async () => {
    t = await createTestDb("postgresql");
    root = mkdtempSync(path.join(os.tmpdir(), "spoolcast-wakeup-workers-"));
    const spool = path.join(root, "spool");
    const outgoing = path.join(spool, "outgoing");
    mkdirSync(outgoing, { recursive: true });
    const holdFile = path.join(root, "hold");
    const env = {
      DATABASE_URL: t.url,
      SPOOLCAST_SECRET: "wakeup-workers-secret-".padEnd(40, "x"),
      SPOOLCAST_DATA_DIR: path.join(root, "data"),
      ASTERISK_SIMULATOR: "off",
      ASTERISK_SPOOL_DIR: spool,
      ASTERISK_SOUNDS_DIR: path.join(root, "sounds"),
      SPOOLCAST_ENGINE: "off",
      SPOOLCAST_WORKER_MIGRATE: "off",
      SPOOLCAST_ENGINE_POLL_MS: "100",
      // Scheduler leases and wake-up claims last this long too (lib/engine/start-engine.ts).
      SPOOLCAST_ENGINE_LEASE_MS: "4000",
      // One-second scheduler ticks.
      SPOOLCAST_WAKEUP_TIME_SCALE: "60",
      LOG_LEVEL: "warn",
    };
    // Due this minute: the engine writes each call file as soon as the call exists.
    const rooms = ["101", "102", "103", "104", "105", "106"];
    const wakeUps = [];
    for (const room of rooms) wakeUps.push(await bookWakeUp(t.db, room, new Date()));

    // 1. w0 is the only process: it takes the scheduler lease and dies right after its 2nd claim.
    const w0 = startWorker({ ...env, SPOOLCAST_TEST_KILL_AT: "wakeup-claimed:2" }, "w0");
    expect({ exit: await w0.exited, output: w0.output.join("") }).toMatchObject({ exit: "SIGKILL" });
    const dangling = await t.db.wakeUpOccurrence.findMany({ where: { state: "claimed" } });
    expect(dangling.map((o) => o.claimedBy)).toEqual(["w0"]);

    // 2. w1 starts and, once w0's lease is gone, takes the scheduler over; it waits after its
    //    first claim while the hold file exists.
    writeFileSync(holdFile, "");
    const w1 = startWorker({ ...env, SPOOLCAST_TEST_WAKEUP_HOLD_FILE: holdFile }, "w1");
    await until(
      "a live claim of w1",
      async () => (await t!.db.wakeUpOccurrence.count({ where: { state: "claimed", claimedBy: "w1" } })) === 1,
    );

    // 3. w0 restarts while w1's claim is live: its start must leave that claim alone.
    const w0b = startWorker(env, "w0");
    await until("w0 to run again", () => w0b.output.join("").includes("spoolcast worker w0 running"));
    await new Promise((r) => setTimeout(r, 2000)); // a couple of w0's scheduler ticks
    // The old start-up recovery reset every claim here, and w0 then rang the guest a second time.
    expect(await t.db.wakeUpOccurrence.findFirst({ where: { claimedBy: "w1" } })).toMatchObject({
      state: "claimed",
      callId: null,
    });
    rmSync(holdFile);

    // 4. Every wake-up gets its call and its file; then a few more ticks change nothing.
    await until("a call file for every wake-up", async () => (await filesByWakeUp(t!.db, outgoing)).size === rooms.length);
    await new Promise((r) => setTimeout(r, 3000));
    expect({ w1: w1.proc.exitCode, w0: w0b.proc.exitCode, output: [...w1.output, ...w0b.output].join("") }).toMatchObject({
      w1: null,
      w0: null,
    });

    const calls = await t.db.call.groupBy({ by: ["wakeUpId"], where: { state: { not: "cancelled" } }, _count: { _all: true } });
    expect(Object.fromEntries(calls.map((c) => [c.wakeUpId, c._count._all]))).toEqual(
      Object.fromEntries(wakeUps.map((w) => [w.id, 1])),
    );
    const files = await filesByWakeUp(t.db, outgoing);
    expect(Object.fromEntries(files)).toEqual(Object.fromEntries(wakeUps.map((w) => [w.id, 1])));
    expect(readdirSync(outgoing)).toHaveLength(rooms.length);
    const occurrences = await t.db.wakeUpOccurrence.findMany({ select: { state: true, callId: true } });
    expect(occurrences.every((o) => o.callId !== null && o.state !== "claimed")).toBe(true);
    expect(existsSync(holdFile)).toBe(false);
  }, 180_000);
});
