/**
 * The fields of the late-call settings (lib/settings/call-windows.ts), on their own so a
 * booking's schema (lib/wakeups/wakeup.schema.ts) uses the same rule and message without
 * importing the database side.
 */
import { z } from "zod";

export const WAKEUP_TOLERANCE_RANGE = { min: 1, max: 120 } as const;
export const PA_VALID_RANGE = { min: 1, max: 60 } as const;

/** A whole number of minutes in range, with the message naming what it is for. */
export function minutesField(what: string, range: { min: number; max: number }) {
  const message = `${what}: a whole number of minutes from ${range.min} to ${range.max}`;
  return z.coerce.number({ error: message }).refine((v) => Number.isInteger(v) && v >= range.min && v <= range.max, message);
}

/** The site's wake-up tolerance, and a booking's own (WakeUp.toleranceMinutes). */
export const wakeUpToleranceField = minutesField("Wake-up tolerance", WAKEUP_TOLERANCE_RANGE);

export const callWindowSettingsSchema = z.object({
  wakeupToleranceMinutes: wakeUpToleranceField,
  paValidMinutes: minutesField("PA validity", PA_VALID_RANGE),
});
export type CallWindowSettings = z.output<typeof callWindowSettingsSchema>;
