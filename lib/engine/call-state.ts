/**
 * Call kinds, priorities and the call state machine. Every transition is stored as a
 * CallEvent (type = the new state) so the UI can show the timeline.
 *
 *   queued ──▶ spooled ──▶ dialling ──▶ answered ──▶ acknowledged | completed | not-acknowledged
 *     │           │           │  ▲                    (final)
 *     │           │           ▼  │ (EndRetry: retry-wait, next StartRetry: dialling)
 *     │           │        retry-wait
 *     │           │           │
 *     │           ▼           ▼
 *     │     no-answer | busy | congestion | failed | expired | lost   (final)
 *     ▼
 *  cancelled (final; only before Asterisk started dialling: the file is unlinked)
 *
 * `spooled` = file placed in outgoing/ (possibly with a future mtime); `dialling` = a
 * StartRetry line seen; `answered` = archived Completed or an IVR session opened.
 * `expired` = Asterisk's Expired with no known reason (direct IVR mode); with the dialplan
 * snippet the reason of the last attempt maps to no-answer / busy / congestion / failed.
 * `lost` = Asterisk never processed the file, or it vanished without an archive.
 */

export const CALL_KINDS = ["pa", "click", "wakeup", "campaign", "test"] as const;
export type CallKind = (typeof CALL_KINDS)[number];

/** Lower runs first: emergency PA, then click-to-call, then wake-ups, then campaigns. */
export const PRIORITY: Record<CallKind, number> = { pa: 0, click: 10, wakeup: 20, test: 25, campaign: 30 };

export const ACTIVE_STATES = ["queued", "spooled", "dialling", "retry-wait", "answered"] as const;
export const FINAL_STATES = [
  "acknowledged",
  "completed",
  "not-acknowledged",
  "no-answer",
  "busy",
  "congestion",
  "failed",
  "expired",
  "lost",
  "cancelled",
] as const;
export type ActiveState = (typeof ACTIVE_STATES)[number];
export type FinalState = (typeof FINAL_STATES)[number];
export type CallState = ActiveState | FinalState;

export function isFinalState(s: string): s is FinalState {
  return (FINAL_STATES as readonly string[]).includes(s);
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
