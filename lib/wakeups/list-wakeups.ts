/**
 * Read side of wake-ups for the front desk and the API: the calls of given days (default
 * today and tomorrow in the site's zone), the bookings behind them, the per-day report and
 * the alerts (nobody answered, or answered without confirming) shown on the dashboard.
 */
import { DateTime } from "luxon";
import type { Db } from "@/lib/db";
import { recurrenceKindOf, type RecurrenceKind } from "@/lib/wakeups/recurrence";
import { getSiteTimeZone } from "@/lib/wakeups/site-time-zone";
import type { GuestOutcome } from "@/lib/wakeups/wakeup-scheduler";
import { parseInput, type WakeUpFields } from "@/lib/wakeups/wakeup-booking";
import { listWakeUpsSchema, type ListWakeUpsInput, type WakeUpOccurrenceState } from "@/lib/wakeups/wakeup.schema";

export type WakeUpSeries = {
  id: string;
  room: string;
  guestName: string;
  destination: string;
  timeZone: string;
  localTime: string;
  recurrence: RecurrenceKind;
  rrule: string | null;
  startDate: string;
  untilDate: string | null;
  snoozeMinutes: number;
  maxSnoozes: number;
  retries: number;
  escalateTo: string | null;
  /** Minutes past its time this booking may still ring; null: the site's setting. */
  toleranceMinutes: number | null;
  state: string;
};

export type WakeUpCall = {
  occurrenceId: string;
  wakeUpId: string;
  room: string;
  guestName: string;
  destination: string;
  timeZone: string;
  /** Local date and time in the guest's zone. */
  localDate: string;
  localTime: string;
  occursAt: string;
  state: WakeUpOccurrenceState;
  /** How the latest guest call ended (confirmed, snoozed, answered-not-confirmed, no-answer), if one did. */
  outcome: GuestOutcome | null;
  snoozes: number;
  maxSnoozes: number;
  /** Calls placed again after an unconfirmed answer, out of `maxRetries`. */
  retries: number;
  maxRetries: number;
  recurrence: RecurrenceKind;
  callId: string | null;
};

export type WakeUpList = { siteTimeZone: string; from: string; to: string; calls: WakeUpCall[]; series: WakeUpSeries[] };

function toSeries(w: WakeUpFields & { id: string; state: string }): WakeUpSeries {
  return {
    id: w.id,
    room: w.room,
    guestName: w.guestName,
    destination: w.destination,
    timeZone: w.timeZone,
    localTime: w.localTime,
    recurrence: recurrenceKindOf(w.rrule),
    rrule: w.rrule,
    startDate: w.startDate,
    untilDate: w.untilDate,
    snoozeMinutes: w.snoozeMinutes,
    maxSnoozes: w.maxSnoozes,
    retries: w.retries,
    escalateTo: w.escalateTo,
    toleranceMinutes: w.toleranceMinutes,
    state: w.state,
  };
}

export async function getWakeUp(db: Db, id: string): Promise<WakeUpSeries | null> {
  const w = await db.wakeUp.findUnique({ where: { id } });
  return w ? toSeries(w) : null;
}

/** "claimed" is an internal step of the scheduler: the desk sees it as pending. */
function displayState(s: string): WakeUpOccurrenceState {
  return (s === "claimed" ? "pending" : s) as WakeUpOccurrenceState;
}

export async function listWakeUps(db: Db, input: ListWakeUpsInput = {}, now: Date = new Date()): Promise<WakeUpList> {
  const { from, to } = parseInput(listWakeUpsSchema, input);
  const zone = await getSiteTimeZone(db);
  const today = DateTime.fromJSDate(now, { zone }).startOf("day");
  const start = from ? DateTime.fromISO(from, { zone }) : today;
  const end = (to ? DateTime.fromISO(to, { zone }) : today.plus({ days: 1 })).plus({ days: 1 });
  const occ = await db.wakeUpOccurrence.findMany({
    where: { occursAt: { gte: start.toJSDate(), lt: end.toJSDate() } },
    include: { wakeUp: true },
    orderBy: [{ occursAt: "asc" }],
    take: 2000,
  });
  const series = await db.wakeUp.findMany({
    where: { state: "active" },
    orderBy: [{ room: "asc" }, { localTime: "asc" }],
    take: 1000,
  });
  return {
    siteTimeZone: zone,
    from: start.toFormat("yyyy-MM-dd"),
    to: end.minus({ days: 1 }).toFormat("yyyy-MM-dd"),
    calls: occ.map((o) => {
      const local = DateTime.fromJSDate(o.occursAt, { zone: o.wakeUp.timeZone });
      return {
        occurrenceId: o.id,
        wakeUpId: o.wakeUpId,
        room: o.wakeUp.room,
        guestName: o.wakeUp.guestName,
        destination: o.wakeUp.destination,
        timeZone: o.wakeUp.timeZone,
        localDate: local.toFormat("yyyy-MM-dd"),
        localTime: local.toFormat("HH:mm"),
        occursAt: o.occursAt.toISOString(),
        state: displayState(o.state),
        outcome: (o.outcome as GuestOutcome | null) ?? null,
        snoozes: o.snoozes,
        maxSnoozes: o.wakeUp.maxSnoozes,
        retries: o.retries,
        maxRetries: o.wakeUp.retries,
        recurrence: recurrenceKindOf(o.wakeUp.rrule),
        callId: o.callId,
      };
    }),
    series: series.map(toSeries),
  };
}

export type WakeUpReportDay = {
  date: string;
  total: number;
  confirmed: number;
  snoozed: number;
  /** Answered, never confirmed, no front-desk call. */
  unconfirmed: number;
  missed: number;
  escalated: number;
};

/**
 * Per local day (site zone) for the last `days` days: confirmed, snoozed (occurrences the
 * guest snoozed at least once, whatever came after), unconfirmed (answered but never
 * confirmed, no front-desk call), missed (nobody answered, no front-desk call), escalated
 * (either of those two, and the front desk was called).
 */
export async function getWakeUpReport(db: Db, input: { days?: number } = {}, now: Date = new Date()): Promise<WakeUpReportDay[]> {
  const days = Math.min(Math.max(input.days ?? 14, 1), 92);
  const zone = await getSiteTimeZone(db);
  const first = DateTime.fromJSDate(now, { zone })
    .startOf("day")
    .minus({ days: days - 1 });
  const rows = await db.wakeUpOccurrence.findMany({
    where: { occursAt: { gte: first.toJSDate(), lte: now } },
    select: { occursAt: true, state: true, snoozes: true },
  });
  const byDay = new Map<string, WakeUpReportDay>();
  for (let i = 0; i < days; i++) {
    const date = first.plus({ days: i }).toFormat("yyyy-MM-dd");
    byDay.set(date, { date, total: 0, confirmed: 0, snoozed: 0, unconfirmed: 0, missed: 0, escalated: 0 });
  }
  for (const r of rows) {
    const day = byDay.get(DateTime.fromJSDate(r.occursAt, { zone }).toFormat("yyyy-MM-dd"));
    if (!day || r.state === "cancelled") continue;
    day.total++;
    if (r.snoozes > 0) day.snoozed++;
    if (r.state === "confirmed") day.confirmed++;
    else if (r.state === "unconfirmed") day.unconfirmed++;
    else if (r.state === "missed") day.missed++;
    else if (r.state === "escalated") day.escalated++;
  }
  return [...byDay.values()];
}

export type WakeUpAlert = {
  occurrenceId: string;
  wakeUpId: string;
  room: string;
  guestName: string;
  localTime: string;
  occursAt: string;
  /** The guest's local date of the wake-up: after a long outage it may not be today. */
  localDate: string;
  state: "unconfirmed" | "missed" | "escalated";
  /** Why: nobody answered, the guest answered and never confirmed, or it was never dialled (Spoolcast was down, or refused the call file). */
  outcome: "no-answer" | "answered-not-confirmed" | "not-called" | "not-placed";
  escalateTo: string | null;
};

/**
 * Wake-ups of the last 12 hours nobody confirmed (unconfirmed, missed, escalated) and no user
 * has acknowledged yet (lib/wakeups/acknowledge-alert.ts): the dashboard and wake-ups page
 * banner. A wake-up found missed when Spoolcast came back after a long outage was due earlier
 * than that: it counts from when its call was ended, so the desk still sees it.
 */
export async function listWakeUpAlerts(db: Db, now: Date = new Date()): Promise<WakeUpAlert[]> {
  const since = new Date(now.getTime() - 12 * 3_600_000);
  const endedMissed = await db.call.findMany({
    where: { kind: "wakeup", state: "missed", endedAt: { gte: since } },
    select: { id: true },
    take: 200,
  });
  const rows = await db.wakeUpOccurrence.findMany({
    where: {
      state: { in: ["unconfirmed", "missed", "escalated"] },
      alertAckAt: null,
      OR: [{ occursAt: { gte: since } }, ...(endedMissed.length > 0 ? [{ callId: { in: endedMissed.map((c) => c.id) } }] : [])],
    },
    include: { wakeUp: { select: { room: true, guestName: true, timeZone: true, escalateTo: true } } },
    orderBy: { occursAt: "desc" },
    take: 50,
  });
  return rows.map((r) => ({
    occurrenceId: r.id,
    wakeUpId: r.wakeUpId,
    room: r.wakeUp.room,
    guestName: r.wakeUp.guestName,
    localTime: DateTime.fromJSDate(r.occursAt, { zone: r.wakeUp.timeZone }).toFormat("HH:mm"),
    localDate: DateTime.fromJSDate(r.occursAt, { zone: r.wakeUp.timeZone }).toFormat("yyyy-MM-dd"),
    occursAt: r.occursAt.toISOString(),
    state: r.state as WakeUpAlert["state"],
    // Rows escalated before outcomes were recorded were all "nobody answered" then.
    outcome:
      r.outcome === "answered-not-confirmed" || r.state === "unconfirmed"
        ? "answered-not-confirmed"
        : r.outcome === "not-called" || r.outcome === "not-placed"
          ? r.outcome
          : "no-answer",
    escalateTo: r.wakeUp.escalateTo,
  }));
}
