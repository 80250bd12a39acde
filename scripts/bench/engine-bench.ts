/**
 * Engine benchmarks (issue 6), on SQLite (the embedded default) with the local spool:
 *  1. 10,000 calls dispatched and reconciled through the simulator at maxConcurrent 200:
 *     calls per second and database time per call;
 *  2. reconciling 100,000 archived files (target < 10 s), beside the ceiling: listing, reading
 *     and unlinking the same files with nothing else;
 *  3. click-to-spool latency of an emergency PA call while a 10,000-call campaign is queued
 *     (target p95 < 50 ms).
 * SPOOLCAST_BENCH_SCALE (default 1) shrinks the sizes for a quick look.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, unlink as unlinkCb, writeFileSync } from "node:fs";
import fs from "node:fs/promises";
import { promisify } from "node:util";
import { Session } from "node:inspector/promises";
import os from "node:os";
import path from "node:path";
import { createDb, type Db } from "@/lib/db";
import { migrate, sqlitePath } from "@/lib/db/migrate";
import { callFileName } from "@/lib/callfile/types";
import { parseCallFile } from "@/lib/callfile/parse";
import { serializeCallFile } from "@/lib/callfile/serialize";
import { createEngine, type Engine } from "@/lib/engine/engine";
import { enqueueCalls, newCallId } from "@/lib/engine/calls";
import { openHostTransport } from "@/lib/engine/host-transport";
import { buildCallFile } from "@/lib/engine/build-call-file";
import { startSimulator } from "@/lib/asterisk-sim/index";
import { type BenchResult, settleDisk } from "./types";

const SECRET = "bench-secret-".padEnd(40, "x");
const SCALE = Number(process.env.SPOOLCAST_BENCH_SCALE ?? 1);
const ACTIVE = ["queued", "spooled", "dialling", "retry-wait", "answered"];

/** Per-operation totals when SPOOLCAST_BENCH_PROFILE is set (printed by the runner). */
export const profile = new Map<string, { n: number; ms: number }>();

type Ctx = { root: string; url: string; db: Db; dbMs: () => number; addDbMs: (ms: number) => void; close: () => Promise<void> };

/** A fresh migrated SQLite database whose client adds up the time spent in queries. */
async function freshDb(label: string): Promise<Ctx> {
  const root = mkdtempSync(path.join(os.tmpdir(), `spoolcast-bench-${label}-`));
  const url = `file:${path.join(root, "bench.db")}`;
  await migrate(url);
  const base = createDb(url);
  let ms = 0;
  const timed = base.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        const t = performance.now();
        try {
          return await query(args);
        } finally {
          const d = performance.now() - t;
          ms += d;
          if (process.env.SPOOLCAST_BENCH_PROFILE) {
            const k = `${model ?? ""}.${operation}`;
            const p = profile.get(k) ?? { n: 0, ms: 0 };
            p.n++;
            p.ms += d;
            profile.set(k, p);
          }
        }
      },
    },
  }) as unknown as Db;
  return {
    root,
    url,
    db: timed,
    dbMs: () => ms,
    addDbMs: (d: number) => {
      ms += d;
    },
    close: async () => {
      await base.$disconnect();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function engineFor(ctx: Ctx, extra: Partial<Parameters<typeof createEngine>[0]> = {}): Engine {
  return createEngine({
    db: ctx.db,
    provider: "sqlite",
    secret: SECRET,
    ivrPublicAddress: "127.0.0.1:9",
    transportFor: openHostTransport,
    serialize: serializeCallFile,
    parse: parseCallFile,
    // As start-engine.ts does on SQLite: reconcile batches through a direct connection.
    sqliteFile: sqlitePath(ctx.url),
    // Time on the direct connection counts as database time too.
    onDirectDbTime: ctx.addDbMs,
    pollMs: 50,
    ...extra,
  });
}

async function pollUntil(deadlineMs: number, check: () => Promise<boolean>, everyMs = 100) {
  const deadline = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("benchmark timed out");
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

async function benchThroughput(): Promise<BenchResult[]> {
  const n = Math.round(10_000 * SCALE);
  const ctx = await freshDb("throughput");
  const spoolDir = path.join(ctx.root, "spool");
  mkdirSync(path.join(spoolDir, "outgoing"), { recursive: true });
  const host = await ctx.db.asteriskHost.create({
    data: {
      name: "bench",
      spoolDir,
      soundsDir: ctx.root,
      maxConcurrent: 200,
      maxPerSecond: 1000,
      retention: "archive",
      ivrPublicAddress: "127.0.0.1:9",
    },
  });
  const sim = await startSimulator({
    spoolDir,
    soundsDir: ctx.root,
    speed: 200,
    callees: [{ prefix: "+", behaviour: { kind: "answer", after: 0.5, dtmf: [], hangupAfter: 0.5 } }],
  });
  const engine = engineFor(ctx);
  try {
    for (let i = 0; i < n; i += 2000) {
      await enqueueCalls(
        ctx.db,
        Array.from({ length: Math.min(2000, n - i) }, (_, k) => ({
          kind: "campaign" as const,
          hostId: host.id,
          destination: `+1555${String(i + k).padStart(7, "0")}`,
          maxRetries: 0,
          retryTime: 60,
          waitTime: 30,
        })),
      );
    }
    settleDisk();
    const dbBefore = ctx.dbMs();
    const t0 = performance.now();
    engine.start();
    await pollUntil(600_000, async () => (await ctx.db.call.count({ where: { state: { in: ACTIVE } } })) === 0, 250);
    const seconds = (performance.now() - t0) / 1000;
    const dbPerCall = (ctx.dbMs() - dbBefore) / n;
    const final = await ctx.db.call.count({ where: { state: "completed" } });
    if (final !== n) throw new Error(`only ${final} of ${n} calls completed`);
    return [
      { name: `engine: ${n} calls dispatched+reconciled (sim, maxConcurrent 200)`, value: n / seconds, unit: "calls/s" },
      { name: "engine: database time per call (dispatch+progress+reconcile)", value: dbPerCall, unit: "ms" },
    ];
  } finally {
    await engine.stop();
    await sim.stop();
    await ctx.close();
  }
}

const unlink = promisify(unlinkCb);

/** Runs fn over items with at most `limit` in flight. */
async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/**
 * The floor under any reconcile: list the directory, read every file and unlink it, the
 * cheapest raw way measured here (synchronous reads of cached files; unlinks, which write
 * the journal, 32 in flight through the callback API) and nothing else: no stat, no parsing,
 * no database. Seconds.
 */
async function readAndUnlinkAll(dir: string): Promise<number> {
  const t0 = performance.now();
  let bytes = 0;
  const names = await fs.readdir(dir);
  for (const name of names) bytes += readFileSync(path.join(dir, name)).length;
  await inParallel(names, 32, (name) => unlink(path.join(dir, name)));
  if (bytes === 0) throw new Error("ceiling: no files were read");
  return (performance.now() - t0) / 1000;
}

/**
 * Times `fn`: wall seconds and this process's CPU seconds (user + system; on a machine shared
 * with other work the wall time varies with their load, the CPU time much less).
 * SPOOLCAST_BENCH_CPU_PROFILE=<file.cpuprofile> also writes a V8 CPU profile of `fn` alone
 * (open it in Chrome DevTools or speedscope), so setup and the ceiling do not drown it.
 */
async function measure(fn: () => Promise<void>): Promise<{ seconds: number; cpuSeconds: number }> {
  const file = process.env.SPOOLCAST_BENCH_CPU_PROFILE;
  const session = file ? new Session() : null;
  if (session) {
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.start");
  }
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let seconds = 0;
  let cpuSeconds = 0;
  try {
    await fn();
  } finally {
    // Measured before the profile is written out, which takes a while itself.
    seconds = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu0);
    cpuSeconds = (used.user + used.system) / 1e6;
    if (session) {
      const { profile: cpuProfile } = await session.post("Profiler.stop");
      writeFileSync(file!, JSON.stringify(cpuProfile));
      session.disconnect();
    }
  }
  return { seconds, cpuSeconds };
}

async function benchReconcile(): Promise<BenchResult[]> {
  const n = Math.round(100_000 * SCALE);
  const ctx = await freshDb("reconcile");
  const spoolDir = path.join(ctx.root, "spool");
  const done = path.join(spoolDir, "outgoing_done");
  mkdirSync(path.join(spoolDir, "outgoing"), { recursive: true });
  mkdirSync(done, { recursive: true });
  // The same files a second time, for the ceiling: what reading and removing them costs alone.
  const ceilingDir = path.join(ctx.root, "ceiling");
  mkdirSync(ceilingDir, { recursive: true });
  const host = await ctx.db.asteriskHost.create({
    data: { name: "bench", spoolDir, soundsDir: ctx.root, retention: "archive", ivrPublicAddress: "127.0.0.1:9" },
  });
  try {
    const now = Date.now();
    const started = Math.floor(now / 1000) - 120;
    for (let i = 0; i < n; i += 5000) {
      const rows = Array.from({ length: Math.min(5000, n - i) }, (_, k) => {
        const id = newCallId();
        const j = i + k;
        return {
          id,
          kind: "campaign",
          priority: 30,
          state: "spooled",
          hostId: host.id,
          destination: `+1555${String(j).padStart(7, "0")}`,
          channel: `PJSIP/+1555${String(j).padStart(7, "0")}@trunk`,
          scheduledAt: new Date(now - 200_000),
          spooledAt: new Date(now - 200_000),
          maxRetries: 1,
          retryTime: 60,
          waitTime: 30,
          fileSeq: 1,
          currentFile: callFileName(id, 1),
          requireAck: j % 2 === 0,
        };
      });
      await ctx.db.call.createMany({ data: rows });
      for (const [k, r] of rows.entries()) {
        const body = serializeCallFile(
          buildCallFile({ call: { ...r, callerId: null }, host, secret: SECRET, ivrPublicAddress: "127.0.0.1:9" }),
        );
        const outcome =
          (i + k) % 3 === 0
            ? `\nStartRetry: 4242 1 (${started + 60})\n\nEndRetry: 4242 1 (${started + 30})\n\nStartRetry: 4242 2 (${started + 120})\nStatus: Expired\n`
            : `\nStartRetry: 4242 1 (${started + 60})\nStatus: Completed\n`;
        writeFileSync(path.join(done, r.currentFile), body + outcome);
        writeFileSync(path.join(ceilingDir, r.currentFile), body + outcome);
      }
    }
    settleDisk();
    const ceiling = await readAndUnlinkAll(ceilingDir);
    const engine = engineFor(ctx, { watch: false });
    settleDisk();
    const dbBefore = ctx.dbMs();
    let took: { seconds: number; cpuSeconds: number };
    try {
      took = await measure(async () => {
        while ((await ctx.db.call.count({ where: { state: { in: ACTIVE } } })) > 0) await engine.runOnce();
      });
    } finally {
      await engine.stop();
    }
    const { seconds, cpuSeconds } = took;
    const archived = statSync(path.join(done, "spoolcast-archive")).isDirectory();
    if (!archived) throw new Error("retention did not move the files");
    const target = 10 * SCALE;
    return [
      {
        name: `engine: reconcile ${n} archived files`,
        value: seconds,
        unit: "s",
        target: `< ${target} s`,
        baseline: ceiling,
        ok: seconds < target,
      },
      { name: `engine: ceiling, list + read + unlink ${n} files`, value: ceiling, unit: "s" },
      { name: `engine: reconcile ${n} archived files, CPU time of the process`, value: cpuSeconds, unit: "s" },
      { name: "engine: database time per archived file", value: (ctx.dbMs() - dbBefore) / n, unit: "ms" },
    ];
  } finally {
    await ctx.close();
  }
}

async function benchLatency(): Promise<BenchResult[]> {
  const campaignSize = Math.round(10_000 * SCALE);
  const samples = 40;
  const ctx = await freshDb("latency");
  const spoolDir = path.join(ctx.root, "spool");
  const outgoing = path.join(spoolDir, "outgoing");
  mkdirSync(outgoing, { recursive: true });
  const host = await ctx.db.asteriskHost.create({
    data: { name: "bench", spoolDir, soundsDir: ctx.root, maxConcurrent: 200, maxPerSecond: 50, ivrPublicAddress: "127.0.0.1:9" },
  });
  const campaign = await ctx.db.campaign.create({ data: { name: "bench", state: "running", maxConcurrent: 20, perMinute: 600 } });
  const engine = engineFor(ctx, { pollMs: 250 });
  try {
    for (let i = 0; i < campaignSize; i += 2000) {
      await enqueueCalls(
        ctx.db,
        Array.from({ length: Math.min(2000, campaignSize - i) }, (_, k) => ({
          kind: "campaign" as const,
          hostId: host.id,
          campaignId: campaign.id,
          destination: `+1555${String(i + k).padStart(7, "0")}`,
        })),
      );
    }
    settleDisk();
    engine.start();
    await new Promise((r) => setTimeout(r, 1000));
    const latencies: number[] = [];
    const enqueueMs: number[] = [];
    for (let s = 0; s < samples; s++) {
      const t0 = performance.now();
      const [id] = await enqueueCalls(ctx.db, [{ kind: "pa", hostId: host.id, destination: `PJSIP/${2000 + s}` }]);
      enqueueMs.push(performance.now() - t0);
      const file = path.join(outgoing, callFileName(id!, 1));
      for (;;) {
        try {
          statSync(file);
          break;
        } catch {
          if (performance.now() - t0 > 10_000) throw new Error("emergency call was not spooled within 10 s");
          await new Promise((r) => setImmediate(r));
        }
      }
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 150));
    }
    latencies.sort((a, b) => a - b);
    const p95 = latencies[Math.ceil(latencies.length * 0.95) - 1]!;
    const p50 = latencies[Math.floor(latencies.length / 2)]!;
    const queued = await ctx.db.call.count({ where: { campaignId: campaign.id, state: "queued" } });
    return [
      {
        name: `engine: click-to-spool p95, emergency PA vs ${queued} queued campaign calls`,
        value: p95,
        unit: "ms",
        target: "< 50 ms",
        ok: p95 < 50,
      },
      { name: "engine: click-to-spool p50", value: p50, unit: "ms" },
      {
        name: "engine: of which enqueueCalls p50",
        value: enqueueMs.sort((a, b) => a - b)[Math.floor(enqueueMs.length / 2)]!,
        unit: "ms",
      },
    ];
  } finally {
    await engine.stop();
    await ctx.close();
  }
}

/** All engine benchmarks, in order. */
export async function benchEngine(): Promise<BenchResult[]> {
  const only = process.env.SPOOLCAST_BENCH_ONLY;
  const out: BenchResult[] = [];
  if (!only || only === "latency") out.push(...(await benchLatency()));
  if (!only || only === "reconcile") out.push(...(await benchReconcile()));
  if (!only || only === "throughput") out.push(...(await benchThroughput()));
  return out;
}
