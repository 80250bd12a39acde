/**
 * Pure mapping from what Asterisk wrote (the appended StartRetry/EndRetry lines, the archived
 * Status) plus what the IVR recorded to attempts, live progress and the call's final state.
 * No I/O here, so the reconciler stays idempotent and these rules are unit-tested directly.
 */
import type { ParsedCallFile, RetryLine } from "@/lib/callfile/types";
import type { CallState, FinalState } from "@/lib/engine/call-state";
import { deriveState, stateForAttemptReason, storedFacts } from "@/lib/calls/call-state-machine";

export type AttemptInfo = {
  n: number;
  startedAt: Date | null;
  endedAt: Date | null;
  result: "dialling" | "failed" | "aborted" | "answered" | null;
  /**
   * When an Asterisk restart cut this attempt short and the restarted Asterisk dialled the
   * same attempt number again (its AbortRetry carries the number it re-dials, docs/asterisk.md#attempts-and-retry-lines).
   */
  abortedAt?: Date;
};

const sec = (s: number) => new Date(s * 1000);

/**
 * Attempts from the bookkeeping lines. StartRetry carries start + RetryTime (docs/asterisk.md#attempts-and-retry-lines), so
 * the start is its time minus RetryTime; EndRetry's time is the failure. AbortRetry ends the
 * attempt that was open (a StartRetry of another Asterisk process, cut short by a restart):
 * Asterisk writes it with Used + 1, the number of the attempt it aborts, and its StartRetry
 * then dials that same number again, so one attempt number can be dialled twice.
 */
export function attemptsFromRetries(retries: RetryLine[], retryTime: number): AttemptInfo[] {
  const byN = new Map<number, AttemptInfo>();
  const get = (n: number) => {
    let a = byN.get(n);
    if (!a) {
      a = { n, startedAt: null, endedAt: null, result: null };
      byN.set(n, a);
    }
    return a;
  };
  let open: AttemptInfo | undefined;
  for (const r of retries) {
    if (r.kind === "StartRetry") {
      const a = get(r.n);
      if (a.result === "aborted" && a.endedAt) {
        a.abortedAt = a.endedAt;
        a.endedAt = null;
      }
      a.startedAt = sec(r.time - retryTime);
      a.result = "dialling";
      open = a;
    } else if (r.kind === "EndRetry") {
      const a = get(r.n);
      a.endedAt = sec(r.time);
      a.result = "failed";
      open = undefined;
    } else if (r.kind === "AbortRetry") {
      if (open && !open.endedAt) {
        open.endedAt = sec(r.time);
        open.result = "aborted";
      }
      open = undefined;
    }
  }
  return [...byN.values()].sort((a, b) => a.n - b.n);
}

export { progressFromRetries, type Progress } from "@/lib/calls/retry-progress";

/**
 * The last moment the file showed life: a StartRetry (its start), an EndRetry/AbortRetry or a
 * DelayedRetry (Asterisk re-checked a call that is still up), or null when none.
 */
export function lastActivity(retries: RetryLine[], retryTime: number): Date | null {
  let t: number | null = null;
  for (const r of retries) {
    const at = r.kind === "StartRetry" ? r.time - retryTime : r.time;
    if (t === null || at > t) t = at;
  }
  return t === null ? null : sec(t);
}

/**
 * When a file still in outgoing/ counts as lost: its retries allow (maxRetries+1)·RetryTime +
 * WaitTime after the schedule; a file that showed life later gets RetryTime + WaitTime after
 * that, since Asterisk re-checks (DelayedRetry) every RetryTime while a call is up.
 */
export function lostDeadline(options: {
  scheduledAt: Date;
  maxRetries: number;
  retryTime: number;
  waitTime: number;
  marginMs: number;
  activity: Date | null;
}): Date {
  const { scheduledAt, maxRetries, retryTime, waitTime, marginMs, activity } = options;
  const bySchedule = scheduledAt.getTime() + ((maxRetries + 1) * retryTime + waitTime) * 1000;
  const byActivity = activity ? activity.getTime() + (retryTime + waitTime) * 1000 : 0;
  return new Date(Math.max(bySchedule, byActivity) + marginMs);
}

export type CallForOutcome = {
  kind: string;
  requireAck: boolean;
  ackDigit: string | null;
};

export type Outcome = { state: FinalState; outcome: FinalState; reason: string };

export { stateForAttemptReason };

/**
 * The final state for an archived file, from the archive and the IVR's facts known now
 * (a thin wrapper over the call state machine, kept for its callers and tests).
 */
export function outcomeFor(
  parsed: Pick<ParsedCallFile, "status" | "retries">,
  call: CallForOutcome & { heardMs?: number | null; deliveryEvents?: Array<{ type: string; detail: string }> },
  lastAttemptReason: string | null,
): Outcome | null {
  if (!parsed.status) return null;
  const facts = storedFacts(
    { ...call, state: "", attempts: 0, heardMs: call.heardMs ?? null, answeredAt: null },
    lastAttemptReason === null ? [] : [{ n: 1, reason: lastAttemptReason }],
    call.deliveryEvents ?? [],
    { status: parsed.status, attempts: archivedAttempts(parsed.retries) },
  );
  const { state, reason } = deriveState(facts);
  return { state: state as FinalState, outcome: state as FinalState, reason };
}

/** Attempts Asterisk dialled for a file: distinct StartRetry numbers (a restart may redial one). */
export function archivedAttempts(retries: RetryLine[]): number {
  return new Set(retries.filter((r) => r.kind === "StartRetry").map((r) => r.n)).size;
}

/** States the progress tracker may move a call out of (never out of a final one). */
export const TRACKED_STATES: CallState[] = ["spooled", "dialling", "retry-wait", "answered"];
