/**
 * How late a queued call may still be dialled: its "valid until". A call whose valid-until
 * passed while no engine was running (before the engine took the host's lease) is never
 * dialled; the claim step ends it `missed` ("Missed: Spoolcast was not running at the time").
 * Without this, calls queued before an outage were all dialled the moment Spoolcast started
 * again: a guest rung at 03:28 and told it was 07:00, an evacuation announced hours after it.
 * A call whose valid-until passes while the engine runs (waiting behind the host's
 * maxConcurrent, e.g. 300 wake-ups at 07:00) is still dialled: those words would be untrue,
 * and not waking a guest because the queue was long is worse than waking them a little late.
 *
 * The windows, by kind, and why:
 * - wake-up: its due time plus WAKEUP_TOLERANCE_MS. A wake-up a quarter of an hour late is
 *   still useful; one an hour late wakes a guest at the wrong time and says a wrong time.
 * - PA and test calls: launch plus PA_VALID_MS. An emergency announcement (an evacuation)
 *   dialled long after the event does harm: people act on a danger that is over, or on an old
 *   instruction. A test call checks the path now; a late one tests nothing useful.
 * - click-to-call: CLICK_VALID_MS. The user is at the desk waiting for the phone to ring; two
 *   minutes later they have given up, and a ringing desk phone then is a surprise.
 * - campaign: the campaign's end when it has one and it is sooner, else CAMPAIGN_VALID_MS from
 *   its release. The campaign scheduler releases a call only inside its calling window and
 *   paces it, so a released call is normally dialled within seconds; a call that waited longer
 *   than this waited through an outage, and its window may well be over.
 */
import type { CallKind } from "@/lib/calls/call-state-machine";

const MINUTE = 60_000;

export const WAKEUP_TOLERANCE_MS = 15 * MINUTE;
export const PA_VALID_MS = 10 * MINUTE;
export const TEST_VALID_MS = PA_VALID_MS;
export const CLICK_VALID_MS = 2 * MINUTE;
export const CAMPAIGN_VALID_MS = 30 * MINUTE;

/** The window past the call's scheduled start, by kind. */
export const VALID_FOR_MS: Record<CallKind, number> = {
  wakeup: WAKEUP_TOLERANCE_MS,
  pa: PA_VALID_MS,
  test: TEST_VALID_MS,
  click: CLICK_VALID_MS,
  campaign: CAMPAIGN_VALID_MS,
};

/**
 * A call's valid-until: its scheduled start plus its kind's window, or `limit` (a campaign's
 * end, a booking's own tolerance) when that is sooner. Never before the scheduled start, so
 * a call is always dialable at its own time.
 */
export function validUntilFor(kind: CallKind, scheduledAt: Date, opts: { windowMs?: number; limit?: Date | null } = {}): Date {
  const start = scheduledAt.getTime();
  let until = start + (opts.windowMs ?? VALID_FOR_MS[kind]);
  if (opts.limit && opts.limit.getTime() < until) until = Math.max(start, opts.limit.getTime());
  return new Date(until);
}

/** The words of a missed call (its state's label says the rest): when it was due and how late Spoolcast was. */
export function missedReason(scheduledAt: Date, validUntil: Date, at: Date): string {
  const lateMin = Math.round((at.getTime() - scheduledAt.getTime()) / MINUTE);
  const late = lateMin >= 120 ? `${Math.round(lateMin / 60)} h` : `${lateMin} min`;
  return `not dialled: due ${scheduledAt.toISOString()}, valid until ${validUntil.toISOString()}, reached at ${at.toISOString()} (${late} late)`;
}
