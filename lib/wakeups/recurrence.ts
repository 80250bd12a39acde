/**
 * When a wake-up rings: the UTC instants of a wake-up's occurrences from its local time,
 * time zone, start date, recurrence and until date.
 *
 * The recurrence picks local calendar dates (rrule on "floating" dates: a UTC Date whose
 * Y-M-D is the local date), and each date is combined with the local time in the guest's
 * zone by `localToInstant`, so 07:00 stays 07:00 on the wall clock across DST changes.
 *
 * DST rules (documented in the UI help too):
 * - A local time that does not exist (spring-forward gap, e.g. 02:30 on the night New York
 *   jumps from 02:00 to 03:00) rings after the gap by the same amount, i.e. the instant that
 *   is the same elapsed time after the last valid wall time: 02:30 → 03:30 for a one-hour gap.
 *   This is the instant the guest would have got had the clocks not changed.
 * - A local time that happens twice (fall-back, e.g. 01:30 in New York) rings once, at the
 *   first of the two instants (still in summer time). Never two calls.
 *
 * Recurrence is stored in WakeUp.rrule: null = once (on startDate), or an RRULE body without
 * DTSTART/UNTIL (those come from startDate/untilDate). Presets: daily = FREQ=DAILY, weekdays =
 * FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR. Custom rules are validated strictly (`parseCustomRrule`).
 */
import { DateTime, IANAZone } from "luxon";
import * as rruleModule from "rrule";

// rrule ships CommonJS for Node (no named exports there) and ESM for bundlers: take either.
const RRule: typeof rruleModule.RRule =
  (rruleModule as { RRule?: typeof rruleModule.RRule }).RRule ??
  (Reflect.get(rruleModule, "default") as { RRule: typeof rruleModule.RRule }).RRule;

export const RRULE_PRESETS = {
  daily: "FREQ=DAILY",
  weekdays: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
} as const;

export type RecurrenceKind = "once" | "daily" | "weekdays" | "custom";

export type RecurrenceSpec = {
  /** "HH:MM", 24-hour local time. */
  localTime: string;
  /** IANA zone, e.g. Europe/Berlin. */
  timeZone: string;
  /** "YYYY-MM-DD": first local date (the only one for a one-off). */
  startDate: string;
  /** null = once. */
  rrule: string | null;
  /** "YYYY-MM-DD": last local date included (check-out), or null for no end. */
  untilDate?: string | null;
};

/** A recurrence the caller can fix; `field` names the input. */
export class RecurrenceError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "RecurrenceError";
  }
}

const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export function parseLocalTime(value: string): { hour: number; minute: number } {
  const m = LOCAL_TIME.exec(value);
  if (!m) throw new RecurrenceError("localTime", "must be a 24-hour time HH:MM, e.g. 07:30");
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

export function parseLocalDate(value: string, field: string): { year: number; month: number; day: number } {
  const m = LOCAL_DATE.exec(value);
  const parts = m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : null;
  if (!parts || !DateTime.fromObject(parts, { zone: "UTC" }).isValid)
    throw new RecurrenceError(field, "must be a date YYYY-MM-DD");
  return parts;
}

/** RRULE parts a custom rule may use; everything else (BYHOUR, BYSETPOS, DTSTART…) is refused. */
const ALLOWED_PARTS = new Set(["FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "COUNT", "WKST"]);
const ALLOWED_FREQ = new Set(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]);
const DAY = /^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$/;

/**
 * Validates a custom RRULE body ("FREQ=WEEKLY;BYDAY=MO,WE"), optionally prefixed "RRULE:",
 * and returns it normalised (upper case, no prefix). At most one call a day: FREQ below DAILY
 * and BYHOUR/BYMINUTE/BYSECOND are refused; the time comes from localTime, the end from the
 * until date.
 */
export function parseCustomRrule(input: string): string {
  const field = "rrule";
  let text = input.trim().toUpperCase();
  if (text.startsWith("RRULE:")) text = text.slice(6);
  if (!text) throw new RecurrenceError(field, "is empty: write a rule such as FREQ=WEEKLY;BYDAY=MO,WE,FR");
  if (/[\r\n]/.test(text)) throw new RecurrenceError(field, "must be a single RRULE line");
  const seen = new Set<string>();
  for (const part of text.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) throw new RecurrenceError(field, `"${part}" is not NAME=VALUE`);
    const name = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (name === "UNTIL" || name === "DTSTART")
      throw new RecurrenceError(field, `${name} is not allowed: use the start and until date fields`);
    if (!ALLOWED_PARTS.has(name))
      throw new RecurrenceError(field, `${name} is not supported (allowed: ${[...ALLOWED_PARTS].join(", ")})`);
    if (seen.has(name)) throw new RecurrenceError(field, `${name} appears twice`);
    seen.add(name);
    if (!value) throw new RecurrenceError(field, `${name} has no value`);
    if (name === "FREQ" && !ALLOWED_FREQ.has(value)) {
      throw new RecurrenceError(field, `FREQ=${value} is not allowed: at most one call a day (DAILY, WEEKLY, MONTHLY or YEARLY)`);
    }
    if ((name === "INTERVAL" || name === "COUNT") && !/^[1-9]\d{0,3}$/.test(value))
      throw new RecurrenceError(field, `${name} must be a whole number 1-9999`);
    if (name === "BYDAY" && !value.split(",").every((d) => DAY.test(d)))
      throw new RecurrenceError(field, `BYDAY must list days such as MO,TU,WE`);
    if (
      name === "BYMONTHDAY" &&
      !value.split(",").every((d) => /^-?\d{1,2}$/.test(d) && Math.abs(Number(d)) >= 1 && Math.abs(Number(d)) <= 31)
    ) {
      throw new RecurrenceError(field, "BYMONTHDAY must list days 1-31 (or -1..-31)");
    }
    if (name === "BYMONTH" && !value.split(",").every((d) => /^\d{1,2}$/.test(d) && Number(d) >= 1 && Number(d) <= 12)) {
      throw new RecurrenceError(field, "BYMONTH must list months 1-12");
    }
    if (name === "WKST" && !/^(MO|TU|WE|TH|FR|SA|SU)$/.test(value))
      throw new RecurrenceError(field, "WKST must be a day such as MO");
  }
  if (!seen.has("FREQ")) throw new RecurrenceError(field, "needs FREQ (DAILY, WEEKLY, MONTHLY or YEARLY)");
  try {
    RRule.parseString(text);
  } catch (error) {
    throw new RecurrenceError(field, `is not a valid RRULE: ${(error as Error).message}`);
  }
  return text;
}

/** The stored rrule for a preset (custom rules validated). */
export function rruleFor(kind: RecurrenceKind, custom?: string | null): string | null {
  if (kind === "once") return null;
  if (kind === "custom") return parseCustomRrule(custom ?? "");
  return RRULE_PRESETS[kind];
}

/** The preset a stored rrule corresponds to (for the edit form and the list). */
export function recurrenceKindOf(rrule: string | null): RecurrenceKind {
  if (!rrule) return "once";
  if (rrule === RRULE_PRESETS.daily) return "daily";
  if (rrule === RRULE_PRESETS.weekdays) return "weekdays";
  return "custom";
}

/**
 * The UTC instant of a local wall time in `zone` (see the DST rules in the header): the
 * earliest instant whose local time in the zone is exactly the wall time; if there is none
 * (a gap), the wall time read with the offset in force just before the gap.
 */
export function localToInstant(
  date: { year: number; month: number; day: number },
  time: { hour: number; minute: number },
  zone: string,
): Date {
  const z = IANAZone.create(zone);
  if (!z.isValid) throw new RecurrenceError("timeZone", `"${zone}" is not a known time zone`);
  const wallAsUtc = Date.UTC(date.year, date.month - 1, date.day, time.hour, time.minute);
  // The instant is wallAsUtc minus the offset (up to ±14 h), so sample offsets up to 18 h either
  // side: that sees every offset in force around the wall time (no zone changes twice in 36 h).
  const offsets = new Set([-18, -12, -6, 0, 6, 12, 18].map((h) => z.offset(wallAsUtc + h * 3_600_000)));
  const valid = [...offsets]
    .map((o) => wallAsUtc - o * 60_000)
    .filter((ts) => wallAsUtc - z.offset(ts) * 60_000 === ts)
    .sort((a, b) => a - b);
  if (valid.length > 0) return new Date(valid[0]!);
  // A gap: clocks moved forward, so the offset in force before it is the smaller one.
  return new Date(wallAsUtc - Math.min(...offsets) * 60_000);
}

/** Local dates (floating UTC midnight) of the recurrence between two local dates, inclusive. */
function localDates(spec: RecurrenceSpec, fromDate: Date, toDate: Date): Date[] {
  const start = parseLocalDate(spec.startDate, "startDate");
  const startUtc = new Date(Date.UTC(start.year, start.month - 1, start.day));
  const until = spec.untilDate ? parseLocalDate(spec.untilDate, "untilDate") : null;
  const untilUtc = until ? new Date(Date.UTC(until.year, until.month - 1, until.day)) : null;
  if (untilUtc && untilUtc < startUtc) throw new RecurrenceError("untilDate", "must not be before the start date");
  const lo = fromDate > startUtc ? fromDate : startUtc;
  const hi = untilUtc && untilUtc < toDate ? untilUtc : toDate;
  if (lo > hi) return [];
  if (!spec.rrule) return startUtc >= lo && startUtc <= hi ? [startUtc] : [];
  const options = RRule.parseString(spec.rrule);
  const rule = new RRule({ ...options, dtstart: startUtc, until: untilUtc ?? undefined });
  return rule.between(lo, hi, true);
}

/**
 * Occurrence instants in [from, to), ascending. The local-date window is widened by a day
 * each side because a zone's local date differs from the UTC date near midnight.
 */
export function occurrencesBetween(spec: RecurrenceSpec, from: Date, to: Date): Date[] {
  if (!isValidTimeZone(spec.timeZone)) throw new RecurrenceError("timeZone", `"${spec.timeZone}" is not a known time zone`);
  const time = parseLocalTime(spec.localTime);
  const dayMs = 86_400_000;
  const fromLocal = DateTime.fromJSDate(new Date(from.getTime() - dayMs), { zone: spec.timeZone });
  const toLocal = DateTime.fromJSDate(new Date(to.getTime() + dayMs), { zone: spec.timeZone });
  const fromDate = new Date(Date.UTC(fromLocal.year, fromLocal.month - 1, fromLocal.day));
  const toDate = new Date(Date.UTC(toLocal.year, toLocal.month - 1, toLocal.day));
  const out: number[] = [];
  for (const d of localDates(spec, fromDate, toDate)) {
    const ts = localToInstant(
      { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() },
      time,
      spec.timeZone,
    ).getTime();
    if (ts >= from.getTime() && ts < to.getTime()) out.push(ts);
  }
  // A gap shift can never make two dates land on one instant, but dedupe defensively: one call per instant.
  return [...new Set(out)].sort((a, b) => a - b).map((ts) => new Date(ts));
}

/** The local date "YYYY-MM-DD" of an instant in a zone. */
export function localDateOf(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat("yyyy-MM-dd");
}

/** The local wall time "HH:MM" of an instant in a zone. */
export function localTimeOf(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat("HH:mm");
}
