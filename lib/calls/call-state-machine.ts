/**
 * The one call state machine. A call's state is never set by whoever happens to see something
 * first: every writer (the engine's progress tracker and reconciler, the IVR store, the
 * schedulers) hands the evidence it holds to `transition`, which folds it into the call's
 * facts and derives the state from the facts alone. Folding is a commutative, idempotent
 * merge (a maximum, a union, a first-non-null), so the order in which evidence arrives never
 * changes the result: the failed extension's REASON before or after the archived file, an
 * IVR "message missing" before or after the archive, give the same final state and reason.
 *
 *   queued ──▶ spooled ──▶ dialling ⇄ retry-wait ──▶ answered ──▶ acknowledged | completed |
 *     │                                               not-acknowledged | not-played | playback-unconfirmed
 *     │           (archived Expired) ──▶ no-answer | busy | congestion | failed | expired
 *     │           (archived Failed) ──▶ failed      (no archive past its deadline) ──▶ lost
 *     ├──▶ missed (past its valid-until when the engine came to it: never dialled)
 *     ▼
 *  cancelled (only before Asterisk started dialling: the file is unlinked)
 *
 * Evidence and what it proves:
 * - the archived `Status` (Completed: a leg answered; Expired: every attempt failed; Failed:
 *   Asterisk could not use the file) makes a call final;
 * - `StartRetry`/`EndRetry`/`AbortRetry` lines of the file still in outgoing/ move it between
 *   dialling and retry-wait;
 * - the failed extension's `${REASON}` of an attempt turns Expired into no-answer (3), busy
 *   (5), congestion (8) or failed (anything else); without it (direct IVR mode) Expired stays
 *   `expired`, reason unknown;
 * - an IVR session opening proves the callee answered; a key press is the acknowledgement;
 * - "heard" only from Asterisk's own playback events (F, or T for the message file: Asterisk sends T only for a file that was playing);
 * - Asterisk's `Z` for the message file: `not-played`; no F within the message length plus a
 *   margin (the playback watchdog): `playback-unconfirmed` — both delivery failures;
 * - the engine's own timeouts: the lost deadline and a file vanishing without an archive;
 * - the claim step's clock: a queued call past its valid-until (lib/engine/valid-until.ts) is
 *   never dialled and ends `missed`; only a queued call can be missed (no file was written).
 */
import { progressFromRetries } from "@/lib/calls/retry-progress";
import type { RetryLine } from "@/lib/callfile/types";

export const CALL_KINDS = ["pa", "click", "wakeup", "campaign", "test"] as const;
export type CallKind = (typeof CALL_KINDS)[number];

/** Lower runs first: emergency PA, then click-to-call, then wake-ups, then campaigns. */
export const PRIORITY: Record<CallKind, number> = { pa: 0, click: 10, wakeup: 20, test: 25, campaign: 30 };

export const ACTIVE_STATES = ["queued", "spooled", "dialling", "retry-wait", "answered"] as const;
export const FINAL_STATES = [
  "acknowledged",
  "completed",
  "not-acknowledged",
  "not-played",
  "playback-unconfirmed",
  "no-answer",
  "busy",
  "congestion",
  "failed",
  "expired",
  "lost",
  "missed",
  "cancelled",
] as const;
export type ActiveState = (typeof ACTIVE_STATES)[number];
export type FinalState = (typeof FINAL_STATES)[number];
export type CallState = ActiveState | FinalState;

export function isFinalState(s: string): s is FinalState {
  return (FINAL_STATES as readonly string[]).includes(s);
}

/** Answered, but the message was not delivered: counted unreached everywhere (board, campaign, re-call). */
export const DELIVERY_FAILURE_STATES = ["not-played", "playback-unconfirmed"] as const;
export type DeliveryFailureState = (typeof DELIVERY_FAILURE_STATES)[number];

export function isDeliveryFailure(s: string): s is DeliveryFailureState {
  return (DELIVERY_FAILURE_STATES as readonly string[]).includes(s);
}

/**
 * Final states that never reached the person, whatever the call asked for. A call that
 * required an acknowledgement and ended completed / not-acknowledged is unreached too; that
 * depends on the call, see `isUnreached`.
 */
export const UNREACHED_STATES = [
  "no-answer",
  "busy",
  "congestion",
  "failed",
  "expired",
  "lost",
  "missed",
  "cancelled",
  ...DELIVERY_FAILURE_STATES,
] as const satisfies readonly FinalState[];

export function isUnreached(state: string, requireAck: boolean): boolean {
  if ((UNREACHED_STATES as readonly string[]).includes(state)) return true;
  return requireAck && (state === "completed" || state === "not-acknowledged");
}

/** Asterisk's ${REASON} for a failed originate (docs/asterisk.md#reason-codes) → the state it implies. */
export function stateForReason(reason: number): "no-answer" | "busy" | "congestion" | "failed" {
  switch (reason) {
    case 3:
      return "no-answer";
    case 5:
      return "busy";
    case 8:
      return "congestion";
    default:
      return "failed";
  }
}

/** A failure reason as stored on an attempt: `${REASON}` digits or a state name. */
export function stateForAttemptReason(reason: string): "no-answer" | "busy" | "congestion" | "failed" {
  const t = reason.trim();
  if (/^\d+$/.test(t)) return stateForReason(Number(t));
  if (t === "no-answer" || t === "busy" || t === "congestion") return t;
  return "failed";
}

export type ArchiveStatus = "Completed" | "Expired" | "Failed";

/** One piece of evidence about a call. */
export type CallEvidence =
  /** The engine placed the call file in outgoing/. */
  | { kind: "spooled" }
  /** The bookkeeping lines of the file as read now (the file only grows, so a longer list supersedes). */
  | { kind: "progress"; retries: RetryLine[] }
  /** Asterisk archived the file with this Status after `attempts` dialled attempts. */
  | { kind: "archived"; status: ArchiveStatus; attempts: number }
  /** The failed extension's ${REASON} for attempt `attempt`. */
  | { kind: "failure-reason"; attempt: number; reason: string }
  /** An IVR session opened: the callee answered. */
  | { kind: "ivr-answered" }
  /** The key that answered the script. */
  | { kind: "key"; digit: string }
  /** Asterisk confirmed the message played for `heardMs` (F, or T while it was playing). */
  | { kind: "message-played"; heardMs: number }
  /** Asterisk answered the message's S/A with Z: it could not open the file. */
  | { kind: "message-missing"; cause: string }
  /** The playback watchdog: no F for the message within its length plus a margin. */
  | { kind: "playback-unconfirmed"; cause: string }
  /** The engine's lost deadline passed, or the file vanished without an archive. */
  | { kind: "lost"; detail: string }
  /** The claim step found the queued call past its valid-until: it is never dialled. */
  | { kind: "missed"; detail: string }
  /** Cancelled before Asterisk started dialling. */
  | { kind: "cancelled"; detail: string };

/** Everything known about a call; only ever grows. */
export type CallFacts = {
  kind: string;
  requireAck: boolean;
  spooled: boolean;
  retries: RetryLine[];
  retryTime: number;
  archive: { status: ArchiveStatus; attempts: number } | null;
  /** attempt number → REASON (as stored: digits or a state name). */
  reasons: Record<number, string>;
  answered: boolean;
  ackDigit: string | null;
  heardMs: number | null;
  notPlayed: string | null;
  playbackUnconfirmed: string | null;
  lost: string | null;
  missed: string | null;
  cancelled: string | null;
};

export type CallStatus = { state: CallState; reason: string; facts: CallFacts };

export function initialFacts(call: { kind: string; requireAck: boolean; retryTime?: number }): CallFacts {
  return {
    kind: call.kind,
    requireAck: call.requireAck,
    spooled: false,
    retries: [],
    retryTime: call.retryTime ?? 0,
    archive: null,
    reasons: {},
    answered: false,
    ackDigit: null,
    heardMs: null,
    notPlayed: null,
    playbackUnconfirmed: null,
    lost: null,
    missed: null,
    cancelled: null,
  };
}

/** `a` or `b`, whichever is set; when both are, the smaller one (so the merge is symmetric). */
const firstOf = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a <= b ? a : b);

/** The longer of two readings of the same growing file (a prefix is superseded). */
function longerRetries(a: RetryLine[], b: RetryLine[]): RetryLine[] {
  if (a.length !== b.length) return a.length > b.length ? a : b;
  // Same length: the same lines read twice; pick deterministically if they ever differ.
  return JSON.stringify(a) <= JSON.stringify(b) ? a : b;
}

/** Folds one piece of evidence into the facts (commutative and idempotent). */
export function absorb(facts: CallFacts, e: CallEvidence): CallFacts {
  const f = { ...facts, reasons: { ...facts.reasons } };
  switch (e.kind) {
    case "spooled":
      f.spooled = true;
      break;
    case "progress":
      f.retries = longerRetries(f.retries, e.retries);
      break;
    case "archived": {
      // One file is archived once; two readings of it agree. Keep the larger count if not.
      const prev = f.archive;
      if (!prev || prev.attempts < e.attempts || (prev.attempts === e.attempts && prev.status > e.status))
        f.archive = { status: e.status, attempts: e.attempts };
      break;
    }
    case "failure-reason": {
      const prev = f.reasons[e.attempt];
      f.reasons[e.attempt] = prev === undefined ? e.reason : (firstOf(prev, e.reason) ?? e.reason);
      break;
    }
    case "ivr-answered":
      f.answered = true;
      break;
    case "key":
      f.ackDigit = firstOf(f.ackDigit, e.digit);
      break;
    case "message-played":
      f.heardMs = Math.max(f.heardMs ?? 0, Math.max(0, Math.round(e.heardMs)));
      break;
    case "message-missing":
      f.notPlayed = firstOf(f.notPlayed, e.cause);
      break;
    case "playback-unconfirmed":
      f.playbackUnconfirmed = firstOf(f.playbackUnconfirmed, e.cause);
      break;
    case "lost":
      f.lost = firstOf(f.lost, e.detail);
      break;
    case "missed":
      f.missed = firstOf(f.missed, e.detail);
      break;
    case "cancelled":
      f.cancelled = firstOf(f.cancelled, e.detail);
      break;
  }
  return f;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

const REASON_TEXT: Record<"no-answer" | "busy" | "congestion" | "failed", string> = {
  "no-answer": "no answer",
  busy: "busy",
  congestion: "congestion (trunk or network)",
  failed: "the call could not be placed",
};

/** The state and reason the facts prove. Pure; the only place a call's state is decided. */
export function deriveState(f: CallFacts): { state: CallState; reason: string } {
  const a = f.archive;
  if (a) {
    if (a.status === "Failed") return { state: "failed", reason: "Asterisk rejected the call file" };
    if (a.status === "Completed") {
      if (f.ackDigit) return { state: "acknowledged", reason: `acknowledged with ${f.ackDigit}` };
      // Asterisk confirmed playback at least once: the message was delivered, whatever came later.
      const heard = (f.heardMs ?? 0) > 0;
      if (!heard && f.notPlayed) return { state: "not-played", reason: f.notPlayed };
      if (!heard && f.playbackUnconfirmed) return { state: "playback-unconfirmed", reason: f.playbackUnconfirmed };
      if (f.requireAck && f.kind !== "click")
        return { state: "not-acknowledged", reason: "answered, but no acknowledgement key was pressed" };
      return { state: "completed", reason: "answered" };
    }
    // Expired: the reason of the last attempt that reported one decides.
    const reported = Object.keys(f.reasons)
      .map(Number)
      .sort((x, y) => x - y)
      .at(-1);
    if (reported !== undefined) {
      const s = stateForAttemptReason(f.reasons[reported]!);
      return { state: s, reason: `${REASON_TEXT[s]} after ${plural(a.attempts, "attempt")}` };
    }
    if (a.attempts === 0) return { state: "expired", reason: "expired without dialling: its retries were already used" };
    return {
      state: "expired",
      reason: `not reached after ${plural(a.attempts, "attempt")}; Asterisk reported no reason (direct IVR mode)`,
    };
  }
  if (f.lost) return { state: "lost", reason: f.lost };
  if (f.missed) return { state: "missed", reason: f.missed };
  if (f.cancelled) return { state: "cancelled", reason: f.cancelled };
  if (f.answered) return { state: "answered", reason: "" };
  if (f.retries.some((r) => r.kind !== "DelayedRetry")) {
    const p = progressFromRetries(f.retries, f.retryTime);
    return { state: p.state, reason: p.detail };
  }
  if (f.spooled) return { state: "spooled", reason: "" };
  return { state: "queued", reason: "" };
}

/** Applies one piece of evidence: the new facts and the state they prove. */
export function transition(current: CallStatus, evidence: CallEvidence): CallStatus {
  const facts = absorb(current.facts, evidence);
  return { ...deriveState(facts), facts };
}

/** A call with no evidence yet. */
export function initialStatus(call: { kind: string; requireAck: boolean; retryTime?: number }): CallStatus {
  const facts = initialFacts(call);
  return { ...deriveState(facts), facts };
}

/** Folds a list of evidence, in the order given. */
export function applyAll(status: CallStatus, evidence: CallEvidence[]): CallStatus {
  return evidence.reduce(transition, status);
}

/**
 * The archive a stored final state implies, for writers that see the call after the reconciler
 * closed it (the IVR store): Completed for the answered outcomes, Expired for the
 * reason-bearing ones. Null when the state does not come from an archive the evidence could
 * refine (lost, cancelled, a file Asterisk or Spoolcast rejected).
 */
export function archiveImpliedBy(state: string, attempts: number, hasReasons: boolean): CallFacts["archive"] {
  switch (state) {
    case "acknowledged":
    case "completed":
    case "not-acknowledged":
    case "not-played":
    case "playback-unconfirmed":
      return { status: "Completed", attempts };
    case "no-answer":
    case "busy":
    case "congestion":
    case "expired":
      return { status: "Expired", attempts };
    case "failed":
      return hasReasons ? { status: "Expired", attempts } : null;
    default:
      return null;
  }
}

/** What the IVR logs and the host health says when Asterisk never confirms a playback. */
export const NO_AUDIO_HINT = "the PBX did not play audio: are Asterisk's core sounds (silence/*) installed?";

/** The IVR timeline types that carry a delivery failure (their detail is the cause). */
export const DELIVERY_EVENT_TYPES = {
  "not-played": "ivr.not-played",
  "playback-unconfirmed": "ivr.playback-unconfirmed",
} as const;

/** The columns of a call row the state machine reads its facts from. */
export type StoredCallRow = {
  kind: string;
  requireAck: boolean;
  state: string;
  attempts: number;
  ackDigit: string | null;
  heardMs: number | null;
  answeredAt: Date | null;
};

/** The facts a stored call proves (its row, its attempts' reasons, its delivery-failure events). */
export function storedFacts(
  call: StoredCallRow,
  reasons: Array<{ n: number; reason: string | null }>,
  deliveryEvents: Array<{ type: string; detail: string }>,
  archive?: CallFacts["archive"],
): CallFacts {
  let f = initialFacts(call);
  const known = reasons.filter((r): r is { n: number; reason: string } => r.reason !== null);
  const ev: CallEvidence[] = known.map((r) => ({ kind: "failure-reason", attempt: r.n, reason: r.reason }));
  if (call.answeredAt) ev.push({ kind: "ivr-answered" });
  if (call.ackDigit) ev.push({ kind: "key", digit: call.ackDigit });
  if (call.heardMs) ev.push({ kind: "message-played", heardMs: call.heardMs });
  for (const d of deliveryEvents) {
    if (d.type === DELIVERY_EVENT_TYPES["not-played"]) ev.push({ kind: "message-missing", cause: d.detail });
    if (d.type === DELIVERY_EVENT_TYPES["playback-unconfirmed"]) ev.push({ kind: "playback-unconfirmed", cause: d.detail });
  }
  const implied = archive === undefined ? archiveImpliedBy(call.state, call.attempts, known.length > 0) : archive;
  if (implied) ev.push({ kind: "archived", ...implied });
  for (const e of ev) f = absorb(f, e);
  return f;
}
