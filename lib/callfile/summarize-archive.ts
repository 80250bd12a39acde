/**
 * Turns the bookkeeping lines of a parsed spool or archived file into the per-attempt
 * timeline the engine shows (docs/asterisk.md#attempts-and-retry-lines, #archive-and-status-line). Asterisk writes
 * `StartRetry` with the time start + RetryTime, so the start is recovered by subtracting
 * RetryTime; `EndRetry` carries the moment the attempt failed; `AbortRetry` closes an
 * attempt another Asterisk process had started (e.g. before a restart).
 */
import type { ArchiveStatus, ParsedCallFile } from "./types";

/** Asterisk's RetryTime when the file has none (docs/asterisk.md#call-file-keys). */
export const DEFAULT_RETRY_TIME = 300;

export type AttemptResult = "answered" | "failed" | "aborted" | "in-progress";

export type AttemptSummary = {
  /** Attempt number as Asterisk counts it (1 = first call). */
  n: number;
  pid: number;
  startedAt: Date;
  /** When the attempt failed (EndRetry/AbortRetry), or `archivedAt` for the last attempt of an archived file. */
  endedAt?: Date;
  result: AttemptResult;
};

export type ArchiveSummary = {
  status?: ArchiveStatus;
  attempts: AttemptSummary[];
  /** Times the retry timer fired while an attempt was still running (DelayedRetry lines). */
  delayedRetries: number;
  /** Expired at a check that started no new attempt: every recorded attempt had already ended (attempts used > MaxRetries). */
  expiredWithoutDialling: boolean;
};

/**
 * Summarizes the attempts recorded in `parsed`. `archivedAt` (the archive file's mtime, if
 * known) is used as the end of the last attempt of an archived file.
 */
export function summarizeArchive(parsed: ParsedCallFile, opts: { archivedAt?: Date } = {}): ArchiveSummary {
  const retryTime = parsed.file.retryTime ?? DEFAULT_RETRY_TIME;
  const attempts: AttemptSummary[] = [];
  let open: AttemptSummary | undefined;
  let delayedRetries = 0;
  let closedSinceLastStart = false;

  for (const r of parsed.retries) {
    if (r.kind === "StartRetry") {
      // A StartRetry while one is open without an end line means that attempt's end was
      // never recorded (e.g. the file was rewritten); mark it aborted rather than guess.
      if (open) open.result = "aborted";
      open = { n: r.n, pid: r.pid, startedAt: new Date((r.time - retryTime) * 1000), result: "in-progress" };
      attempts.push(open);
      closedSinceLastStart = false;
    } else if (r.kind === "DelayedRetry") {
      delayedRetries++;
    } else if (open) {
      open.endedAt = new Date(r.time * 1000);
      open.result = r.kind === "EndRetry" ? "failed" : "aborted";
      open = undefined;
      closedSinceLastStart = true;
    }
  }

  if (open && parsed.status) {
    // The last attempt has no end line: Asterisk archives it directly (docs/asterisk.md#attempts-and-retry-lines).
    if (parsed.status === "Completed") open.result = "answered";
    else if (parsed.status === "Expired") open.result = "failed";
    else open.result = "aborted";
    if (opts.archivedAt) open.endedAt = opts.archivedAt;
  }

  return {
    status: parsed.status,
    attempts,
    delayedRetries,
    expiredWithoutDialling: parsed.status === "Expired" && (attempts.length === 0 || closedSinceLastStart),
  };
}
