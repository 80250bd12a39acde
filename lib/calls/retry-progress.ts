/**
 * Live progress of a call file still in outgoing/, from the bookkeeping lines Asterisk appends
 * (pbx_spool.c: StartRetry when an attempt starts, EndRetry when it failed, AbortRetry when a
 * restart cut it short). Shared by the engine's progress tracker and the call state machine.
 */
import type { RetryLine } from "@/lib/callfile/types";

const sec = (s: number) => new Date(s * 1000);

export type Progress = { state: "spooled" | "dialling" | "retry-wait"; attempt: number; at: Date | null; detail: string };

/** The last bookkeeping line decides. */
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
