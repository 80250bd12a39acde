/**
 * End-to-end crash scenario for the call engine, shared by the integration tests (small
 * sizes) and the soak command (5,000 calls): real worker processes (`tsx scripts/worker.ts`)
 * against one database, the bundled Asterisk simulator on each host's spool, workers killed
 * with SIGKILL at each step of claim → write → record or in the middle of a run, then
 * restarted. The report says whether every call has exactly one file per attempt and a
 * final outcome; callers assert on it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import { createDb, type Db } from "@/lib/db";
import { parseCallFileName } from "@/lib/callfile/types";
import { isFinalState } from "@/lib/engine/call-state";
import { enqueueCalls, type EnqueueCall } from "@/lib/engine/calls";
import { startSimulator, type Simulator, type CalleeRule } from "@/lib/asterisk-sim/index";

const ROOT = path.resolve(import.meta.dirname, "../..");

export type KillPlan =
  /** One worker; SIGKILL after the n-th claim, write and record in turn, restarting each time. */
  | { kind: "steps"; steps: Array<"claimed" | "written" | "recorded"> }
  /** Several workers at once; one of them is SIGKILLed once `afterFinal` calls are final. */
  | { kind: "one-worker"; workers: number; afterFinal: number };

export type ScenarioOptions = {
  databaseUrl: string;
  rootDir: string;
  calls: number;
  hosts: number;
  kill: KillPlan;
  /** Simulated seconds per real second. */
  speed?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
};

export type ScenarioReport = {
  calls: number;
  finalCalls: number;
  byState: Record<string, number>;
  /** Calls with more than one file (fileSeq > 1) although nobody re-queued them. */
  extraFiles: string[];
  /** Spool files Asterisk processed more than once for the same attempt number. */
  duplicateAttempts: string[];
  /** Calls whose recorded attempts differ from the attempts the simulator made for their file. */
  attemptMismatches: string[];
  /** Final calls whose archived file is not in outgoing_done/spoolcast-archive/. */
  missingArchives: string[];
  /** Calls marked lost, with their reason. */
  lostCalls: string[];
  /** Spoolcast files left in outgoing/. */
  leftInOutgoing: string[];
  kills: number;
  elapsedMs: number;
};

const CALLEES: CalleeRule[] = [
  { prefix: "+1555001", behaviour: { kind: "answer", after: 1, dtmf: [], hangupAfter: 2 } },
  { prefix: "+1555002", behaviour: { kind: "busy", after: 1 } },
  { prefix: "+1555003", behaviour: { kind: "no-answer" } },
  { prefix: "+1555004", behaviour: { kind: "congestion", after: 0.5 } },
];

type Worker = { proc: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; tail: string[] };

function startWorker(env: Record<string, string>, id: string, log: (l: string) => void): Worker {
  // `node --import tsx`, not the tsx binary: one process, so SIGKILL hits the worker itself.
  const proc = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...env, SPOOLCAST_WORKER_ID: id },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const tail: string[] = [];
  const keep = (line: string) => {
    log(line);
    tail.push(line);
    if (tail.length > 30) tail.shift();
  };
  proc.stdout!.on("data", (d: Buffer) => keep(`[${id}] ${d.toString().trimEnd()}`));
  proc.stderr!.on("data", (d: Buffer) => keep(`[${id}!] ${d.toString().trimEnd()}`));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { proc, exited, tail };
}

async function pollUntil(what: string, deadline: number, check: () => Promise<boolean>, everyMs = 200) {
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

async function countFinal(db: Db): Promise<number> {
  return db.call.count({ where: { state: { notIn: ["queued", "spooled", "dialling", "retry-wait", "answered"] } } });
}

/** Runs the scenario; the database must be migrated and empty. */
export async function runEngineScenario(opts: ScenarioOptions): Promise<ScenarioReport> {
  const log = opts.log ?? (() => {});
  const started = Date.now();
  const deadline = started + (opts.timeoutMs ?? 600_000);
  const db = createDb(opts.databaseUrl);
  const sims: Simulator[] = [];
  const workers: Worker[] = [];
  // (file, attempt) pairs the simulated Asterisk dialled: a file processed twice shows up here.
  const dialled = new Map<string, number[]>();
  let kills = 0;
  try {
    const hostIds: string[] = [];
    for (let h = 0; h < opts.hosts; h++) {
      const spoolDir = path.join(opts.rootDir, `spool-${h}`);
      mkdirSync(path.join(spoolDir, "outgoing"), { recursive: true });
      const host = await db.asteriskHost.create({
        data: {
          name: `host-${h}`,
          isDefault: h === 0,
          spoolDir,
          soundsDir: path.join(opts.rootDir, "sounds"),
          maxConcurrent: 40,
          maxPerSecond: 200,
          retention: "archive",
          // Nothing listens there: the simulated callee's answer still ends Completed (docs/asterisk.md#answered-means-completed).
          ivrPublicAddress: "127.0.0.1:9",
        },
      });
      hostIds.push(host.id);
      const sim = await startSimulator({
        spoolDir,
        soundsDir: path.join(opts.rootDir, "sounds"),
        speed: opts.speed ?? 20,
        callees: CALLEES,
        seed: 7,
      });
      sim.on("call", (e) => {
        const list = dialled.get(e.file) ?? [];
        list.push(e.attempt);
        dialled.set(e.file, list);
      });
      sims.push(sim);
    }

    const calls: EnqueueCall[] = [];
    for (let i = 0; i < opts.calls; i++) {
      calls.push({
        kind: i % 10 === 0 ? "pa" : i % 5 === 0 ? "wakeup" : "campaign",
        hostId: hostIds[i % hostIds.length]!,
        destination: `+155500${(i % 4) + 1}${String(i).padStart(5, "0")}`,
        maxRetries: 1,
        retryTime: 5,
        waitTime: 3,
      });
    }
    for (let i = 0; i < calls.length; i += 1000) await enqueueCalls(db, calls.slice(i, i + 1000));
    log(`enqueued ${calls.length} calls on ${hostIds.length} host(s)`);

    const env = {
      DATABASE_URL: opts.databaseUrl,
      SPOOLCAST_SECRET: "soak-secret-".padEnd(40, "x"),
      SPOOLCAST_DATA_DIR: path.join(opts.rootDir, "data"),
      ASTERISK_SIMULATOR: "off",
      ASTERISK_SPOOL_DIR: path.join(opts.rootDir, "spool-0"),
      SPOOLCAST_ENGINE: "off",
      SPOOLCAST_WORKER_MIGRATE: "off",
      SPOOLCAST_ENGINE_POLL_MS: "100",
      SPOOLCAST_ENGINE_LEASE_MS: "3000",
      LOG_LEVEL: "warn",
    };

    if (opts.kill.kind === "steps") {
      for (const step of opts.kill.steps) {
        const w = startWorker({ ...env, SPOOLCAST_TEST_KILL_AT: `${step}:2` }, `victim-${step}`, log);
        const result = await Promise.race([
          w.exited,
          new Promise<null>((r) => setTimeout(() => r(null), Math.max(0, deadline - Date.now()))),
        ]);
        if (!result || result.signal !== "SIGKILL") {
          w.proc.kill("SIGKILL");
          const final = await countFinal(db);
          throw new Error(
            `worker was to die by SIGKILL after "${step}", got ${JSON.stringify(result)} (${final} final); its last output:\n${w.tail.join("\n")}`,
          );
        }
        kills++;
        log(`worker killed after "${step}" (${await countFinal(db)} final so far)`);
        // Let the dead worker's lease run out so the next one takes the host over.
        await new Promise((r) => setTimeout(r, 3100));
      }
      workers.push(startWorker(env, "survivor", log));
    } else {
      for (let k = 0; k < opts.kill.workers; k++) workers.push(startWorker(env, `w${k}`, log));
      const afterFinal = opts.kill.afterFinal;
      await pollUntil(`${afterFinal} final calls`, deadline, async () => (await countFinal(db)) >= afterFinal);
      // Kill the worker holding the most leases, so at least one host really changes hands.
      const leases = await db.hostLease.groupBy({ by: ["owner"], _count: { _all: true } });
      const owners = leases.sort((a, b) => countOf(b) - countOf(a)).map((l) => l.owner);
      const victim = workers.findIndex((_w, k) => owners[0] === `w${k}`);
      const w = workers[victim === -1 ? 0 : victim]!;
      w.proc.kill("SIGKILL");
      await w.exited;
      kills++;
      log(`killed ${owners[0] ?? "w0"} mid-run (${await countFinal(db)} final)`);
    }

    await pollUntil(`all ${opts.calls} calls final`, deadline, async () => (await countFinal(db)) >= opts.calls, 500);
    return await buildReport(db, opts, dialled, kills, started);
  } finally {
    for (const w of workers) {
      if (w.proc.exitCode === null && w.proc.signalCode === null) {
        w.proc.kill("SIGTERM");
        await Promise.race([w.exited, new Promise((r) => setTimeout(r, 5000))]);
        if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill("SIGKILL");
      }
    }
    for (const s of sims) await s.stop();
    await db.$disconnect();
  }
}

// oxlint-disable-next-line no-underscore-dangle -- Prisma's aggregate field name
const countOf = (r: { _count: { _all: number } }) => r._count._all;

async function buildReport(
  db: Db,
  opts: ScenarioOptions,
  dialled: Map<string, number[]>,
  kills: number,
  started: number,
): Promise<ScenarioReport> {
  const rows = await db.call.findMany({
    select: { id: true, state: true, fileSeq: true, attempts: true, hostId: true, currentFile: true, reason: true },
  });
  const byState: Record<string, number> = {};
  for (const r of rows) byState[r.state] = (byState[r.state] ?? 0) + 1;
  const archived = new Set<string>();
  const leftInOutgoing: string[] = [];
  for (let h = 0; h < opts.hosts; h++) {
    const dir = path.join(opts.rootDir, `spool-${h}`);
    const keep = path.join(dir, "outgoing_done", "spoolcast-archive");
    if (existsSync(keep)) for (const n of readdirSync(keep)) archived.add(n);
    for (const n of readdirSync(path.join(dir, "outgoing"))) if (parseCallFileName(n)) leftInOutgoing.push(n);
  }
  const duplicateAttempts = [...dialled.entries()]
    .filter(([, attempts]) => new Set(attempts).size !== attempts.length)
    .map(([file, attempts]) => `${file}: attempts ${attempts.join(",")}`);
  const attemptMismatches: string[] = [];
  const missingArchives: string[] = [];
  for (const r of rows) {
    const made = dialled.get(r.currentFile ?? "")?.length ?? 0;
    if (made !== r.attempts) attemptMismatches.push(`${r.id}: recorded ${r.attempts}, simulator dialled ${made}`);
    if (r.currentFile && !archived.has(r.currentFile)) missingArchives.push(r.currentFile);
  }
  return {
    calls: rows.length,
    finalCalls: rows.filter((r) => isFinalState(r.state)).length,
    byState,
    extraFiles: rows.filter((r) => r.fileSeq !== 1).map((r) => `${r.id}: fileSeq ${r.fileSeq}`),
    duplicateAttempts,
    attemptMismatches,
    missingArchives,
    lostCalls: rows.filter((r) => r.state === "lost").map((r) => `${r.id}: ${r.reason}`),
    leftInOutgoing,
    kills,
    elapsedMs: Date.now() - started,
  };
}
