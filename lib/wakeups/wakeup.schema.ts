/**
 * What a wake-up booking may contain. Text that ends up in call files (destination, the
 * front-desk extension) is rejected, never cleaned: here control characters, and when the
 * booking is resolved the destination rule of the whole site (lib/destinations: an extension,
 * an endpoint or a phone number, lib/wakeups/wakeup-booking.ts). The
 * recurrence is checked by lib/wakeups/recurrence.ts (custom RRULEs strictly).
 */
import { z } from "zod";
import { recordId } from "@/lib/text/record-id";
import { isTimeZone } from "@/lib/contacts/contact.schema";
import { hasForbiddenChars } from "@/lib/text/plain-text";
import { wakeUpToleranceField } from "@/lib/settings/call-window-fields";

/** Room label shown to staff and spoken in the escalation: "101", "Suite 4B". */
export const ROOM = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,19}$/;
/** A destination as typed; its kind and canonical form are decided by lib/destinations. */
const destinationText = (label: string) =>
  z
    .string()
    .refine((v) => !hasForbiddenChars(v), `${label} must not contain control characters`)
    .trim()
    .max(200, `${label} is too long (at most 200 characters)`)
    .optional();

const dateField = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD");
const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const fields = {
  room: z
    .string()
    .refine((v) => !hasForbiddenChars(v), "Room must not contain control characters")
    .trim()
    .regex(ROOM, "Room must be 1-20 letters, digits, spaces, . _ or -, e.g. 101 or Suite 4B"),
  guestName: z
    .string()
    .refine((v) => !hasForbiddenChars(v), "Guest name must not contain control characters")
    .trim()
    .max(100, "Guest name is too long (at most 100 characters)")
    .default(""),
  /** Empty: the room, when the room is an extension. */
  destination: z.preprocess(emptyToUndefined, destinationText("Destination")),
  /** Empty: the site's default time zone. */
  timeZone: z.preprocess(
    emptyToUndefined,
    z.string().refine(isTimeZone, "Time zone must be an IANA name such as Europe/Paris").optional(),
  ),
  localTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Time must be HH:MM (24-hour), e.g. 06:30"),
  recurrence: z.enum(["once", "daily", "weekdays", "custom"]).default("once"),
  /** Only with recurrence "custom". */
  customRrule: z.preprocess(emptyToUndefined, z.string().max(300).optional()),
  /** Empty: the next time localTime comes round (today if it has not passed, else tomorrow). */
  startDate: z.preprocess(emptyToUndefined, dateField.optional()),
  /** Last day with a call (check-out), inclusive. */
  untilDate: z.preprocess(emptyToUndefined, dateField.optional()),
  snoozeMinutes: z.coerce
    .number()
    .int("Snooze must be whole minutes")
    .min(1, "Snooze must be 1-60 minutes")
    .max(60, "Snooze must be 1-60 minutes")
    .default(9),
  maxSnoozes: z.coerce.number().int().min(0, "Max snoozes must be 0-10").max(10, "Max snoozes must be 0-10").default(3),
  /** Extra attempts when nobody answers, before the front desk is alerted. */
  retries: z.coerce.number().int().min(0, "Retries must be 0-10").max(10, "Retries must be 0-10").default(2),
  /**
   * How late this wake-up may still ring (minutes past its time, e.g. after Spoolcast was
   * down); empty: the site's setting (lib/settings/call-windows.ts).
   */
  toleranceMinutes: z.preprocess(emptyToUndefined, wakeUpToleranceField.optional()),
  /** Front-desk extension or endpoint called when the guest never answers. */
  escalateTo: z.preprocess(emptyToUndefined, destinationText("Front-desk extension")),
};

export const createWakeUpSchema = z.object(fields).strict();
export type CreateWakeUpInput = z.input<typeof createWakeUpSchema>;
export type CreateWakeUp = z.output<typeof createWakeUpSchema>;

/** Edits replace the whole booking (the edit form sends every field). */
export const updateWakeUpSchema = z.object({ id: recordId(), ...fields }).strict();
export type UpdateWakeUpInput = z.input<typeof updateWakeUpSchema>;

/** Without occurrenceId the whole series is cancelled. */
export const cancelWakeUpSchema = z
  .object({ id: recordId(), occurrenceId: z.preprocess(emptyToUndefined, z.string().min(1).max(40).optional()) })
  .strict();
export type CancelWakeUpInput = z.input<typeof cancelWakeUpSchema>;

export const listWakeUpsSchema = z
  .object({
    /** Local dates (site zone) to list, inclusive; default today and tomorrow. */
    from: z.preprocess(emptyToUndefined, dateField.optional()),
    to: z.preprocess(emptyToUndefined, dateField.optional()),
  })
  .strict();
export type ListWakeUpsInput = z.input<typeof listWakeUpsSchema>;

/**
 * Occurrence states: pending → calling → confirmed | snoozed (called again) | retrying (answered
 * without confirming, called again) | unconfirmed (answered, never confirmed) | missed (nobody
 * answered) | escalated (the front desk was called; `outcome` says why) | cancelled.
 */
export const WAKEUP_STATES = [
  "pending",
  "calling",
  "confirmed",
  "snoozed",
  "retrying",
  "unconfirmed",
  "missed",
  "escalated",
  "cancelled",
] as const;
export type WakeUpOccurrenceState = (typeof WAKEUP_STATES)[number];
