/**
 * The call engine loop (docs/architecture.md#the-engine): per Asterisk host, under that host's lease,
 *  1. recovery  – reconciles DB claims with the disk after a start or takeover;
 *  2. reconcile – archived files in outgoing_done/ → outcomes (fs events + periodic full scan);
 *  3. progress  – StartRetry/EndRetry lines of files in outgoing/ → timeline; lost detection;
 *  4. dispatch  – due calls by (priority, scheduledAt) → call files, within the host's pacing.
 * Crash safety comes from the order claim (DB) → write (deterministic name) → record (DB):
 * a crash between any two steps leaves a state that recovery resolves without a second file.
 */
import { watch, type FSWatcher } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { Db, Tx } from "@/lib/db";
import { Prisma, type AsteriskHost } from "@/lib/generated/sqlite/client";
import { CallFileError, callFileName, parseCallFileName, type CallFile, type ParsedCallFile } from "@/lib/callfile/types";
import { SpoolError, type HealthReport, type SpoolEntry, type SpoolTransport } from "@/lib/spool/types";
import { PRIORITY, isFinalState, type CallState } from "@/lib/engine/call-state";
import {
  deriveState,
  initialStatus,
  storedFacts,
  transition,
  type CallStatus,
  type StoredCallRow,
} from "@/lib/calls/call-state-machine";
import { missedReason } from "@/lib/engine/valid-until";
import { buildCallFile } from "@/lib/engine/build-call-file";
import { acquireLease, releaseLease } from "@/lib/engine/lease";
import { RateSlots } from "@/lib/engine/pacing";
import { attemptsFromRetries, lastActivity, lostDeadline, type AttemptInfo } from "@/lib/engine/outcome";
import type { TimelineEvent } from "@/lib/engine/timeline";
import { insertAttempts, insertEvents, newRowId } from "@/lib/engine/bulk";
import {
  ARCHIVE_SELECT,
  RECONCILE_EVENT_TYPES,
  deliveryEventsByCall,
  isCurrentFile,
  lateArchiveFile,
  lateKey,
  planArchives,
  progressEvents,
  type ArchiveCall,
  type ArchiveItem,
  type CallOutcomeRow,
} from "@/lib/engine/archive-plan";
import { isSqliteBusy, openSqliteDirect, type SqliteDirect } from "@/lib/engine/sqlite-direct";
import { engineSignals } from "@/lib/engine/signals";
import { log as rootLog } from "@/lib/log";

export type EngineOptions = {
  db: Db;
  /** The database provider (bulk statements differ slightly between SQLite and PostgreSQL). */
  provider: "sqlite" | "postgresql";
  secret: string;
  /** The secret to sign new call files with, read per file (lib/ivr/ivr-secret.ts rotation); default `secret`. */
  signingSecret?: () => string;
  /** IVR address written into call files of hosts that have none of their own. */
  ivrPublicAddress: string;
  /** Opens a host's spool transport (lib/spool createTransport in production, a fake in tests). */
  transportFor: (host: AsteriskHost) => SpoolTransport | Promise<SpoolTransport>;
  serialize: (cf: CallFile) => string;
  parse: (text: string) => ParsedCallFile;
  workerId?: string;
  /** Only these hosts (default: every enabled host). */
  hostIds?: string[];
  /**
   * The SQLite database file behind `db` (provider "sqlite"): reconcile batches then go
   * through a direct better-sqlite3 connection, an order of magnitude faster than Prisma.
   */
  sqliteFile?: string;
  /**
   * Smallest batch of archived files that goes through the direct connection (default 100).
   * Small steady-state batches stay on Prisma's connection: two connections writing in turn
   * keep invalidating each other's page cache, which costs more than Prisma saves there.
   */
  directMinBatch?: number;
  /** Told how long each direct SQLite call took (benchmarks add it to Prisma's query time). */
  onDirectDbTime?: (ms: number) => void;
  /** Pass interval for local hosts; SFTP hosts use remotePollMs. */
  pollMs?: number;
  remotePollMs?: number;
  /** Calls due within this window are spooled early with a future mtime. */
  lookAheadMs?: number;
  leaseMs?: number;
  /** Extra time past what a file's retries allow before it counts as lost. */
  lostMarginMs?: number;
  /** How long a file must stay missing (no outgoing, no archive) before it counts as lost. */
  vanishGraceMs?: number;
  /** Full scan of outgoing_done/ at least this often, whatever the fs events said. */
  fullScanMs?: number;
  /** Watch local outgoing_done/ directories for new archives (default true). */
  watch?: boolean;
  writeConcurrency?: number;
  now?: () => number;
  /**
   * Fault injection for crash tests: called after each step of the claim → write → record
   * protocol (scripts/worker.ts can SIGKILL its own process here).
   */
  onStep?: (step: "claimed" | "written" | "recorded") => void;
};

type Seen = { mtimeMs: number; size: number; activity: number | null };

type HostRuntime = {
  host: AsteriskHost;
  transport: SpoolTransport | null;
  transportKey: string;
  leased: boolean;
  leaseUntil: number;
  /**
   * When this engine took the host's lease (started, or took over from a dead worker). A call
   * whose valid-until passed before it was missed because no engine was running; one whose
   * valid-until passed since waited behind the host's capacity while it ran, and is dialled:
   * "Spoolcast was not running" would be untrue for it.
   */
  runningSince: number;
  needsRecovery: boolean;
  /** An unresolved recovery (a name still blocked) is retried at most this often. */
  nextRecoveryAt: number;
  limiter: RateSlots;
  seeded: boolean;
  outgoingSeen: Map<string, Seen>;
  doneArchived: Set<string>;
  pendingArchived: Set<string>;
  lastFullScan: number;
  vanishedSince: Map<string, number>;
  watcher: FSWatcher | null;
  lastRun: number;
  backoffUntil: number;
  /** Files in outgoing/: listed at the start of a pass, plus every file placed since. */
  inFlight: number;
  /** Files placed by this engine so far (lets a pass count writes made during its listing). */
  placed: number;
  /** Claim → write → record sections of this host, one at a time, emergency ones first. */
  lock: DispatchLock;
  lastReconcileAt: Date | null;
  lastError: string | null;
  health: HealthReport | null;
};

/**
 * Mutual exclusion for a host's claim → write → record sections and recovery (recovery would
 * take an unfinished section's claims for a crash). Waiting emergency sections are served
 * before waiting regular ones, and a regular section hands the lock over between write chunks.
 */
type DispatchLock = { held: boolean; urgent: Array<() => void>; normal: Array<() => void> };

/** A snapshot of one host as this engine sees it (status page, health endpoint). */
export type HostRuntimeStatus = {
  hostId: string;
  leased: boolean;
  inFlight: number;
  lastReconcileAt: Date | null;
  lastError: string | null;
};

export type Engine = {
  readonly workerId: string;
  start(): void;
  stop(): Promise<void>;
  /** One pass over every host (tests drive the engine with this instead of the timer). */
  runOnce(): Promise<void>;
  wake(): void;
  hosts(): HostRuntimeStatus[];
};

const TRACKED: CallState[] = ["spooled", "dialling", "retry-wait", "answered"];
const CHUNK = 500;

const CALL_FOR_FILE = {
  id: true,
  kind: true,
  destination: true,
  channel: true,
  callerId: true,
  maxRetries: true,
  retryTime: true,
  waitTime: true,
  scheduledAt: true,
  validUntil: true,
  priority: true,
  campaignId: true,
  fileSeq: true,
} as const;

/**
 * A live call (no archive yet) as the state machine sees it: the facts its row holds, in the
 * state the engine last wrote. The progress tracker passes it its evidence (an IVR answer, the
 * lost deadline, a vanished file) and writes the state the machine derives.
 */
function liveStatus(call: StoredCallRow): CallStatus {
  const facts = storedFacts(call, [], [], null);
  // Without the file's lines at hand the row's own progress state stands, unless the IVR proved an answer.
  const state = deriveState(facts).state === "answered" ? "answered" : (call.state as CallState);
  return { state, reason: "", facts };
}

/** Runs `fn` over `items` with at most `limit` at a time. */
async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Prisma's aggregate count of a groupBy row. */
function groupCount(row: { _count: { _all: number } } | undefined): number {
  // oxlint-disable-next-line no-underscore-dangle -- Prisma's own field names
  return row?._count._all ?? 0;
}

async function upsertAttempts(tx: Tx, callId: string, fileName: string, attempts: AttemptInfo[]) {
  if (attempts.length === 0) return;
  const existing = new Map(
    (
      await tx.callAttempt.findMany({
        where: { callId, fileName },
        select: { n: true, result: true, reason: true, startedAt: true, endedAt: true },
      })
    ).map((r) => [r.n, r]),
  );
  for (const a of attempts) {
    const row = existing.get(a.n);
    if (!row) {
      // ON CONFLICT: the IVR server may have created this row since the read above.
      await insertAttempts(tx, [{ callId, fileName, n: a.n, startedAt: a.startedAt, endedAt: a.endedAt, result: a.result }]);
      continue;
    }
    // Never touch `reason`, nor a result the IVR failure session made specific (busy, no-answer…).
    const result = row.reason ? row.result : a.result;
    const startedAt = a.startedAt ?? row.startedAt;
    const endedAt = a.endedAt ?? row.endedAt;
    if (
      result === row.result &&
      startedAt?.getTime() === row.startedAt?.getTime() &&
      endedAt?.getTime() === row.endedAt?.getTime()
    )
      continue;
    await tx.callAttempt.update({
      where: { callId_fileName_n: { callId, fileName, n: a.n } },
      data: { startedAt, endedAt, result },
    });
  }
}

/**
 * Retries a direct SQLite call while another connection holds the write lock, pausing
 * between tries so the holder (possibly a Prisma transaction of this process) can finish.
 */
async function whenUnlocked<R>(fn: () => R, giveUpMs = 15_000): Promise<R> {
  const start = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return fn();
    } catch (e) {
      if (!isSqliteBusy(e) || Date.now() - start > giveUpMs) throw e;
      await new Promise((r) => setTimeout(r, Math.min(5 * attempt, 100)));
    }
  }
}

/** Wraps the direct connection's calls with a timer when someone listens. */
function timedDirect(d: SqliteDirect, onTime: ((ms: number) => void) | undefined): SqliteDirect {
  if (!onTime) return d;
  const timed =
    <A extends unknown[], R>(fn: (...a: A) => R) =>
    (...a: A): R => {
      const t = performance.now();
      try {
        return fn(...a);
      } finally {
        onTime(performance.now() - t);
      }
    };
  return {
    findCalls: timed(d.findCalls),
    existingIds: timed(d.existingIds),
    applyArchives: timed(d.applyArchives),
    close: d.close,
  };
}

export function createEngine(options: EngineOptions): Engine {
  const db = options.db;
  const workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const log = rootLog.child({ module: "engine", worker: workerId });
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? 250;
  const remotePollMs = options.remotePollMs ?? 2000;
  const lookAheadMs = options.lookAheadMs ?? 60_000;
  const leaseMs = options.leaseMs ?? 15_000;
  const lostMarginMs = options.lostMarginMs ?? 120_000;
  const vanishGraceMs = options.vanishGraceMs ?? 5_000;
  const fullScanMs = options.fullScanMs ?? 5_000;
  const writeConcurrency = options.writeConcurrency ?? 16;
  const useWatch = options.watch ?? true;
  const runtimes = new Map<string, HostRuntime>();
  let directConn: SqliteDirect | null = null;
  /** The direct SQLite connection, opened on first use (null on PostgreSQL or without a file). */
  const directMinBatch = options.directMinBatch ?? 100;
  const sqliteDirect = (batch: number): SqliteDirect | null => {
    if (options.provider !== "sqlite" || !options.sqliteFile || batch < directMinBatch) return null;
    directConn ??= timedDirect(openSqliteDirect(options.sqliteFile), options.onDirectDbTime);
    return directConn;
  };

  let running = false;
  let stopped = false;
  let loopDone: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;
  let woken = false;
  const onWake = () => wake();

  /** Wakes the loop for an early regular pass (archive events from the watcher). */
  function wakeLoop() {
    woken = true;
    wakeUp?.();
  }

  /** Work was enqueued: the emergency fast path runs at once, and the loop wakes. */
  function wake() {
    wakeLoop();
    kickUrgent();
  }

  function runtimeFor(host: AsteriskHost): HostRuntime {
    let rt = runtimes.get(host.id);
    if (!rt) {
      rt = {
        host,
        transport: null,
        transportKey: "",
        leased: false,
        leaseUntil: 0,
        runningSince: Number.POSITIVE_INFINITY,
        needsRecovery: true,
        nextRecoveryAt: 0,
        limiter: new RateSlots(host.maxPerSecond),
        seeded: false,
        outgoingSeen: new Map(),
        doneArchived: new Set(),
        pendingArchived: new Set(),
        lastFullScan: 0,
        vanishedSince: new Map(),
        watcher: null,
        lastRun: 0,
        backoffUntil: 0,
        inFlight: 0,
        placed: 0,
        lock: { held: false, urgent: [], normal: [] },
        lastReconcileAt: null,
        lastError: null,
        health: null,
      };
      runtimes.set(host.id, rt);
    }
    rt.host = host;
    return rt;
  }

  async function dropRuntime(rt: HostRuntime) {
    rt.leased = false;
    rt.watcher?.close();
    rt.watcher = null;
    const t = rt.transport;
    rt.transport = null;
    rt.transportKey = "";
    rt.seeded = false;
    rt.outgoingSeen.clear();
    rt.vanishedSince.clear();
    if (t) await t.close().catch(() => {});
  }

  async function transportOf(rt: HostRuntime): Promise<SpoolTransport> {
    const key = `${rt.host.updatedAt.getTime()}`;
    if (!rt.transport || rt.transportKey !== key) {
      if (rt.transport) await rt.transport.close().catch(() => {});
      rt.transport = await options.transportFor(rt.host);
      rt.transportKey = key;
    }
    return rt.transport;
  }

  function ensureWatcher(rt: HostRuntime) {
    if (!useWatch || rt.watcher || rt.host.transport !== "local") return;
    try {
      // Only a wake-up hint: a missed event is caught by the periodic full scan.
      rt.watcher = watch(path.join(rt.host.spoolDir, "outgoing_done"), (_event, name) => {
        if (name && parseCallFileName(String(name))) {
          rt.pendingArchived.add(String(name));
          // Only the regular pass reconciles: an archive is no reason for the emergency path.
          wakeLoop();
        }
      });
      rt.watcher.on("error", () => {
        rt.watcher?.close();
        rt.watcher = null;
      });
    } catch {
      // outgoing_done/ does not exist until Asterisk archives its first file; retried next pass.
      rt.watcher = null;
    }
  }

  // ─── recording helpers ────────────────────────────────────────────────────────────

  async function markSpooled(rt: HostRuntime, callId: string, name: string, detail: string) {
    await db.$transaction(async (tx) => {
      const r = await tx.call.updateMany({
        where: { id: callId, state: "queued", claimedBy: { not: null } },
        data: { state: "spooled", spooledAt: new Date(now()), currentFile: name },
      });
      if (r.count === 1) {
        await tx.callEvent.create({
          data: { id: newRowId(), callId, type: "spooled", source: "engine", detail, at: new Date(now()) },
        });
      }
    });
    void rt;
  }

  async function unclaim(callIds: string[]) {
    if (callIds.length === 0) return;
    await db.call.updateMany({
      where: { id: { in: callIds }, state: "queued", claimedBy: workerId },
      data: { claimedBy: null, claimedAt: null },
    });
  }

  async function markFinal(callId: string, fromState: string, state: CallState, reason: string, source: TimelineEvent["source"]) {
    await db.$transaction(async (tx) => {
      const r = await tx.call.updateMany({
        where: { id: callId, state: fromState },
        data: { state, outcome: state, reason, endedAt: new Date(now()) },
      });
      if (r.count === 1)
        await tx.callEvent.create({ data: { id: newRowId(), callId, type: state, source, detail: reason, at: new Date(now()) } });
    });
  }

  function contentFor(rt: HostRuntime, call: Parameters<typeof buildCallFile>[0]["call"]): string {
    return options.serialize(
      buildCallFile({
        call,
        host: rt.host,
        secret: options.signingSecret?.() ?? options.secret,
        ivrPublicAddress: options.ivrPublicAddress,
      }),
    );
  }

  // ─── recovery ────────────────────────────────────────────────────────────────────

  /**
   * Claimed-but-not-recorded calls of this host (this or a dead worker crashed between claim
   * and record): a file present in outgoing/ or outgoing_done/ → spooled; certainly absent
   * from both → written again under the SAME name, so Asterisk can never see two files.
   */
  async function recover(rt: HostRuntime, transport: SpoolTransport) {
    const claimed = await db.call.findMany({
      where: { hostId: rt.host.id, state: "queued", claimedBy: { not: null } },
      select: { ...CALL_FOR_FILE, claimedBy: true, claimedAt: true },
    });
    let unresolved = 0;
    for (const call of claimed) {
      const name = callFileName(call.id, call.fileSeq);
      // Another worker's fresh claim may still be in flight (its lease lapsed while it lives,
      // e.g. across a database restart): leave it a lease period to record or die first.
      if (call.claimedBy !== workerId && call.claimedAt && now() - call.claimedAt.getTime() < leaseMs) {
        unresolved++;
        continue;
      }
      if ((await transport.readOutgoing(name)) !== null) {
        await markSpooled(rt, call.id, name, `${name} found in outgoing/ during recovery`);
        continue;
      }
      if ((await transport.readArchived(name)) !== null) {
        await markSpooled(rt, call.id, name, `${name} found in outgoing_done/ during recovery`);
        rt.pendingArchived.add(name);
        continue;
      }
      // Looked at the disk from a snapshot: if the file was archived, reconciled and retained
      // (moved or deleted) since, the call is no longer this claim. Re-read it after the disk
      // checks, so a retained file is never written a second time under the same name.
      const still = await db.call.count({
        where: { id: call.id, state: "queued", claimedBy: call.claimedBy, fileSeq: call.fileSeq },
      });
      if (still === 0) continue;
      // The claim never became a file, and the engine came back past the call's window
      // (a crash, then downtime): writing it now would dial it late. It ends missed instead.
      if (call.validUntil && call.validUntil.getTime() < Math.min(rt.runningSince, now())) {
        await endMissed([{ ...call, requireAck: false }], now(), call.claimedBy);
        continue;
      }
      let content: string;
      try {
        content = contentFor(rt, call);
      } catch (e) {
        await rejectCall(call.id, e);
        continue;
      }
      try {
        await transport.write({ name, content, scheduledAt: new Date(Math.max(call.scheduledAt.getTime(), now())) });
        await markSpooled(rt, call.id, name, `${name} written again during recovery (the claim had no file)`);
      } catch (e) {
        if (e instanceof SpoolError && e.code === "EEXIST") {
          // Either the file is there after all, or a dead writer's temp file still blocks the
          // name (the transport clears it once stale): look again rather than trust the code.
          if ((await transport.readOutgoing(name)) !== null || (await transport.readArchived(name)) !== null) {
            await markSpooled(rt, call.id, name, `${name} found in the spool during recovery`);
          } else {
            unresolved++;
            log.info({ callId: call.id, name }, "recovery: the name is blocked by an unfinished write; will retry");
          }
        } else if (e instanceof SpoolError && e.placed === false) {
          await db.call.updateMany({ where: { id: call.id, state: "queued" }, data: { claimedBy: null, claimedAt: null } });
        } else {
          unresolved++;
          log.warn({ err: e, callId: call.id, name }, "recovery write failed; will check again");
        }
      }
    }
    rt.needsRecovery = unresolved > 0;
    if (claimed.length > 0) log.info({ host: rt.host.name, claimed: claimed.length, unresolved }, "recovery pass");
  }

  async function rejectCall(callId: string, e: unknown) {
    const reason =
      e instanceof CallFileError
        ? `Spoolcast refused to write the call file: ${e.message}`
        : `Spoolcast could not build the call file: ${String(e)}`;
    await db.$transaction(async (tx) => {
      const r = await tx.call.updateMany({
        where: { id: callId, state: "queued" },
        data: { state: "failed", outcome: "failed", reason, endedAt: new Date(now()) },
      });
      if (r.count === 1)
        await tx.callEvent.create({
          data: { id: newRowId(), callId, type: "failed", source: "engine", detail: reason, at: new Date(now()) },
        });
    });
  }

  // ─── reconcile archived files ────────────────────────────────────────────────────

  async function applyRetention(rt: HostRuntime, transport: SpoolTransport, name: string) {
    const mode = rt.host.retention;
    if (mode === "keep") return;
    await transport.removeArchived(name, mode === "delete" ? "delete" : { moveTo: "spoolcast-archive" });
  }

  /**
   * Applies one archived file; returns false when Asterisk has not appended Status yet, or
   * when the call moved while its outcome was written (the file must stay for another pass).
   */
  async function reconcileFile(
    rt: HostRuntime,
    call: ArchiveCall,
    name: string,
    content: string,
    archivedAt: Date,
  ): Promise<boolean> {
    const parsed = options.parse(content);
    if (!parsed.status) return false;
    const unsettled = await applyArchives([{ call, name, parsed, archivedAt }]);
    void rt;
    return !unsettled.has(name);
  }

  /**
   * Applies archived files (each with its Status line) in one transaction, so a call's
   * outcome, attempts and timeline land together or not at all, and 500 files cost a handful
   * of statements instead of a handful each. Idempotent: a call already final is left alone.
   * On SQLite with a known file the batch goes through a direct connection (sqlite-direct.ts).
   *
   * Returns the names of the files whose outcome did not take because the call moved between
   * the read and the guarded update (the IVR store marking it answered, its write delayed by
   * a database restart; PostgreSQL's READ COMMITTED lets that in). Such a file must not be
   * retained: removed, it would leave the call without an archive and it would end up "lost".
   */
  async function applyArchives(items: ArchiveItem[]): Promise<Set<string>> {
    if (items.length === 0) return new Set();
    const direct = sqliteDirect(items.length);
    if (direct) {
      const at = new Date(now());
      return await whenUnlocked(() => direct.applyArchives(items, at));
    }
    const ids = [...new Set(items.map((i) => i.call.id))];
    return await db.$transaction(
      async (tx) => {
        // PostgreSQL (READ COMMITTED): lock the rows before reading their facts, so an IVR fact
        // (a REASON, "message missing") is either committed before this read or written after
        // this commit, when the IVR store sees the final state and refines it. SQLite's
        // BEGIN IMMEDIATE already serializes the two writers.
        if (options.provider === "postgresql")
          await tx.$queryRaw`SELECT "id" FROM "Call" WHERE "id" IN (${Prisma.join(ids)}) ORDER BY "id" FOR UPDATE`;
        const fresh = new Map(
          (await tx.call.findMany({ where: { id: { in: ids } }, select: ARCHIVE_SELECT })).map((c) => [c.id, c]),
        );
        const existing = await tx.callAttempt.findMany({
          where: { callId: { in: ids } },
          select: { callId: true, fileName: true, n: true, result: true, reason: true, startedAt: true, endedAt: true },
        });
        const notes = await tx.callEvent.findMany({
          where: { callId: { in: ids }, type: { in: RECONCILE_EVENT_TYPES } },
          select: { callId: true, type: true, detail: true },
        });
        const lateSeen = new Set(
          notes.filter((e) => e.type === "late-archive").map((e) => lateKey(e.callId, lateArchiveFile(e.detail))),
        );
        const plan = planArchives(items, fresh, existing, lateSeen, deliveryEventsByCall(notes));
        await insertEvents(tx, plan.lateArchives, new Date(now()));
        await insertAttempts(tx, plan.attemptCreates);
        for (const u of plan.attemptUpdates) {
          await tx.callAttempt.update({
            where: { callId_fileName_n: { callId: u.callId, fileName: u.fileName, n: u.n } },
            data: { startedAt: u.startedAt, endedAt: u.endedAt, result: u.result },
          });
        }
        const applied = await updateOutcomes(tx, plan.outcomes);
        const events = plan.outcomes.filter((o) => applied.has(o.id)).flatMap((o) => plan.eventsFor.get(o.id) ?? []);
        await insertEvents(tx, events, new Date(now()));
        return new Set(plan.outcomes.filter((o) => !applied.has(o.id)).map((o) => o.currentFile));
      },
      { timeout: 120_000 },
    );
  }

  /**
   * Writes final outcomes, each guarded by the state the row had when read. Several rows go
   * in one UPDATE … CASE statement (reconciling 100,000 archives one UPDATE each would take
   * minutes); returns the ids actually updated.
   */
  async function updateOutcomes(tx: Tx, rows: CallOutcomeRow[]): Promise<Set<string>> {
    const applied = new Set<string>();
    if (rows.length <= 2) {
      for (const r of rows) {
        const u = await tx.call.updateMany({
          where: { id: r.id, state: r.from },
          data: {
            state: r.state,
            outcome: r.state,
            reason: r.reason,
            endedAt: r.endedAt,
            attempts: r.attempts,
            currentFile: r.currentFile,
            ...(r.from === "queued" ? { spooledAt: r.endedAt } : {}),
          },
        });
        if (u.count === 1) applied.add(r.id);
      }
      return applied;
    }
    const pg = options.provider === "postgresql";
    const typed = (v: unknown, type: "ts" | "int" | "text") =>
      type === "int"
        ? Prisma.sql`CAST(${v} AS INTEGER)`
        : pg && type === "ts"
          ? Prisma.sql`CAST(${v} AS TIMESTAMP(3))`
          : pg
            ? Prisma.sql`CAST(${v} AS TEXT)`
            : Prisma.sql`${v}`;
    const caseOf = (part: CallOutcomeRow[], pick: (r: CallOutcomeRow) => unknown, type: "ts" | "int" | "text") =>
      Prisma.sql`CASE "id" ${Prisma.join(
        part.map((r) => Prisma.sql`WHEN ${r.id} THEN ${typed(pick(r), type)}`),
        " ",
      )} END`;
    for (let i = 0; i < rows.length; i += 200) {
      const part = rows.slice(i, i + 200);
      const count = await tx.$executeRaw`UPDATE "Call" SET
        "state" = ${caseOf(part, (r) => r.state, "text")},
        "outcome" = ${caseOf(part, (r) => r.state, "text")},
        "reason" = ${caseOf(part, (r) => r.reason, "text")},
        "endedAt" = ${caseOf(part, (r) => r.endedAt, "ts")},
        "attempts" = ${caseOf(part, (r) => r.attempts, "int")},
        "currentFile" = ${caseOf(part, (r) => r.currentFile, "text")},
        "spooledAt" = COALESCE("spooledAt", ${caseOf(part, (r) => r.endedAt, "ts")}),
        "updatedAt" = ${typed(new Date(now()), "ts")}
        WHERE "id" IN (${Prisma.join(part.map((r) => r.id))}) AND "state" = ${caseOf(part, (r) => r.from, "text")}`;
      if (count === part.length) {
        for (const r of part) applied.add(r.id);
        continue;
      }
      // Someone (the IVR store) moved a row meanwhile: find out which rows took the update.
      const after = await tx.call.findMany({
        where: { id: { in: part.map((r) => r.id) } },
        select: { id: true, state: true, endedAt: true },
      });
      const want = new Map(part.map((r) => [r.id, r]));
      for (const a of after) {
        const r = want.get(a.id)!;
        if (a.state === r.state && a.endedAt?.getTime() === r.endedAt.getTime()) applied.add(a.id);
      }
    }
    return applied;
  }

  /** Looks up the calls of one chunk of archived names and reads the files that need it. */
  async function prepareChunk(rt: HostRuntime, transport: SpoolTransport, part: string[], entries: Map<string, Date>) {
    const ids = [...new Set(part.map((n) => parseCallFileName(n)!.callId))];
    const direct = sqliteDirect(part.length);
    const calls = new Map(
      direct
        ? (await whenUnlocked(() => direct.findCalls(ids, rt.host.id))).map((c) => [c.id, c])
        : // By id only, host compared here: SQLite's planner would otherwise walk the host's whole (hostId, state) index.
          (await db.call.findMany({ where: { id: { in: ids } }, select: { ...ARCHIVE_SELECT, hostId: true } }))
            .filter((c) => c.hostId === rt.host.id)
            .map(({ hostId: _host, ...c }) => [c.id, c]),
    );
    const unknownIds = ids.filter((id) => !calls.has(id));
    const elsewhere =
      unknownIds.length === 0
        ? new Set<string>()
        : direct
          ? await whenUnlocked(() => direct.existingIds(unknownIds))
          : new Set((await db.call.findMany({ where: { id: { in: unknownIds } }, select: { id: true } })).map((c) => c.id));
    const retain: string[] = [];
    const toRead: Array<{ call: ArchiveCall; name: string }> = [];
    for (const name of part) {
      const { callId } = parseCallFileName(name)!;
      const call = calls.get(callId);
      if (!call) {
        // Another host's call sharing this spool, or a call deleted since: not ours to touch.
        if (!elsewhere.has(callId)) rt.doneArchived.add(name);
        continue;
      }
      if (isCurrentFile(call, name) && isFinalState(call.state) && call.state !== "lost") retain.push(name);
      else toRead.push({ call, name });
    }
    const items: ArchiveItem[] = [];
    const take = (call: ArchiveCall, name: string, content: string | null) => {
      if (content === null) return;
      const parsed = options.parse(content);
      // No Status yet: Asterisk appends it right after the move; the next pass gets it.
      if (parsed.status) items.push({ call, name, parsed, archivedAt: entries.get(name)! });
    };
    if (transport.readArchivedMany) {
      const contents = await transport.readArchivedMany(toRead.map((r) => r.name));
      for (const [i, { call, name }] of toRead.entries()) take(call, name, contents[i] ?? null);
    } else {
      await inParallel(toRead, 64, async ({ call, name }) => take(call, name, await transport.readArchived(name)));
    }
    return { items, retain };
  }

  async function reconcileArchived(rt: HostRuntime, transport: SpoolTransport) {
    const t = now();
    const entries = new Map<string, Date>();
    if (t - rt.lastFullScan >= fullScanMs || !rt.watcher) {
      for (const e of await transport.listArchived()) {
        // The archive's mtime is the end of the call by Asterisk's clock: never later than ours
        // (a PBX whose clock runs ahead would end calls in the future and delay their retries).
        if (parseCallFileName(e.name) && !rt.doneArchived.has(e.name))
          entries.set(e.name, new Date(Math.min(e.mtime.getTime(), t)));
      }
      rt.lastFullScan = t;
      rt.pendingArchived.clear();
    } else {
      for (const name of rt.pendingArchived) if (!rt.doneArchived.has(name)) entries.set(name, new Date(t));
      rt.pendingArchived.clear();
    }
    const names = [...entries.keys()];
    const chunks: string[][] = [];
    for (let k = 0; k < names.length; k += CHUNK) chunks.push(names.slice(k, k + CHUNK));
    // Pipeline: the next chunk's lookups and file reads, and the previous chunk's retention,
    // overlap this chunk's transaction. Retention starts only after its chunk committed.
    const start = (k: number) => {
      const p = prepareChunk(rt, transport, chunks[k]!, entries);
      p.catch(() => undefined); // awaited below; this only keeps a failure from going unhandled meanwhile
      return p;
    };
    let next = chunks.length > 0 ? start(0) : null;
    let retaining: Promise<void> = Promise.resolve();
    for (let k = 0; k < chunks.length; k++) {
      const { items, retain } = await next!;
      next = k + 1 < chunks.length ? start(k + 1) : null;
      const unsettled = await applyArchives(items);
      for (const item of items) {
        if (unsettled.has(item.name))
          rt.pendingArchived.add(item.name); // read again next pass
        else retain.push(item.name);
      }
      await retaining;
      retaining = inParallel(retain, 32, async (name) => {
        await applyRetention(rt, transport, name);
        rt.doneArchived.add(name);
      });
      retaining.catch(() => undefined);
    }
    await retaining;
    rt.lastReconcileAt = new Date(now());
  }

  // ─── progress of files in outgoing/, lost detection ─────────────────────────────

  async function trackProgress(rt: HostRuntime, transport: SpoolTransport, ours: Map<string, SpoolEntry>) {
    const active = await db.call.findMany({
      where: { hostId: rt.host.id, state: { in: TRACKED } },
      select: {
        id: true,
        state: true,
        attempts: true,
        currentFile: true,
        fileSeq: true,
        retryTime: true,
        waitTime: true,
        maxRetries: true,
        scheduledAt: true,
        spooledAt: true,
        answeredAt: true,
        heardMs: true,
        kind: true,
        requireAck: true,
        ackDigit: true,
        claimedBy: true,
      },
    });
    const t = now();
    for (const call of active) {
      const name = call.currentFile ?? callFileName(call.id, call.fileSeq);
      const entry = ours.get(name);
      if (entry) {
        rt.vanishedSince.delete(call.id);
        const prev = rt.outgoingSeen.get(name);
        const changed = !prev || prev.mtimeMs !== entry.mtime.getTime() || prev.size !== entry.size;
        let activity: Date | null = prev?.activity ? new Date(prev.activity) : null;
        if (changed) {
          const content = await transport.readOutgoing(name);
          if (content === null) continue;
          const parsed = options.parse(content);
          await applyProgress(call, name, parsed);
          activity = lastActivity(parsed.retries, call.retryTime);
          rt.outgoingSeen.set(name, { mtimeMs: entry.mtime.getTime(), size: entry.size, activity: activity?.getTime() ?? null });
        }
        // The IVR store records the answer; the machine turns it into `answered` (a live state).
        const live = liveStatus(call);
        if (live.state === "answered" && call.state !== "answered") {
          await moveLive(call.id, call.state, "answered", "ivr", "the IVR session opened", call.answeredAt ?? undefined);
        }
        const scheduled = new Date(Math.max(call.scheduledAt.getTime(), call.spooledAt?.getTime() ?? 0));
        const deadline = lostDeadline({
          scheduledAt: scheduled,
          maxRetries: call.maxRetries,
          retryTime: call.retryTime,
          waitTime: call.waitTime,
          marginMs: lostMarginMs,
          activity,
        });
        // An answered call stays alive through the DelayedRetry lines Asterisk appends every
        // RetryTime while it is up; without them it is as lost as any other.
        if (t > deadline.getTime()) {
          const mins = Math.round((t - scheduled.getTime()) / 60000);
          const lost = transition(liveStatus(call), {
            kind: "lost",
            detail: `Asterisk never finished ${name}: still in outgoing/ ${mins} min after its schedule, past its ${call.maxRetries + 1} attempt(s) × ${call.retryTime} s + ${call.waitTime} s, with no live progress`,
          });
          await markFinal(call.id, call.state, lost.state, lost.reason, "engine");
        }
        continue;
      }
      // Not in outgoing/: archived (maybe not scanned yet), or vanished.
      const archived = await transport.readArchived(name);
      if (archived !== null) {
        rt.vanishedSince.delete(call.id);
        if (await reconcileFile(rt, call, name, archived, new Date(t))) {
          await applyRetention(rt, transport, name);
          rt.doneArchived.add(name);
        }
        continue;
      }
      const first = rt.vanishedSince.get(call.id);
      if (first === undefined) {
        rt.vanishedSince.set(call.id, t);
        continue;
      }
      if (t - first < vanishGraceMs) continue;
      if ((await transport.readOutgoing(name)) !== null) continue;
      rt.vanishedSince.delete(call.id);
      const vanished = transition(liveStatus(call), {
        kind: "lost",
        detail: `${name} vanished from outgoing/ without an archive in outgoing_done/`,
      });
      await markFinal(call.id, call.state, vanished.state, vanished.reason, "engine");
    }
  }

  async function moveLive(
    callId: string,
    from: string,
    to: CallState,
    source: TimelineEvent["source"],
    detail: string,
    at?: Date,
  ) {
    await db.$transaction(async (tx) => {
      const r = await tx.call.updateMany({ where: { id: callId, state: from }, data: { state: to } });
      if (r.count === 1)
        await tx.callEvent.create({ data: { id: newRowId(), callId, type: to, source, detail, at: at ?? new Date(now()) } });
    });
  }

  async function applyProgress(
    call: { id: string; state: string; attempts: number; retryTime: number; spooledAt: Date | null },
    name: string,
    parsed: ParsedCallFile,
  ) {
    const attempts = attemptsFromRetries(parsed.retries, call.retryTime);
    if (attempts.length === 0) return;
    const events =
      call.state === "answered" ? [] : progressEvents(call.id, call.state, call.attempts, attempts, false, call.spooledAt);
    const lastEvent = events.at(-1);
    await db.$transaction(async (tx) => {
      await upsertAttempts(tx, call.id, name, attempts);
      if (!lastEvent) return;
      const started = attempts.filter((a) => a.startedAt).length;
      const r = await tx.call.updateMany({
        where: { id: call.id, state: call.state },
        data: { state: lastEvent.type, attempts: started },
      });
      if (r.count === 1) await insertEvents(tx, events, new Date(now()));
    });
  }

  // ─── dispatch ────────────────────────────────────────────────────────────────────

  function acquireDispatch(rt: HostRuntime, urgent: boolean, front = false): Promise<void> {
    const l = rt.lock;
    if (!l.held) {
      l.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      if (urgent) l.urgent.push(resolve);
      else if (front) l.normal.unshift(resolve);
      else l.normal.push(resolve);
    });
  }

  /** Hands the lock straight to the next waiter (emergency first), or frees it. */
  function releaseDispatch(rt: HostRuntime) {
    const l = rt.lock;
    const next = l.urgent.shift() ?? l.normal.shift();
    if (next) next();
    else l.held = false;
  }

  /** Between write chunks of a regular section: lets waiting emergency sections through. */
  async function yieldToUrgent(rt: HostRuntime): Promise<boolean> {
    if (rt.lock.urgent.length === 0) return false;
    releaseDispatch(rt);
    await acquireDispatch(rt, false, true);
    return true;
  }

  /**
   * Dispatches due calls of one host; `urgentOnly` takes only calls ahead of campaigns (the
   * emergency fast path). Selection runs unlocked; claim → write → record holds the host's
   * dispatch lock. Returns the files it placed in outgoing/.
   */
  async function dispatch(rt: HostRuntime, transport: SpoolTransport, urgentOnly = false): Promise<SpoolEntry[]> {
    const host = rt.host;
    const t = now();
    if (t < rt.backoffUntil || rt.leaseUntil - t < 1000) return [];
    await missStale(host.id, Math.min(rt.runningSince, t), t);
    const nowSec = Math.floor(t / 1000);
    rt.limiter.setLimit(host.maxPerSecond);
    rt.limiter.prune(nowSec);
    const capacity = host.maxConcurrent - rt.inFlight;
    if (capacity <= 0) return [];
    const horizon = new Date(t + lookAheadMs);
    const candidates = await db.call.findMany({
      where: {
        hostId: host.id,
        state: "queued",
        claimedBy: null,
        scheduledAt: { lte: horizon },
        ...(urgentOnly ? { priority: { lt: PRIORITY.campaign } } : {}),
      },
      orderBy: [{ priority: "asc" }, { scheduledAt: "asc" }],
      // A little more than capacity, so a saturated campaign does not hide the calls behind it.
      take: Math.min(capacity + 50, 500),
      select: CALL_FOR_FILE,
    });
    if (candidates.length === 0) return [];

    const campaignIds = [...new Set(candidates.map((c) => c.campaignId).filter((c): c is string => !!c))];
    const campaignGate = await loadCampaignGate(campaignIds, t);

    let selected: Selected[] = [];
    for (const call of candidates) {
      if (selected.length >= capacity) break;
      if (call.campaignId && !campaignGate.admit(call.campaignId)) continue;
      const sched = call.scheduledAt.getTime();
      let slot: number | null;
      if (sched <= t) slot = rt.limiter.reserve(nowSec, nowSec);
      else {
        const s = Math.floor(sched / 1000);
        slot = rt.limiter.reserve(s, Math.floor((t + lookAheadMs) / 1000));
      }
      if (slot === null) {
        if (call.campaignId) campaignGate.giveBack(call.campaignId);
        continue;
      }
      const mtime = sched <= t ? call.scheduledAt : new Date(Math.max(sched, slot * 1000));
      selected.push({ call, slot, mtime });
    }
    // Do-not-call is checked at dispatch time (docs/architecture.md#the-engine), for the campaign calls about to go.
    const dnc = await loadDnc(selected.filter((x) => x.call.campaignId).map((x) => x.call.destination));
    if (dnc.size > 0) {
      for (const x of selected.filter((y) => y.call.campaignId && dnc.has(y.call.destination))) {
        rt.limiter.release(x.slot);
        await markFinal(x.call.id, "queued", "cancelled", "not called: the number is on the do-not-call list", "engine");
      }
      selected = selected.filter((y) => !(y.call.campaignId && dnc.has(y.call.destination)));
    }
    if (selected.length === 0) return [];

    await acquireDispatch(rt, urgentOnly);
    try {
      // An emergency section may have used capacity while this one was selecting.
      const room = Math.max(0, host.maxConcurrent - rt.inFlight);
      for (const x of selected.slice(room)) rt.limiter.release(x.slot);
      selected = selected.slice(0, room);
      if (selected.length === 0) return [];
      return await claimWriteRecord(rt, transport, selected, t, urgentOnly);
    } finally {
      releaseDispatch(rt);
    }
  }

  /**
   * The claim step's refusal: queued, unclaimed calls of this host whose valid-until
   * (lib/engine/valid-until.ts) passed before this engine started (`before`: no engine was
   * running then) are never dialled; they end `missed` through the state machine. validUntil ≥
   * scheduledAt, so each is also past due.
   */
  async function missStale(hostId: string, before: number, t: number) {
    const cutoff = new Date(before);
    for (;;) {
      const stale = await db.call.findMany({
        where: { hostId, state: "queued", claimedBy: null, scheduledAt: { lt: cutoff }, validUntil: { lt: cutoff } },
        select: { id: true, kind: true, requireAck: true, scheduledAt: true, validUntil: true },
        orderBy: { scheduledAt: "asc" },
        take: 500,
      });
      if (stale.length === 0) return;
      await endMissed(stale, t, null);
      if (stale.length < 500) return;
    }
  }

  /** Ends queued calls `missed`, guarded by their claim (null: unclaimed), with their timeline event. */
  async function endMissed(
    calls: Array<{ id: string; kind: string; requireAck: boolean; scheduledAt: Date; validUntil: Date | null }>,
    t: number,
    claimedBy: string | null,
  ) {
    const at = new Date(t);
    let missed = 0;
    await db.$transaction(
      async (tx) => {
        for (const c of calls) {
          const next = transition(initialStatus(c), {
            kind: "missed",
            detail: missedReason(c.scheduledAt, c.validUntil ?? at, at),
          });
          const r = await tx.call.updateMany({
            where: { id: c.id, state: "queued", claimedBy },
            data: { state: next.state, outcome: next.state, reason: next.reason, endedAt: at },
          });
          if (r.count !== 1) continue;
          missed++;
          await tx.callEvent.create({
            data: { id: newRowId(), callId: c.id, type: next.state, source: "engine", detail: next.reason, at },
          });
        }
      },
      { timeout: 60_000 },
    );
    if (missed > 0) log.warn({ missed }, "calls past their valid-until were not dialled (missed)");
  }

  type Selected = { call: Prisma.CallGetPayload<{ select: typeof CALL_FOR_FILE }>; slot: number; mtime: Date };

  /** Claim → write → record for selected calls; the caller holds the host's dispatch lock. */
  async function claimWriteRecord(
    rt: HostRuntime,
    transport: SpoolTransport,
    selected: Selected[],
    t: number,
    urgent: boolean,
  ): Promise<SpoolEntry[]> {
    const host = rt.host;
    // Claim: one conditional update for the batch; only rows still queued and unclaimed move.
    const claimedAt = new Date(t);
    const ids = selected.map((s) => s.call.id);
    // UPDATE … RETURNING (SQLite ≥ 3.35, PostgreSQL): one round trip on the click-to-spool path.
    const ts = options.provider === "postgresql" ? Prisma.sql`CAST(${claimedAt} AS TIMESTAMP(3))` : Prisma.sql`${claimedAt}`;
    const since = new Date(Math.min(rt.runningSince, t));
    const sinceTs = options.provider === "postgresql" ? Prisma.sql`CAST(${since} AS TIMESTAMP(3))` : Prisma.sql`${since}`;
    const claimedRows = await db.$queryRaw<Array<{ id: string; fileSeq: number | bigint }>>`UPDATE "Call"
      SET "claimedBy" = ${workerId}, "claimedAt" = ${ts}, "fileSeq" = "fileSeq" + 1, "updatedAt" = ${ts}
      WHERE "id" IN (${Prisma.join(ids)}) AND "state" = 'queued' AND "claimedBy" IS NULL
        AND ("validUntil" IS NULL OR "validUntil" >= ${sinceTs})
      RETURNING "id", "fileSeq"`;
    const seq = new Map(claimedRows.map((r) => [r.id, Number(r.fileSeq)]));
    if (claimedRows.length > 0) options.onStep?.("claimed");
    for (const s of selected) if (!seq.has(s.call.id)) rt.limiter.release(s.slot);
    let toWrite = selected.filter((s) => seq.has(s.call.id));

    const handedOverAt = new Date(now());
    const written: Array<{ id: string; name: string; mtime: Date }> = [];
    const notPlaced: string[] = [];
    let failure: SpoolError | null = null;
    const writeOne = async (s: Selected) => {
      const name = callFileName(s.call.id, seq.get(s.call.id)!);
      let content: string;
      try {
        content = contentFor(rt, s.call);
      } catch (e) {
        rt.limiter.release(s.slot);
        await rejectCall(s.call.id, e);
        return;
      }
      try {
        await transport.write({ name, content, scheduledAt: s.mtime });
        written.push({ id: s.call.id, name, mtime: s.mtime });
        rt.inFlight++;
        rt.placed++;
        options.onStep?.("written");
      } catch (e) {
        rt.limiter.release(s.slot);
        if (e instanceof SpoolError && e.placed === false) notPlaced.push(s.call.id);
        else rt.needsRecovery = true; // may be in outgoing/: recovery looks before writing again
        failure = e instanceof SpoolError ? e : new SpoolError(String(e), "UNKNOWN", "unknown", { cause: e });
      }
    };
    // Up to writeConcurrency files at once (concurrent fsyncs share the disk's journal commits),
    // the next starting as soon as one finishes. When an emergency section is waiting, this
    // (non-emergency) batch stops starting files, lets those in flight finish, and lets it go first.
    let next = 0;
    const mayStart = () => urgent || rt.lock.urgent.length === 0;
    const worker = async () => {
      while (next < toWrite.length && mayStart()) await writeOne(toWrite[next++]!);
    };
    for (;;) {
      await Promise.all(Array.from({ length: Math.min(writeConcurrency, toWrite.length - next) }, worker));
      if (next >= toWrite.length) break;
      if (await yieldToUrgent(rt)) {
        // The emergency calls took capacity: give back the claims that no longer fit.
        const room = Math.max(0, host.maxConcurrent - rt.inFlight);
        const rest = toWrite.slice(next);
        if (rest.length > room) {
          const dropped = rest.slice(room);
          for (const s of dropped) rt.limiter.release(s.slot);
          await unclaim(dropped.map((s) => s.call.id));
          toWrite = toWrite.slice(0, next + room);
        }
      }
    }

    // Record: spooled + timeline, one transaction per batch. The time is when the batch was
    // handed over (before the first write): Asterisk may connect a file's IVR session before
    // this transaction runs, and its timeline must not show the session before the spooling.
    if (written.length > 0) {
      const spooledAt = handedOverAt;
      await db.$transaction(
        async (tx) => {
          const recorded = await recordSpooled(tx, written, spooledAt);
          await insertEvents(
            tx,
            written
              .filter((w) => recorded.has(w.id))
              .map((w) => ({
                callId: w.id,
                type: "spooled" as const,
                source: "engine" as const,
                detail: w.mtime.getTime() > spooledAt.getTime() + 1000 ? `${w.name}, starts at ${w.mtime.toISOString()}` : w.name,
                at: spooledAt,
              })),
            spooledAt,
          );
        },
        { timeout: 60_000 },
      );
      options.onStep?.("recorded");
    }
    if (notPlaced.length > 0) {
      await unclaim(notPlaced);
      rt.backoffUntil = now() + 2000;
    }
    if (failure) {
      rt.lastError = `spool write failed: ${(failure as SpoolError).code} ${(failure as SpoolError).message}`;
      log.warn(
        { host: host.name, code: (failure as SpoolError).code, err: (failure as SpoolError).message },
        "spool write failed",
      );
    } else if (written.length > 0) rt.lastError = null;
    return written.map((w) => ({ name: w.name, mtime: w.mtime, size: 0 }));
  }

  /**
   * Marks claimed calls spooled with their file names: one statement per 200 rows, guarded
   * by our claim. Returns the ids that were still ours (a new lease holder may have
   * recovered a claim meanwhile).
   */
  async function recordSpooled(tx: Tx, written: Array<{ id: string; name: string }>, spooledAt: Date): Promise<Set<string>> {
    const done = new Set<string>();
    const pg = options.provider === "postgresql";
    const ts = (v: Date) => (pg ? Prisma.sql`CAST(${v} AS TIMESTAMP(3))` : Prisma.sql`${v}`);
    for (let i = 0; i < written.length; i += 200) {
      const part = written.slice(i, i + 200);
      const names = Prisma.join(
        part.map((w) => Prisma.sql`WHEN ${w.id} THEN ${pg ? Prisma.sql`CAST(${w.name} AS TEXT)` : Prisma.sql`${w.name}`}`),
        " ",
      );
      const count =
        await tx.$executeRaw`UPDATE "Call" SET "state" = 'spooled', "spooledAt" = ${ts(spooledAt)}, "updatedAt" = ${ts(spooledAt)},
        "currentFile" = CASE "id" ${names} END
        WHERE "id" IN (${Prisma.join(part.map((w) => w.id))}) AND "state" = 'queued' AND "claimedBy" = ${workerId}`;
      if (count === part.length) {
        for (const w of part) done.add(w.id);
        continue;
      }
      const after = await tx.call.findMany({
        where: { id: { in: part.map((w) => w.id) } },
        select: { id: true, state: true, currentFile: true, spooledAt: true },
      });
      for (const a of after) {
        if (
          a.state === "spooled" &&
          a.spooledAt?.getTime() === spooledAt.getTime() &&
          part.some((w) => w.id === a.id && w.name === a.currentFile)
        )
          done.add(a.id);
      }
    }
    return done;
  }

  async function loadCampaignGate(campaignIds: string[], t: number) {
    const limits = new Map<string, { open: boolean; maxConcurrent: number; perMinute: number; active: number; recent: number }>();
    if (campaignIds.length > 0) {
      const campaigns = await db.campaign.findMany({
        where: { id: { in: campaignIds } },
        select: { id: true, state: true, maxConcurrent: true, perMinute: true },
      });
      const active = await db.call.groupBy({
        by: ["campaignId"],
        where: { campaignId: { in: campaignIds }, state: { in: TRACKED } },
        _count: { _all: true },
      });
      const recent = await db.call.groupBy({
        by: ["campaignId"],
        where: { campaignId: { in: campaignIds }, spooledAt: { gte: new Date(t - 60_000) } },
        _count: { _all: true },
      });
      for (const c of campaigns) {
        limits.set(c.id, {
          open: c.state !== "paused" && c.state !== "cancelled" && c.state !== "completed",
          maxConcurrent: c.maxConcurrent,
          perMinute: c.perMinute,
          active: groupCount(active.find((a) => a.campaignId === c.id)),
          recent: groupCount(recent.find((a) => a.campaignId === c.id)),
        });
      }
    }
    return {
      admit(id: string): boolean {
        const l = limits.get(id);
        if (!l) return true; // a campaign row deleted meanwhile: the call still goes, host pacing applies
        if (!l.open || l.active >= l.maxConcurrent || l.recent >= l.perMinute) return false;
        l.active++;
        l.recent++;
        return true;
      },
      giveBack(id: string) {
        const l = limits.get(id);
        if (l) {
          l.active--;
          l.recent--;
        }
      },
    };
  }

  async function loadDnc(numbers: string[]): Promise<Set<string>> {
    if (numbers.length === 0) return new Set();
    const rows = await db.dncEntry.findMany({
      where: { destination: { in: [...new Set(numbers)] } },
      select: { destination: true },
    });
    return new Set(rows.map((r) => r.destination));
  }

  // ─── the per-host pass and the loop ──────────────────────────────────────────────

  async function runHost(rt: HostRuntime) {
    // Renew once a third of the lease is used; nobody may take it before it expires.
    let held = rt.leased && rt.leaseUntil - now() > (leaseMs * 2) / 3;
    if (!held) {
      const at = now();
      held = await acquireLease(db, rt.host.id, workerId, leaseMs, new Date(at));
      if (held) rt.leaseUntil = at + leaseMs;
    }
    if (!held) {
      if (rt.leased) {
        log.warn({ host: rt.host.name }, "lost the host lease");
        await dropRuntime(rt);
      }
      return;
    }
    if (!rt.leased) {
      rt.leased = true;
      rt.runningSince = now();
      rt.needsRecovery = true;
      log.info({ host: rt.host.name }, "holding the host lease");
    }
    const transport = await transportOf(rt);
    ensureWatcher(rt);
    if (rt.needsRecovery && now() >= rt.nextRecoveryAt) {
      await acquireDispatch(rt, false);
      try {
        await recover(rt, transport);
      } finally {
        releaseDispatch(rt);
      }
      if (rt.needsRecovery) rt.nextRecoveryAt = now() + 5000;
    }
    const placedBefore = rt.placed;
    const listing = await transport.listOutgoing();
    const ours = new Map<string, SpoolEntry>();
    for (const e of listing) if (parseCallFileName(e.name)) ours.set(e.name, e);
    if (!rt.seeded) {
      const nowSec = Math.floor(now() / 1000);
      for (const e of ours.values()) {
        const s = Math.floor(e.mtime.getTime() / 1000);
        if (s >= nowSec) rt.limiter.seed(s);
      }
      rt.seeded = true;
    }
    for (const name of rt.outgoingSeen.keys()) if (!ours.has(name)) rt.outgoingSeen.delete(name);
    // Files an emergency section placed while we listed may or may not be in the listing:
    // count them again rather than risk exceeding maxConcurrent.
    rt.inFlight = ours.size + (rt.placed - placedBefore);
    // Dispatch first: an emergency call must not wait behind a large reconcile.
    for (const e of await dispatch(rt, transport)) ours.set(e.name, e);
    await reconcileArchived(rt, transport);
    await trackProgress(rt, transport, ours);
  }

  /**
   * The emergency fast path a wake-up signal triggers (a PA, click-to-call or wake-up was
   * just enqueued in this process): dispatch of calls ahead of campaigns only, on hosts this
   * engine already holds, started at once, even while a regular pass is running. Its claim →
   * write → record section goes before the rest of a campaign batch being written (the
   * regular section yields between write chunks). Everything else waits for the regular pass.
   */
  async function runUrgent() {
    for (const rt of runtimes.values()) {
      if (!rt.leased || !rt.transport || rt.leaseUntil - now() < 2000) continue;
      try {
        await dispatch(rt, rt.transport, true);
      } catch (e) {
        rt.lastError = e instanceof Error ? e.message : String(e);
        rt.needsRecovery = true; // as after a failed host pass
        log.error({ err: e, host: rt.host.name }, "urgent dispatch failed");
      }
    }
  }

  const isLive = () => !stopped;
  let urgentRun: Promise<void> | null = null;
  let urgentAgain = false;
  /** Runs the fast path now; a signal during a run makes it run once more right after. */
  function kickUrgent() {
    if (stopped) return;
    if (urgentRun) {
      urgentAgain = true;
      return;
    }
    urgentRun = (async () => {
      do {
        urgentAgain = false;
        await runUrgent();
      } while (urgentAgain && isLive());
    })().finally(() => {
      urgentRun = null;
    });
  }

  async function runOnce(forced = true) {
    const hosts = await db.asteriskHost.findMany({
      where: { enabled: true, ...(options.hostIds ? { id: { in: options.hostIds } } : {}) },
      omit: { sftpPrivateKey: false },
      orderBy: { createdAt: "asc" },
    });
    const seen = new Set<string>();
    for (const host of hosts) {
      seen.add(host.id);
      const rt = runtimeFor(host);
      const interval = host.transport === "local" ? pollMs : remotePollMs;
      if (!forced && now() - rt.lastRun < interval) continue;
      rt.lastRun = now();
      try {
        await runHost(rt);
      } catch (e) {
        rt.lastError = e instanceof Error ? e.message : String(e);
        // The pass may have failed between claim and record (a database restart): our own
        // claims would otherwise wait for a lease change. Recovery looks at the disk first.
        rt.needsRecovery = true;
        log.error({ err: e, host: host.name }, "host pass failed");
        if (e instanceof SpoolError) rt.backoffUntil = now() + 2000;
      }
    }
    for (const [id, rt] of runtimes) {
      if (!seen.has(id)) {
        if (rt.leased) await releaseLease(db, id, workerId).catch(() => {});
        await dropRuntime(rt);
        runtimes.delete(id);
      }
    }
  }

  const isRunning = () => running;
  async function loop() {
    while (isRunning()) {
      woken = false;
      try {
        await runOnce(false);
      } catch (e) {
        log.error({ err: e }, "engine pass failed");
      }
      if (!running) break;
      if (woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(pollMs, remotePollMs));
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = null;
    }
  }

  return {
    workerId,
    start() {
      if (running) return;
      running = true;
      stopped = false;
      engineSignals().on("wake", onWake);
      loopDone = loop();
    },
    async stop() {
      running = false;
      stopped = true;
      engineSignals().off("wake", onWake);
      wakeUp?.();
      await loopDone;
      await urgentRun;
      for (const [id, rt] of runtimes) {
        if (rt.leased) await releaseLease(db, id, workerId).catch(() => {});
        await dropRuntime(rt);
      }
      directConn?.close();
      directConn = null;
    },
    runOnce: () => runOnce(true),
    wake,
    hosts: () =>
      [...runtimes.values()].map((rt) => ({
        hostId: rt.host.id,
        leased: rt.leased,
        inFlight: rt.inFlight,
        lastReconcileAt: rt.lastReconcileAt,
        lastError: rt.lastError,
      })),
  };
}
