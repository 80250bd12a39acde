/**
 * Shared by create and update: turns validated form input into the WakeUp row's fields
 * (destination defaulted from the room, zone from the site default, start date from the
 * next time the local time comes round, recurrence checked strictly).
 */
import { DateTime } from "luxon";
import type { Db } from "@/lib/db";
import { UserError } from "@/lib/errors";
import { RecurrenceError, occurrencesBetween, rruleFor } from "@/lib/wakeups/recurrence";
import { getSiteTimeZone } from "@/lib/wakeups/site-time-zone";
import { parseDestination, type DestinationRules } from "@/lib/destinations/destination";
import { getDestinationRules } from "@/lib/destinations/destination-rules";
import type { CreateWakeUp } from "@/lib/wakeups/wakeup.schema";

export type WakeUpFields = {
  room: string;
  guestName: string;
  destination: string;
  timeZone: string;
  localTime: string;
  rrule: string | null;
  startDate: string;
  untilDate: string | null;
  snoozeMinutes: number;
  maxSnoozes: number;
  retries: number;
  escalateTo: string | null;
  /** Null: the site's wake-up tolerance. */
  toleranceMinutes: number | null;
};

/** A typed destination in canonical form (lib/destinations), or a UserError naming `field`. */
function canonical(value: string, rules: DestinationRules, field: string, label: string): string {
  const r = parseDestination(value, rules);
  if (!r.ok) throw new UserError(`${label}: ${r.error}`, { field });
  return r.value;
}

/** The room itself when it is an extension on this site ("101"), else null ("Suite 4B"). */
function roomExtension(room: string, rules: DestinationRules): string | null {
  const r = parseDestination(room, rules);
  return r.ok && r.kind === "extension" ? r.value : null;
}

export async function resolveBooking(db: Db, input: CreateWakeUp, now: Date): Promise<WakeUpFields> {
  const rules = await getDestinationRules(db);
  const destination = input.destination
    ? canonical(input.destination, rules, "destination", "Destination")
    : roomExtension(input.room, rules);
  if (!destination)
    throw new UserError("Enter the extension to call: the room is not an extension number", { field: "destination" });
  const escalateTo = input.escalateTo ? canonical(input.escalateTo, rules, "escalateTo", "Front-desk extension") : null;
  const timeZone = input.timeZone ?? (await getSiteTimeZone(db));
  if (input.recurrence !== "custom" && input.customRrule) {
    throw new UserError("A custom rule needs the recurrence “custom”", { field: "customRrule" });
  }
  try {
    const rrule = rruleFor(input.recurrence, input.customRrule);
    const local = DateTime.fromJSDate(now, { zone: timeZone });
    // The current minute still counts as today: booking 07:00 at 07:00:20 rings now.
    const startDate =
      input.startDate ?? (input.localTime >= local.toFormat("HH:mm") ? local : local.plus({ days: 1 })).toFormat("yyyy-MM-dd");
    const untilDate = input.untilDate ?? null;
    const spec = { localTime: input.localTime, timeZone, startDate, rrule, untilDate };
    // Refuses a rule that never rings (e.g. BYMONTHDAY=31;BYMONTH=2) before it is stored.
    if (occurrencesBetween(spec, new Date(now.getTime() - 86_400_000), new Date(now.getTime() + 400 * 86_400_000)).length === 0) {
      throw new UserError(
        rrule
          ? "This recurrence never rings between the start and until dates"
          : "This wake-up is in the past: choose a later time or date",
        { field: rrule ? (input.recurrence === "custom" ? "customRrule" : "untilDate") : "localTime" },
      );
    }
    return {
      room: input.room,
      guestName: input.guestName,
      destination,
      timeZone,
      localTime: input.localTime,
      rrule,
      startDate,
      untilDate,
      snoozeMinutes: input.snoozeMinutes,
      maxSnoozes: input.maxSnoozes,
      retries: input.retries,
      escalateTo,
      toleranceMinutes: input.toleranceMinutes ?? null,
    };
  } catch (error) {
    if (error instanceof RecurrenceError) {
      throw new UserError(`${labels[error.field] ?? error.field}: ${error.message}`, {
        field: error.field === "rrule" ? "customRrule" : error.field,
      });
    }
    throw error;
  }
}

const labels: Record<string, string> = {
  rrule: "Custom rule",
  localTime: "Time",
  timeZone: "Time zone",
  startDate: "Start date",
  untilDate: "Until date",
};

/** Parses with a zod schema, throwing UserError naming the first bad field. */
export function parseInput<T>(
  schema: {
    safeParse: (
      v: unknown,
    ) => { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  value: unknown,
): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.map(String).join(".");
  throw new UserError(
    /^[a-z]|^Invalid|^Too|^Unrecognized/.test(issue.message) ? `${field || "input"}: ${issue.message}` : issue.message,
    { field },
  );
}

export function describeSchedule(f: Pick<WakeUpFields, "localTime" | "timeZone" | "rrule" | "startDate" | "untilDate">): string {
  const rec = f.rrule ?? "once";
  return `${f.localTime} ${f.timeZone}, ${rec}, from ${f.startDate}${f.untilDate ? ` until ${f.untilDate}` : ""}`;
}
