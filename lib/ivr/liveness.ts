/**
 * When a per-call IVR token may open a session. A token is a signature of the call id and
 * never expires by itself, and Asterisk keeps it in the archived call file (`outgoing_done/`)
 * for anyone who can read the spool: so a token is only honoured while its call can still be
 * in progress on the PBX, from the moment the engine writes the file until the call reaches a
 * final state, plus a short grace for the races between Asterisk and the reconciler (the
 * failed extension's report and the archive arrive close together).
 */
import { isFinalState } from "@/lib/calls/call-state-machine";

/** How long after a call's final state a session (or a late fact of a live session) is still honoured. */
export const LIVE_GRACE_MS = 60_000;

export type Liveness = { ok: true; live: boolean } | { ok: false; reason: string };

/**
 * Whether a session for a call in this state may open now. `live` is true while the call is
 * not final: only a session opened then may later change a final state (a late key press).
 */
export function sessionLiveness(
  call: { state: string; endedAt?: Date | null },
  now: Date,
  graceMs: number = LIVE_GRACE_MS,
): Liveness {
  if (!isFinalState(call.state)) return { ok: true, live: true };
  const endedAt = call.endedAt ?? null;
  if (endedAt && now.getTime() - endedAt.getTime() <= graceMs) return { ok: true, live: false };
  return {
    ok: false,
    reason: `call already ended (${call.state}${endedAt ? ` at ${endedAt.toISOString()}` : ""}): token replayed`,
  };
}

/**
 * Whether a key pressed at `pressedAt` may still change a call that is now `state`: always
 * while the call is active; once final, only a key from a session opened while the call was
 * live, pressed no later than the grace after the call ended (the write waited out a
 * database restart and the reconciler closed the call first).
 */
export function lateKeyAccepted(
  call: { state: string; endedAt: Date | null },
  pressedAt: Date,
  openedWhileLive: boolean,
  graceMs: number = LIVE_GRACE_MS,
): boolean {
  if (!isFinalState(call.state)) return true;
  if (!openedWhileLive || !call.endedAt) return false;
  return pressedAt.getTime() <= call.endedAt.getTime() + graceMs;
}
