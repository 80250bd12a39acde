/**
 * The calling window, evaluated in each callee's own time zone: ISO weekdays (1 = Monday)
 * and a start/end time of day. "23:59" as the end means "until midnight" so the default
 * window covers whole days. Luxon does the zone arithmetic, so DST days are handled.
 */
import { DateTime } from "luxon";

export type CallingWindow = { days: number[]; start: string; end: string };

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h! * 60 + m!;
}

function endMinutes(w: CallingWindow): number {
  return w.end === "23:59" ? 24 * 60 : minutesOf(w.end);
}

/** True when `at` falls inside the window in `zone`. */
export function isInWindow(at: Date, zone: string, w: CallingWindow): boolean {
  const local = DateTime.fromJSDate(at, { zone });
  if (!local.isValid || !w.days.includes(local.weekday)) return false;
  const m = local.hour * 60 + local.minute;
  return m >= minutesOf(w.start) && m < endMinutes(w);
}

/**
 * The first instant at or after `from` inside the window in `zone`, or null when the window
 * does not open within the next 8 days (no allowed day, or a zone luxon does not know).
 */
export function nextWindowOpen(from: Date, zone: string, w: CallingWindow): Date | null {
  if (isInWindow(from, zone, w)) return from;
  const local = DateTime.fromJSDate(from, { zone });
  if (!local.isValid) return null;
  const start = minutesOf(w.start);
  for (let d = 0; d <= 8; d++) {
    const day = local.plus({ days: d }).startOf("day");
    if (!w.days.includes(day.weekday)) continue;
    const open = day.set({ hour: Math.floor(start / 60), minute: start % 60 });
    if (open.toMillis() >= from.getTime()) return open.toJSDate();
  }
  return null;
}

/**
 * When the window `at` falls in closes, in `zone` (the end time on that local day; "23:59":
 * midnight), or null when `at` is outside the window. A call released inside the window is
 * never dialled after this (its valid-until, lib/engine/valid-until.ts): after an outage that
 * outlasted the window it is missed, not dialled in the evening.
 */
export function windowCloseAfter(at: Date, zone: string, w: CallingWindow): Date | null {
  if (!isInWindow(at, zone, w)) return null;
  const day = DateTime.fromJSDate(at, { zone }).startOf("day");
  const end = endMinutes(w);
  const close = end === 24 * 60 ? day.plus({ days: 1 }) : day.set({ hour: Math.floor(end / 60), minute: end % 60 });
  return close.toJSDate();
}
