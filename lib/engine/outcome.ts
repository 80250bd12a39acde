/**
 * Pure mapping from what Asterisk wrote (the appended StartRetry/EndRetry lines, the archived
 * Status) plus what the IVR recorded to attempts, live progress and the call's final state.
 * No I/O here, so the reconciler stays idempotent and these rules are unit-tested directly.
 */
import type { ParsedCallFile, RetryLine } from "@/lib/callfile/types";
import { stateForReason, type CallState, type FinalState } from "@/lib/engine/call-state";

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

export type Progress = { state: "spooled" | "dialling" | "retry-wait"; attempt: number; at: Date | null; detail: string };

/** Live progress of a file still in outgoing/: the last bookkeeping line decides. */
export function progressFromRetries(retries: RetryLine[], retryTime: number): Progress {
  const meaningful = retries.filter((r) => r.kind !== "DelayedRetry");
  const last = meaningful.at(-1);
  if (!last) return { state: "spooled", attempt: 0, at: null, detail: "" };
  if (last.kind === "StartRetry") {
    return { state: "dialling", attempt: last.n, at: sec(last.time - retryTime), detail: `attempt ${last.n}` };
  }
  // AbortRetry ends the attempt of the StartRetry before it (normally the same number).
  const aborted =
    last.kind === "AbortRetry"
      ? (meaningful.findLast((r, i) => i < meaningful.length - 1 && r.kind === "StartRetry")?.n ?? last.n)
      : 0;
  const failed = last.kind === "AbortRetry" ? aborted : last.n;
  return {
    state: "retry-wait",
    attempt: failed,
    at: sec(last.time),
    detail: last.kind === "AbortRetry" ? `attempt ${failed} aborted (Asterisk restarted)` : `attempt ${failed} failed`,
  };
}

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

/** A failure reason as written by the IVR failure session: `${REASON}` digits or a state name. */
export function stateForAttemptReason(reason: string): "no-answer" | "busy" | "congestion" | "failed" {
  const t = reason.trim();
  if (/^\d+$/.test(t)) return stateForReason(Number(t));
  if (t === "no-answer" || t === "busy" || t === "congestion") return t;
  return "failed";
}

const REASON_TEXT: Record<string, string> = {
  "no-answer": "no answer",
  busy: "busy",
  congestion: "congestion (trunk or network)",
  failed: "the call could not be placed",
};

/** The final state for an archived file (docs/architecture.md#call-state-machine: reconciliation never guesses). */
export function outcomeFor(
  parsed: Pick<ParsedCallFile, "status" | "retries">,
  call: CallForOutcome,
  lastAttemptReason: string | null,
): Outcome | null {
  const attempts = new Set(parsed.retries.filter((r) => r.kind === "StartRetry").map((r) => r.n)).size;
  switch (parsed.status) {
    case "Completed": {
      if (call.ackDigit) return { state: "acknowledged", outcome: "acknowledged", reason: `acknowledged with ${call.ackDigit}` };
      if (call.requireAck && call.kind !== "click") {
        return {
          state: "not-acknowledged",
          outcome: "not-acknowledged",
          reason: "answered, but no acknowledgement key was pressed",
        };
      }
      return { state: "completed", outcome: "completed", reason: "answered" };
    }
    case "Expired": {
      if (lastAttemptReason) {
        const s = stateForAttemptReason(lastAttemptReason);
        return { state: s, outcome: s, reason: `${REASON_TEXT[s]} after ${attempts} attempt${attempts === 1 ? "" : "s"}` };
      }
      if (attempts === 0)
        return { state: "expired", outcome: "expired", reason: "expired without dialling: its retries were already used" };
      return {
        state: "expired",
        outcome: "expired",
        reason: `not answered after ${attempts} attempt${attempts === 1 ? "" : "s"}`,
      };
    }
    case "Failed":
      return { state: "failed", outcome: "failed", reason: "Asterisk rejected the call file" };
    default:
      return null;
  }
}

/** States the progress tracker may move a call out of (never out of a final one). */
export const TRACKED_STATES: CallState[] = ["spooled", "dialling", "retry-wait", "answered"];
