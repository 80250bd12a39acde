/**
 * Turns wake-up bookings into calls and follows them up. One tick (every few seconds, started
 * by lib/engine/start-engine.ts) does three idempotent steps:
 *
 * 1. materialise: every active WakeUp's occurrences from `now - grace` to `now + horizon`
 *    (48 h) become WakeUpOccurrence rows; the unique (wakeUpId, occursAt) makes a repeat or a
 *    second process a no-op. Grace (2 min) lets a booking made in the very minute it is due,
 *    or a restart just after, still ring instead of being skipped silently.
 * 2. call: each pending occurrence without a call is claimed (conditional update) and gets a
 *    Call (kind wakeup) scheduled at its instant; the engine spools it with a future mtime
 *    once inside its look-ahead window. Asterisk's own retries (MaxRetries = WakeUp.retries)
 *    cover "no answer" and "busy".
 * 3. follow up: a finished call decides the occurrence by how the guest's call ended
 *    (`guestOutcomeOf`), four outcomes kept apart:
 *    - confirmed (the confirm key) → confirmed.
 *    - snoozed (key 5) → snoozed, and a new call at now + snoozeMinutes (while snoozes <
 *      maxSnoozes; the last call offers no snooze).
 *    - answered, not confirmed (answered and hung up, or no key after the prompts, or the
 *      message did not play) → retrying: the scheduler calls again after the retry interval,
 *      up to WakeUp.retries times, since Asterisk retries only calls nobody answered; then
 *      unconfirmed.
 *    - no answer (busy, failed, not reached) after Asterisk's own retries → missed.
 *    - not called (the call ended `missed`: past its valid-until, Spoolcast was not running) →
 *      missed, outcome "not-called", so the desk is not told the guest failed to answer.
 *    Unconfirmed and missed raise the dashboard alert and, with escalateTo set, call the front
 *    desk ("room X did not answer" / "did not confirm") → escalated, its outcome kept.
 *
 * `timeScale` (test-only, SPOOLCAST_WAKEUP_TIME_SCALE) divides the snooze delay, retry
 * interval and ring time so the e2e suite does not wait real minutes.
 *
 * Step 2 claims an occurrence before enqueueing its call (lib/wakeups/wakeup-claims.ts): the
 * claim names its owner and expires. A crash between claim and call leaves the claim to
 * expire; every tick first puts expired claims back to pending, and never a live one, so a
 * process starting next to another one that is enqueueing does not ring the guest twice.
 * The periodic tick runs in one process at a time, under the "wakeup-scheduler" lease
 * (lib/scheduling/periodic-runner.ts).
 */
import { DateTime } from "luxon";
import type { Db } from "@/lib/db";
import { env } from "@/lib/env";
import { cancelCall, enqueueCalls, type EnqueueCall } from "@/lib/engine/calls";
import { isFinalState } from "@/lib/engine/call-state";
import { serializeCallScript } from "@/lib/ivr/scripts";
import { ensureSpokenPrompt } from "@/lib/ivr/system-prompts";
import { deliverGeneratedSounds } from "@/lib/audio/deliver";
import { findTargetHost } from "@/lib/audio/delivery-check";
import { soundStoreDir } from "@/lib/audio/store";
import { occurrencesBetween } from "@/lib/wakeups/recurrence";
import { claimOccurrence, recordClaimedCall, recoverExpiredClaims, releaseClaim } from "@/lib/wakeups/wakeup-claims";
import { createPeriodicRunner } from "@/lib/scheduling/periodic-runner";
import { processOwner } from "@/lib/scheduling/process-owner";

export type SchedulerLog = {
  info: (o: object, m: string) => void;
  warn: (o: object, m: string) => void;
  error: (o: object, m: string) => void;
};

export type WakeUpSchedulerOptions = {
  /** How far ahead occurrences are materialised; default 48 h. */
  horizonMs?: number;
  /** How late an occurrence may still be called; default 2 min. */
  graceMs?: number;
  /** Test-only compression of snooze, retry and ring times; default 1. */
  timeScale?: number;
  /**
   * The sound store (lib/audio/store.ts `soundStoreDir`) spoken greetings are generated into;
   * from there they are delivered to every enabled host's sounds root and read back before the
   * call uses them. Null: no generated audio (the default wake-up message).
   */
  soundStoreDir?: string | null;
  log?: SchedulerLog;
  /** Who claims occurrences (the engine worker's id); default this process (host:pid). */
  owner?: string;
  /** How long a claim lasts before another process may take it back; default 60 s. */
  claimTtlMs?: number;
  /**
   * Test-only: awaited after each step (the two-worker test kills a process after
   * "wakeup-claimed", or holds it there while another process starts).
   */
  onStep?: (step: "wakeup-claimed") => void | Promise<void>;
};

export const DEFAULT_HORIZON_MS = 48 * 3_600_000;
export const DEFAULT_GRACE_MS = 2 * 60_000;
/** Seconds between Asterisk retries of an unanswered wake-up, and ring time per attempt. */
export const WAKEUP_RETRY_SECONDS = 120;
export const WAKEUP_RING_SECONDS = 40;
const SNOOZE_DIGIT = "5";

type WakeUpRow = {
  id: string;
  room: string;
  guestName: string;
  destination: string;
  timeZone: string;
  localTime: string;
  rrule: string | null;
  startDate: string;
  untilDate: string | null;
  state: string;
  audioId: string | null;
  snoozeMinutes: number;
  maxSnoozes: number;
  retries: number;
  escalateTo: string | null;
  toleranceMinutes: number | null;
  createdById: string | null;
};

/** Pure: the occurrence instants of a booking inside the window. Bad stored rules yield none. */
export function planOccurrences(
  w: Pick<WakeUpRow, "localTime" | "timeZone" | "startDate" | "untilDate" | "rrule">,
  now: Date,
  opts: { horizonMs?: number; graceMs?: number } = {},
): Date[] {
  const from = new Date(now.getTime() - (opts.graceMs ?? DEFAULT_GRACE_MS));
  const to = new Date(now.getTime() + (opts.horizonMs ?? DEFAULT_HORIZON_MS));
  return occurrencesBetween(w, from, to);
}

/** How one guest call ended, as the occurrence records it (WakeUpOccurrence.outcome). */
export type GuestOutcome = "confirmed" | "snoozed" | "answered-not-confirmed" | "no-answer" | "not-called" | "not-placed";

/**
 * How an unreached occurrence ended: nobody answered, answered without confirming, never dialled
 * because Spoolcast was down (`not-called`), or never dialled because Spoolcast refused to write
 * its call file (`not-placed`; the call's reason says why).
 */
export type UnreachedOutcome = "no-answer" | "answered-not-confirmed" | "not-called" | "not-placed";

/**
 * Final call states in which the guest's phone answered but no confirming key came: the call
 * was answered (Asterisk's Completed) and hung up, timed out at the prompts, or its message did
 * not play. "Missed" would be untrue for these: somebody picked up.
 */
const ANSWERED_NOT_CONFIRMED = new Set(["completed", "not-acknowledged", "not-played", "playback-unconfirmed"]);

/** Final, including the answered-but-not-played states the shared state machine adds (contract). */
function isFinal(state: string): boolean {
  return isFinalState(state) || ANSWERED_NOT_CONFIRMED.has(state);
}

/** Pure: a finished call's outcome for the guest; null while it is not final or when cancelled. */
export function guestOutcomeOf(call: { state: string; ackDigit: string | null; spooledAt?: Date | null }): GuestOutcome | null {
  if (!isFinal(call.state) || call.state === "cancelled") return null;
  if (call.state === "acknowledged" || call.state === "snoozed") {
    return call.ackDigit === SNOOZE_DIGIT ? "snoozed" : "confirmed";
  }
  if (ANSWERED_NOT_CONFIRMED.has(call.state)) return "answered-not-confirmed";
  // Past its valid-until when the engine came to it (Spoolcast was down): the phone never rang.
  if (call.state === "missed") return "not-called";
  // Failed without ever being spooled: the engine refused to write its file, the phone never rang.
  if (call.state === "failed" && call.spooledAt === null) return "not-placed";
  // no-answer, busy, congestion, failed, expired, lost: the guest's phone never answered.
  return "no-answer";
}

export type FollowUp =
  | { kind: "wait" }
  | { kind: "calling" }
  | { kind: "confirmed" }
  | { kind: "snooze"; at: Date }
  | { kind: "retry"; at: Date; reason: string }
  | { kind: "unreached"; outcome: UnreachedOutcome; reason: string }
  | { kind: "cancelled" };

/** Pure: what a call's state means for its occurrence. */
export function decideFollowUp(
  call: { state: string; ackDigit: string | null; outcome: string | null; reason: string | null; spooledAt?: Date | null },
  occ: { state: string; snoozes: number; retries: number },
  w: { snoozeMinutes: number; maxSnoozes: number; retries: number; state: string },
  now: Date,
  timeScale = 1,
): FollowUp {
  if (!isFinal(call.state)) {
    return ["dialling", "answered", "retry-wait"].includes(call.state) && occ.state !== "calling"
      ? { kind: "calling" }
      : { kind: "wait" };
  }
  const outcome = guestOutcomeOf(call);
  if (outcome === null) return { kind: "cancelled" };
  // A series that ended (its last day) still snoozes and retries; only a cancelled one does not.
  const goesOn = w.state !== "cancelled";
  if (outcome === "snoozed" && occ.snoozes < w.maxSnoozes && goesOn) {
    return { kind: "snooze", at: new Date(now.getTime() + (w.snoozeMinutes * 60_000) / timeScale) };
  }
  // A 5 the last call did not offer still shows the guest is awake.
  if (outcome === "confirmed" || outcome === "snoozed") return { kind: "confirmed" };
  if (outcome === "answered-not-confirmed") {
    const reason =
      call.state === "completed"
        ? "answered and hung up without pressing a key"
        : call.state === "not-acknowledged"
          ? "answered, but no key was pressed"
          : `answered: ${call.reason ?? call.state}`;
    if (occ.retries < w.retries && goesOn) {
      return { kind: "retry", at: new Date(now.getTime() + (WAKEUP_RETRY_SECONDS * 1000) / timeScale), reason };
    }
    return { kind: "unreached", outcome, reason };
  }
  return { kind: "unreached", outcome, reason: call.reason ?? call.outcome ?? call.state };
}

function scaled(seconds: number, scale: number): number {
  return Math.max(1, Math.round(seconds / scale));
}

/** Ring time is compressed too, but never below 5 s: a phone needs a moment to be answered. */
function ringSeconds(scale: number): number {
  return Math.max(5, scaled(WAKEUP_RING_SECONDS, scale));
}

function greetingText(localTime: string): string {
  const [h, m] = localTime.split(":").map(Number) as [number, number];
  const part = h < 12 ? "Good morning" : h < 18 ? "Good afternoon" : "Good evening";
  const hour12 = h % 12 === 0 ? 12 : h % 12;
  const minutes = m === 0 ? "o'clock" : m < 10 ? `oh ${m}` : String(m);
  return `${part}. It is ${hour12} ${minutes} ${h < 12 ? "A M" : "P M"}. This is your wake-up call.`;
}

/**
 * Generates a spoken sound into the store (first use only) and makes sure the host the call goes
 * to has it, verified by reading it back (lib/audio/deliver.ts). Throws when it is not there:
 * a call asking Asterisk for a missing file would play nothing.
 */
async function speakAndDeliver(db: Db, storeDir: string, name: string, text: string): Promise<void> {
  await ensureSpokenPrompt(storeDir, name, text);
  const byHost = await deliverGeneratedSounds(db, [name], { storeDir });
  const target = await findTargetHost(db);
  const outcome = target ? byHost.get(target.id)?.[0] : undefined;
  if (target && outcome?.state !== "synced") {
    throw new Error(`${name} is not on the Asterisk host "${target.name}": ${outcome?.error ?? "the host is disabled"}`);
  }
}

/** Sound name of the spoken greeting with the time, generated on first use. */
async function greetingSound(db: Db, localTime: string, opts: WakeUpSchedulerOptions): Promise<string | undefined> {
  if (!opts.soundStoreDir) return undefined;
  const name = `spoolcast/wakeup/greeting-${localTime.replace(":", "")}`;
  try {
    await speakAndDeliver(db, opts.soundStoreDir, name, greetingText(localTime));
    return name;
  } catch (error) {
    opts.log?.warn({ err: error }, "wake-up greeting not generated; using the default wake-up message");
    return undefined;
  }
}

async function escalationSound(
  db: Db,
  room: string,
  localTime: string,
  outcome: UnreachedOutcome,
  opts: WakeUpSchedulerOptions,
): Promise<string | undefined> {
  if (!opts.soundStoreDir) return undefined;
  // Room is [A-Za-z0-9 ._-]; the sound name must be lower-case [a-z0-9_-], so encode as hex.
  const base = `spoolcast/wakeup/escalation-${Buffer.from(room.toLowerCase()).toString("hex")}-${localTime.replace(":", "")}`;
  const name =
    outcome === "no-answer" ? base : outcome === "answered-not-confirmed" ? `${base}-unconfirmed` : `${base}-${outcome}`;
  const what =
    outcome === "no-answer"
      ? `did not answer the ${localTime} wake-up call`
      : outcome === "not-called"
        ? `was not called at ${localTime} for the wake-up: Spoolcast was not running at the time`
        : outcome === "not-placed"
          ? `was not called at ${localTime} for the wake-up: the call could not be placed`
          : `answered the ${localTime} wake-up call but did not confirm being awake`;
  const text = `Front desk alert. Room ${room} ${what}. Please check on the guest. Press 1 to confirm.`;
  try {
    await speakAndDeliver(db, opts.soundStoreDir, name, text);
    return name;
  } catch (error) {
    opts.log?.error({ err: error, room }, "escalation message not generated");
    return undefined;
  }
}

/**
 * The guest's call. Asterisk retries it `maxRetries` times when nobody answers; a call the
 * scheduler places again after an unconfirmed answer gets only what is left of WakeUp.retries.
 */
async function guestCall(
  db: Db,
  w: WakeUpRow,
  at: Date,
  snoozes: number,
  opts: WakeUpSchedulerOptions,
  maxRetries = w.retries,
): Promise<EnqueueCall> {
  const scale = opts.timeScale ?? 1;
  const message = w.audioId ? undefined : await greetingSound(db, w.localTime, opts);
  return {
    kind: "wakeup",
    destination: w.destination,
    displayName: `Room ${w.room}${w.guestName ? ` – ${w.guestName}` : ""}`,
    audioId: w.audioId ?? undefined,
    scriptJson: serializeCallScript({ kind: "wakeup", ...(message ? { message } : {}), allowSnooze: snoozes < w.maxSnoozes }),
    scheduledAt: at,
    // The booking's own tolerance, else the site's (enqueueCalls reads it).
    ...(w.toleranceMinutes ? { validForMs: w.toleranceMinutes * 60_000 } : {}),
    maxRetries,
    retryTime: scaled(WAKEUP_RETRY_SECONDS, scale),
    waitTime: ringSeconds(scale),
    wakeUpId: w.id,
    createdById: w.createdById ?? undefined,
  };
}

const wakeUpSelect = {
  id: true,
  room: true,
  guestName: true,
  destination: true,
  timeZone: true,
  localTime: true,
  rrule: true,
  startDate: true,
  untilDate: true,
  state: true,
  audioId: true,
  snoozeMinutes: true,
  maxSnoozes: true,
  retries: true,
  escalateTo: true,
  toleranceMinutes: true,
  createdById: true,
} as const;

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === "P2002";
}

/** Step 1 for one booking (also called right after create/update so the desk sees it at once). */
export async function materializeWakeUp(db: Db, w: WakeUpRow, now: Date, opts: WakeUpSchedulerOptions = {}): Promise<number> {
  if (w.state !== "active") return 0;
  let instants: Date[];
  try {
    instants = planOccurrences(w, now, opts);
  } catch (error) {
    opts.log?.error({ err: error, wakeUpId: w.id }, "wake-up has an invalid schedule; skipped");
    return 0;
  }
  if (instants.length === 0) {
    // Nothing in the window: if nothing is left at all (a one-off that rang, a series past its
    // until date or COUNT), the booking has ended and leaves the desk's list of bookings.
    const ahead = occurrencesBetween(w, now, new Date(now.getTime() + 400 * 86_400_000));
    if (ahead.length === 0) await db.wakeUp.updateMany({ where: { id: w.id, state: "active" }, data: { state: "ended" } });
    return 0;
  }
  const existing = await db.wakeUpOccurrence.findMany({
    where: { wakeUpId: w.id, occursAt: { gte: instants[0]!, lte: instants.at(-1)! } },
    select: { occursAt: true },
  });
  const have = new Set(existing.map((o) => o.occursAt.getTime()));
  let made = 0;
  for (const at of instants) {
    if (have.has(at.getTime())) continue;
    try {
      await db.wakeUpOccurrence.create({ data: { wakeUpId: w.id, occursAt: at } });
      made++;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return made;
}

/**
 * Step 2: a call for every pending occurrence that has none, each claimed first so only one
 * process makes it (lib/wakeups/wakeup-claims.ts).
 */
async function callPending(db: Db, now: Date, opts: WakeUpSchedulerOptions): Promise<number> {
  const owner = opts.owner ?? processOwner();
  const pending = await db.wakeUpOccurrence.findMany({
    where: {
      state: "pending",
      callId: null,
      occursAt: { lte: new Date(now.getTime() + (opts.horizonMs ?? DEFAULT_HORIZON_MS)) },
    },
    select: { id: true, occursAt: true, snoozes: true, wakeUp: { select: wakeUpSelect } },
    orderBy: { occursAt: "asc" },
    take: 500,
  });
  let called = 0;
  for (const o of pending) {
    if (o.wakeUp.state !== "active") {
      await db.wakeUpOccurrence.updateMany({ where: { id: o.id, state: "pending", callId: null }, data: { state: "cancelled" } });
      continue;
    }
    // The call is prepared (its greeting generated) before the claim, so the claim only
    // spans the enqueue.
    const call = await guestCall(db, o.wakeUp, o.occursAt, o.snoozes, opts);
    if (!(await claimOccurrence(db, o.id, { owner, ttlMs: opts.claimTtlMs }, now))) continue;
    await opts.onStep?.("wakeup-claimed");
    let callId: string;
    try {
      [callId] = (await enqueueCalls(db, [call])) as [string];
    } catch (error) {
      await releaseClaim(db, o.id, owner);
      throw error;
    }
    if (await recordClaimedCall(db, o.id, owner, callId)) {
      called++;
      continue;
    }
    // We overran our claim and it was taken back: the occurrence is another pass's now.
    opts.log?.warn({ wakeUpId: o.wakeUp.id, callId }, "wake-up claim expired before its call was recorded; call cancelled");
    await cancelCall(callId, { name: "wake-up scheduler" }, { db });
  }
  return called;
}

/** Step 3: occurrences whose call moved on. */
async function followUp(db: Db, now: Date, opts: WakeUpSchedulerOptions): Promise<number> {
  const open = await db.wakeUpOccurrence.findMany({
    where: { state: { in: ["pending", "calling", "snoozed", "retrying"] }, callId: { not: null } },
    select: {
      id: true,
      state: true,
      snoozes: true,
      retries: true,
      callId: true,
      occursAt: true,
      wakeUp: { select: wakeUpSelect },
    },
    take: 1000,
  });
  if (open.length === 0) return 0;
  const calls = new Map(
    (
      await db.call.findMany({
        where: { id: { in: open.map((o) => o.callId!) } },
        select: { id: true, state: true, ackDigit: true, outcome: true, reason: true, spooledAt: true },
      })
    ).map((c) => [c.id, c]),
  );
  let changed = 0;
  for (const o of open) {
    const call = calls.get(o.callId!);
    if (!call) continue;
    const next = decideFollowUp(call, o, o.wakeUp, now, opts.timeScale);
    const guard = { id: o.id, callId: o.callId, state: o.state };
    switch (next.kind) {
      case "wait":
        continue;
      case "calling":
      case "cancelled": {
        const r = await db.wakeUpOccurrence.updateMany({ where: guard, data: { state: next.kind } });
        changed += r.count;
        continue;
      }
      case "confirmed": {
        const r = await db.wakeUpOccurrence.updateMany({ where: guard, data: { state: "confirmed", outcome: "confirmed" } });
        changed += r.count;
        continue;
      }
      case "retry": {
        const retries = o.retries + 1;
        const r = await db.wakeUpOccurrence.updateMany({
          where: guard,
          data: { state: "retrying", retries, outcome: "answered-not-confirmed", callId: null },
        });
        if (r.count !== 1) continue;
        const remaining = Math.max(0, o.wakeUp.retries - retries);
        const [callId] = await enqueueCalls(db, [await guestCall(db, o.wakeUp, next.at, o.snoozes, opts, remaining)]);
        await db.wakeUpOccurrence.update({ where: { id: o.id }, data: { callId } });
        opts.log?.info(
          { wakeUpId: o.wakeUp.id, room: o.wakeUp.room, at: next.at, retry: retries, reason: next.reason },
          "wake-up answered but not confirmed; calling again",
        );
        changed++;
        continue;
      }
      case "snooze": {
        const r = await db.wakeUpOccurrence.updateMany({
          where: guard,
          data: { state: "snoozed", snoozes: o.snoozes + 1, outcome: "snoozed", callId: null },
        });
        if (r.count !== 1) continue;
        const [callId] = await enqueueCalls(db, [await guestCall(db, o.wakeUp, next.at, o.snoozes + 1, opts)]);
        await db.wakeUpOccurrence.update({ where: { id: o.id }, data: { callId } });
        opts.log?.info({ wakeUpId: o.wakeUp.id, room: o.wakeUp.room, at: next.at }, "wake-up snoozed");
        changed++;
        continue;
      }
      case "unreached": {
        const w = o.wakeUp;
        const answered = next.outcome === "answered-not-confirmed";
        const r = await db.wakeUpOccurrence.updateMany({
          where: guard,
          data: { state: answered ? "unconfirmed" : "missed", outcome: next.outcome },
        });
        if (r.count !== 1) continue;
        changed++;
        await db.auditEvent.create({
          data: {
            actorType: "system",
            actorName: "wake-up scheduler",
            action: answered ? "wakeup.unconfirmed" : "wakeup.missed",
            targetType: "wakeup",
            targetId: w.id,
            summary: answered
              ? `Room ${w.room} answered the ${w.localTime} wake-up but did not confirm (${next.reason}; called ${o.retries + 1} time${o.retries === 0 ? "" : "s"})`
              : next.outcome === "not-called"
                ? `Room ${w.room} was not called for the ${w.localTime} wake-up: Spoolcast was not running at the time (${next.reason})`
                : next.outcome === "not-placed"
                  ? `Room ${w.room} was not called: the ${w.localTime} wake-up could not be placed: ${next.reason}`
                  : `Room ${w.room} did not answer the ${w.localTime} wake-up (${next.reason})`,
          },
        });
        if (!w.escalateTo) continue;
        const local = DateTime.fromJSDate(o.occursAt, { zone: w.timeZone }).toFormat("HH:mm");
        const message = await escalationSound(db, w.room, local, next.outcome, opts);
        if (!message) continue;
        await enqueueCalls(db, [
          {
            kind: "wakeup",
            destination: w.escalateTo,
            displayName: `Front desk: room ${w.room} ${answered ? "did not confirm" : next.outcome === "not-called" || next.outcome === "not-placed" ? "was not called" : "did not answer"}`,
            scriptJson: serializeCallScript({ kind: "message", message, requireAck: true, repeat: 2 }),
            maxRetries: 2,
            retryTime: scaled(60, opts.timeScale ?? 1),
            waitTime: ringSeconds(opts.timeScale ?? 1),
            wakeUpId: w.id,
          },
        ]);
        await db.wakeUpOccurrence.update({ where: { id: o.id }, data: { state: "escalated" } });
        opts.log?.warn(
          { wakeUpId: w.id, room: w.room, escalateTo: w.escalateTo, outcome: next.outcome },
          "wake-up not confirmed; front desk called",
        );
        continue;
      }
    }
  }
  return changed;
}

export type TickResult = { materialized: number; recovered: number; called: number; changed: number };

/** One scheduler pass (see the module header). */
export async function runWakeUpTick(
  db: Db,
  now: Date = new Date(),
  opts: WakeUpSchedulerOptions & { materialize?: boolean } = {},
): Promise<TickResult> {
  const recovered = await recoverExpiredClaims(db, now);
  let materialized = 0;
  // Materialising reads every booking; the periodic scheduler does it once a minute (new
  // bookings are materialised by the service that creates them), calls and follow-ups every tick.
  if (opts.materialize !== false) {
    for (const w of await db.wakeUp.findMany({ where: { state: "active" }, select: wakeUpSelect })) {
      materialized += await materializeWakeUp(db, w, now, opts);
    }
  }
  const called = await callPending(db, now, opts);
  const changed = await followUp(db, now, opts);
  return { materialized, recovered, called, changed };
}

/**
 * The scheduler's options from the environment. Services (create/update) and the engine's
 * tick both read them here: in Next.js a server action and instrumentation are separate
 * bundles, so module state set by one is not seen by the other.
 */
export function schedulerOptionsFromEnv(log?: SchedulerLog): WakeUpSchedulerOptions {
  const raw = process.env.SPOOLCAST_WAKEUP_TIME_SCALE?.trim();
  const timeScale = raw ? Number(raw) : 1;
  if (!(timeScale >= 1 && timeScale <= 3600))
    throw new Error("SPOOLCAST_WAKEUP_TIME_SCALE: must be a number from 1 to 3600 (test-only)");
  return { soundStoreDir: soundStoreDir(env().dataDir), timeScale, log };
}

/** Materialises and calls one booking now (after create/update), so it shows at once. */
export async function scheduleWakeUpNow(
  db: Db,
  wakeUpId: string,
  now: Date = new Date(),
  opts: WakeUpSchedulerOptions = schedulerOptionsFromEnv(),
): Promise<void> {
  const w = await db.wakeUp.findUnique({ where: { id: wakeUpId }, select: wakeUpSelect });
  if (!w) return;
  await materializeWakeUp(db, w, now, opts);
  await callPending(db, now, opts);
}

/**
 * Starts the periodic tick in this process whenever it holds the "wakeup-scheduler" lease
 * (`owner` is the engine worker's id); returns stop.
 */
export function startWakeUpScheduler(
  db: Db,
  opts: WakeUpSchedulerOptions & { owner: string; intervalMs?: number; leaseMs?: number },
): () => Promise<void> {
  let lastMaterialized = 0;
  const runner = createPeriodicRunner({
    name: "wakeup-scheduler",
    intervalMs: opts.intervalMs ?? 5000,
    lease: { db, owner: opts.owner, ttlMs: opts.leaseMs ?? 15_000 },
    log: opts.log,
    tick: async ({ now }) => {
      const materialize = now.getTime() - lastMaterialized >= 60_000;
      if (materialize) lastMaterialized = now.getTime();
      await runWakeUpTick(db, now, { ...opts, materialize });
    },
  });
  runner.start();
  return () => runner.stop();
}
