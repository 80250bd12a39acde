/** Cancels one occurrence of a wake-up, or the whole series (every call not yet ringing). */
import type { Db } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { UserError } from "@/lib/errors";
import { parseInput } from "@/lib/wakeups/wakeup-booking";
import { cancelWakeUpSchema, type CancelWakeUpInput } from "@/lib/wakeups/wakeup.schema";
import { OPEN_OCCURRENCE_STATES, cancelOccurrenceCalls } from "@/lib/wakeups/cancel-occurrence-calls";

export type CancelWakeUpResult = { wakeUpId: string; scope: "occurrence" | "series"; cancelled: number; stillRinging: number };

export async function cancelWakeUp(db: Db, input: CancelWakeUpInput, actor: AuditActor): Promise<CancelWakeUpResult> {
  const { id, occurrenceId } = parseInput(cancelWakeUpSchema, input);
  const w = await db.wakeUp.findUnique({ where: { id }, select: { id: true, room: true, state: true, localTime: true } });
  if (!w) throw new UserError("This wake-up no longer exists", { field: "id" });
  const markCancelled = async (oid: string) => {
    await db.wakeUpOccurrence.update({ where: { id: oid }, data: { state: "cancelled" } });
  };
  if (occurrenceId) {
    const occ = await db.wakeUpOccurrence.findFirst({
      where: { id: occurrenceId, wakeUpId: id },
      select: { id: true, callId: true, state: true, occursAt: true },
    });
    if (!occ) throw new UserError("This wake-up call no longer exists", { field: "occurrenceId" });
    if (!OPEN_OCCURRENCE_STATES.includes(occ.state) && occ.state !== "claimed") {
      throw new UserError(
        occ.state === "calling"
          ? "This wake-up call is ringing now and cannot be cancelled"
          : `This wake-up call is already ${occ.state}`,
        { field: "occurrenceId" },
      );
    }
    const [r] = await cancelOccurrenceCalls(db, [occ], actor.name, markCancelled);
    if (!r!.cancelled)
      throw new UserError("Asterisk is already dialling this wake-up call; it cannot be cancelled", { field: "occurrenceId" });
    await recordAudit(db, {
      actor,
      action: "wakeup.cancel",
      targetType: "wakeup",
      targetId: id,
      summary: `Room ${w.room}: cancelled the call at ${occ.occursAt.toISOString()}`,
    });
    return { wakeUpId: id, scope: "occurrence", cancelled: 1, stillRinging: 0 };
  }
  if (w.state !== "active")
    throw new UserError(w.state === "ended" ? "This wake-up has already ended" : "This wake-up is already cancelled", {
      field: "id",
    });
  // Mark the series first so the scheduler stops materialising and snoozing it.
  await db.wakeUp.update({ where: { id }, data: { state: "cancelled" } });
  const open = await db.wakeUpOccurrence.findMany({
    where: { wakeUpId: id, state: { in: [...OPEN_OCCURRENCE_STATES, "claimed"] } },
    select: { id: true, callId: true },
  });
  const results = await cancelOccurrenceCalls(db, open, actor.name, markCancelled);
  const cancelled = results.filter((r) => r.cancelled).length;
  const stillRinging = results.length - cancelled;
  await recordAudit(db, {
    actor,
    action: "wakeup.cancel",
    targetType: "wakeup",
    targetId: id,
    summary: `Room ${w.room}: cancelled the ${w.localTime} series (${cancelled} call(s) cancelled${stillRinging ? `, ${stillRinging} already ringing` : ""})`,
  });
  return { wakeUpId: id, scope: "series", cancelled, stillRinging };
}
