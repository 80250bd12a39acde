/**
 * The one way a background scheduler runs: every `intervalMs` the runner (re)takes the
 * scheduler's lease and, only while it holds it, runs `tick` once. Ticks never overlap (a
 * timer firing during a slow tick is skipped), a tick that throws is logged and the next
 * one runs as usual, and `stop` waits for the tick in flight and hands the lease back. While
 * a tick runs the lease is renewed every third of its life, so a slow tick (a large campaign,
 * a wake-up waiting on a claim) keeps it; only a process that stopped running loses it.
 *
 * A scheduler keeps its decisions pure (e.g. decideCampaignTick, decideFollowUp) and its
 * `tick` is the apply step: read, decide, write with conditional updates. The lease makes one
 * process the scheduler; the conditional updates keep a stalled former holder harmless.
 */
import type { Db } from "@/lib/db";
import { acquireSchedulerLease, releaseSchedulerLease } from "@/lib/scheduling/lease";

export type RunnerLog = {
  info: (o: object, m: string) => void;
  error: (o: object, m: string) => void;
};

export type TickContext = { now: Date; owner: string };

/** What one `runOnce` did. */
export type TickOutcome = "ran" | "failed" | "not-leader" | "busy" | "stopped";

export type PeriodicRunnerOptions = {
  /** Names the lease and the log lines. */
  name: string;
  intervalMs: number;
  /** The lease to hold while ticking; ttlMs should be several intervals. */
  lease: { db: Db; owner: string; ttlMs: number; /** Renewal period during a tick; default ttlMs / 3. */ heartbeatMs?: number };
  tick: (ctx: TickContext) => Promise<void>;
  log?: RunnerLog;
  /** The clock (tests). */
  now?: () => Date;
};

export type PeriodicRunner = {
  /** Starts the timer and runs a first tick at once. */
  start: () => void;
  /** One lease check and, when held, one tick (the timer calls this). */
  runOnce: () => Promise<TickOutcome>;
  /** Stops the timer, waits for the tick in flight, releases the lease. */
  stop: () => Promise<void>;
  readonly holdsLease: boolean;
};

export function createPeriodicRunner(opts: PeriodicRunnerOptions): PeriodicRunner {
  const { name, lease, log } = opts;
  const clock = opts.now ?? (() => new Date());
  const spec = { name, owner: lease.owner, ttlMs: lease.ttlMs };
  let timer: ReturnType<typeof setInterval> | null = null;
  let inFlight: Promise<TickOutcome> | null = null;
  let held = false;
  let stopped = false;

  async function once(): Promise<TickOutcome> {
    const now = clock();
    let mine: boolean;
    try {
      mine = await acquireSchedulerLease(lease.db, spec, now);
    } catch (err) {
      // Database unreachable: nobody can be sure to hold it; try again next interval.
      log?.error({ err, scheduler: name }, "scheduler lease check failed");
      return "failed";
    }
    if (mine !== held)
      log?.info({ scheduler: name, owner: lease.owner }, mine ? "holding the scheduler lease" : "lost the scheduler lease");
    held = mine;
    if (!mine) return "not-leader";
    const beat = setInterval(() => void heartbeat(), lease.heartbeatMs ?? lease.ttlMs / 3);
    try {
      await opts.tick({ now, owner: lease.owner });
      return "ran";
    } catch (err) {
      log?.error({ err, scheduler: name }, "scheduler tick failed");
      return "failed";
    } finally {
      clearInterval(beat);
    }
  }

  async function heartbeat(): Promise<void> {
    try {
      if (await acquireSchedulerLease(lease.db, spec, clock())) return;
      // Only possible once it had expired, i.e. our renewals failed: the other holder's
      // conditional updates keep the rest of this tick harmless.
      held = false;
      log?.info({ scheduler: name, owner: lease.owner }, "lost the scheduler lease during a tick");
    } catch (err) {
      log?.error({ err, scheduler: name }, "scheduler lease renewal failed");
    }
  }

  function runOnce(): Promise<TickOutcome> {
    if (stopped) return Promise.resolve("stopped");
    if (inFlight) return Promise.resolve("busy");
    const p = once().finally(() => {
      inFlight = null;
    });
    inFlight = p;
    return p;
  }

  return {
    start() {
      if (timer || stopped) return;
      timer = setInterval(() => void runOnce(), opts.intervalMs);
      timer.unref?.();
      void runOnce();
    },
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await inFlight;
      if (held) {
        held = false;
        await releaseSchedulerLease(lease.db, spec).catch((err: unknown) =>
          log?.error({ err, scheduler: name }, "scheduler lease not released; it expires by itself"),
        );
      }
    },
    get holdsLease() {
      return held;
    },
  };
}
