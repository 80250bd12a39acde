/**
 * A user acknowledges a front-desk alert (a wake-up nobody confirmed, or one never dialled
 * because Spoolcast was not running): it leaves the banner on the wake-ups page and the
 * dashboard, and the audit log says who took it in hand and when. The occurrence's own state
 * is not changed: it still says what happened to the guest.
 */
import { z } from "zod";
import { recordId } from "@/lib/text/record-id";
import type { Db } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { UserError } from "@/lib/errors";
import { parseInput } from "@/lib/wakeups/wakeup-booking";

/** Occurrence states that raise the alert (lib/wakeups/list-wakeups.ts listWakeUpAlerts). */
export const ALERT_STATES = ["unconfirmed", "missed", "escalated"] as const;

export const acknowledgeAlertSchema = z.object({ occurrenceId: recordId() }).strict();
export type AcknowledgeAlertInput = z.input<typeof acknowledgeAlertSchema>;

export async function acknowledgeWakeUpAlert(
  db: Db,
  input: AcknowledgeAlertInput,
  actor: AuditActor,
  now: Date = new Date(),
): Promise<{ occurrenceId: string; acknowledgedAt: string }> {
  const { occurrenceId } = parseInput(acknowledgeAlertSchema, input);
  const occ = await db.wakeUpOccurrence.findUnique({
    where: { id: occurrenceId },
    select: { state: true, alertAckAt: true, alertAckBy: true, wakeUp: { select: { id: true, room: true, localTime: true } } },
  });
  if (!occ) throw new UserError("This wake-up call no longer exists", { field: "occurrenceId" });
  if (!(ALERT_STATES as readonly string[]).includes(occ.state))
    throw new UserError("This wake-up call has no alert to acknowledge", { field: "occurrenceId" });
  if (occ.alertAckAt) throw new UserError(`Already acknowledged by ${occ.alertAckBy ?? "someone"}`, { field: "occurrenceId" });
  await db.$transaction(async (tx) => {
    // Conditional: two users pressing at once record one acknowledgement.
    const r = await tx.wakeUpOccurrence.updateMany({
      where: { id: occurrenceId, alertAckAt: null },
      data: { alertAckAt: now, alertAckBy: actor.name },
    });
    if (r.count !== 1) throw new UserError("Already acknowledged", { field: "occurrenceId" });
    await recordAudit(tx, {
      actor,
      action: "wakeup.alert-acknowledged",
      targetType: "wakeup",
      targetId: occ.wakeUp.id,
      summary: `Alert for room ${occ.wakeUp.room} (${occ.wakeUp.localTime} wake-up, ${occ.state}) acknowledged`,
    });
  });
  return { occurrenceId, acknowledgedAt: now.toISOString() };
}
