/**
 * The time zone a user chose in Your account for reading times (null: the browser's own). Only
 * the display depends on it; instants are stored and compared in UTC everywhere else.
 */
import { z } from "zod";
import type { MutationContext } from "@/lib/auth/users";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Db } from "@/lib/db";
import { UserError } from "@/lib/errors";
import { isKnownTimeZone } from "@/lib/time/format-instant";

/** "" means "follow the browser"; anything else must be a zone Intl knows, refused otherwise. */
export const setTimeZoneSchema = z.object({
  timeZone: z
    .string()
    .max(64, "Use at most 64 characters.")
    .refine((v) => v === "" || isKnownTimeZone(v), { message: "Choose a time zone from the list, e.g. America/New_York." }),
});

export async function getUserTimeZone(db: Db, userId: string): Promise<string | null> {
  const row = await db.user.findUnique({ where: { id: userId }, select: { timeZone: true } });
  // A zone stored by a runtime that knew it and read by one that does not falls back to the browser's.
  return row?.timeZone && isKnownTimeZone(row.timeZone) ? row.timeZone : null;
}

export async function setUserTimeZone(
  db: Db,
  input: { userId: string; timeZone: string },
  ctx: MutationContext,
): Promise<{ timeZone: string | null }> {
  const timeZone = input.timeZone === "" ? null : input.timeZone;
  if (timeZone !== null && !isKnownTimeZone(timeZone))
    throw new UserError(`Unknown time zone "${timeZone}".`, { field: "timeZone" });
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { id: true, name: true, timeZone: true } });
    if (!user) throw new UserError("This user no longer exists.");
    if (user.timeZone === timeZone) return { timeZone };
    await tx.user.update({ where: { id: user.id }, data: { timeZone } });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: "user.time-zone.change",
      targetType: "user",
      targetId: user.id,
      summary: `Time zone of ${user.name}: ${user.timeZone ?? "the browser's"} → ${timeZone ?? "the browser's"}`,
      ip: ctx.ip,
    });
    return { timeZone };
  });
}
