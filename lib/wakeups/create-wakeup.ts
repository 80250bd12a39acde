/** Books a wake-up (one-off or recurring) and schedules its first calls at once. */
import type { Db } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { describeSchedule, parseInput, resolveBooking } from "@/lib/wakeups/wakeup-booking";
import { createWakeUpSchema, type CreateWakeUpInput } from "@/lib/wakeups/wakeup.schema";
import { scheduleWakeUpNow } from "@/lib/wakeups/wakeup-scheduler";
import { getWakeUp, type WakeUpSeries } from "@/lib/wakeups/list-wakeups";

export async function createWakeUp(
  db: Db,
  input: CreateWakeUpInput,
  actor: AuditActor,
  now: Date = new Date(),
): Promise<WakeUpSeries> {
  const data = parseInput(createWakeUpSchema, input);
  const fields = await resolveBooking(db, data, now);
  const id = await db.$transaction(async (tx) => {
    const row = await tx.wakeUp.create({
      data: { ...fields, createdById: actor.type === "user" ? actor.id : null },
      select: { id: true },
    });
    await recordAudit(tx, {
      actor,
      action: "wakeup.create",
      targetType: "wakeup",
      targetId: row.id,
      summary: `Room ${fields.room}${fields.guestName ? ` (${fields.guestName})` : ""}: ${describeSchedule(fields)} → ${fields.destination}`,
    });
    return row.id;
  });
  await scheduleWakeUpNow(db, id, now);
  return (await getWakeUp(db, id))!;
}
