/**
 * Edits a booking. Occurrences whose call has not started are cancelled and removed, then
 * the new schedule is materialised, so a changed time never rings at the old one too.
 */
import type { Db } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { UserError } from "@/lib/errors";
import { describeSchedule, parseInput, resolveBooking } from "@/lib/wakeups/wakeup-booking";
import { updateWakeUpSchema, type UpdateWakeUpInput } from "@/lib/wakeups/wakeup.schema";
import { scheduleWakeUpNow } from "@/lib/wakeups/wakeup-scheduler";
import { getWakeUp, type WakeUpSeries } from "@/lib/wakeups/list-wakeups";
import { OPEN_OCCURRENCE_STATES, cancelOccurrenceCalls } from "@/lib/wakeups/cancel-occurrence-calls";

export async function updateWakeUp(
  db: Db,
  input: UpdateWakeUpInput,
  actor: AuditActor,
  now: Date = new Date(),
): Promise<WakeUpSeries> {
  const { id, ...data } = parseInput(updateWakeUpSchema, input);
  const before = await db.wakeUp.findUnique({ where: { id } });
  if (!before) throw new UserError("This wake-up no longer exists", { field: "id" });
  if (before.state !== "active")
    throw new UserError(`This wake-up ${before.state === "ended" ? "has ended" : "was cancelled"}; book a new one`, {
      field: "id",
    });
  const fields = await resolveBooking(db, data, now);
  const open = await db.wakeUpOccurrence.findMany({
    where: { wakeUpId: id, state: { in: OPEN_OCCURRENCE_STATES }, occursAt: { gte: new Date(now.getTime() - 5 * 60_000) } },
    select: { id: true, callId: true },
  });
  const results = await cancelOccurrenceCalls(db, open, actor.name, async (occurrenceId) => {
    await db.wakeUpOccurrence.delete({ where: { id: occurrenceId } });
  });
  await db.$transaction(async (tx) => {
    await tx.wakeUp.update({ where: { id }, data: fields });
    const kept = results.filter((r) => !r.cancelled).length;
    await recordAudit(tx, {
      actor,
      action: "wakeup.update",
      targetType: "wakeup",
      targetId: id,
      summary:
        `Room ${fields.room}: ${describeSchedule(before)} → ${describeSchedule(fields)}` +
        (kept ? `; ${kept} call(s) already ringing were left to finish` : ""),
    });
  });
  await scheduleWakeUpNow(db, id, now);
  return (await getWakeUp(db, id))!;
}
