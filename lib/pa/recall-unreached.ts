/**
 * "Re-call unreached": a follow-up PA (parentId = the original) with the same message and
 * options, to every recipient whose call has ended without reaching them: no answer, busy,
 * failed, lost, cancelled, answered but the message not played or its playback not confirmed,
 * and, when acknowledgement was required, answered without it (lib/calls isUnreached).
 * Calls still in progress are not re-called (they may yet be reached).
 */
import type { Db } from "@/lib/db";
import { FINAL_STATES, isUnreached } from "@/lib/calls/call-state-machine";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { assertDeliveredToTarget } from "@/lib/audio/delivery-check";
import { UserError } from "@/lib/errors";
import { enqueuePaCalls } from "@/lib/pa/launch-pa";
import { broadcastIdSchema, parseOrThrow, type BroadcastIdInput } from "@/lib/pa/pa.schema";
import type { PaRecipient } from "@/lib/pa/recipients";

export async function recallUnreached(
  db: Db,
  input: BroadcastIdInput,
  actor: AuditActor,
  opts: { ip?: string | null } = {},
): Promise<{ broadcastId: string; recipients: number }> {
  const { broadcastId } = parseOrThrow(broadcastIdSchema, input);
  const parent = await db.paBroadcast.findUnique({ where: { id: broadcastId } });
  if (!parent) throw new UserError("No such PA.", { field: "broadcastId" });
  const states = FINAL_STATES.filter((s) => isUnreached(s, parent.requireAck));
  const calls = await db.call.findMany({
    where: { broadcastId, state: { in: states } },
    select: { destination: true, displayName: true, contactId: true },
    orderBy: [{ displayName: "asc" }, { id: "asc" }],
  });
  const seen = new Set<string>();
  const recipients: PaRecipient[] = [];
  for (const c of calls) {
    if (seen.has(c.destination)) continue;
    seen.add(c.destination);
    recipients.push({ contactId: c.contactId, name: c.displayName, destination: c.destination });
  }
  if (recipients.length === 0)
    throw new UserError("Nobody to re-call: every finished call reached its recipient.", { field: "broadcastId" });
  // No silent PA: the message may have left the host since the original (host changed, sync failed).
  await assertDeliveredToTarget(db, { audioId: parent.audioId, field: "broadcastId" });
  const createdById = actor.type === "user" ? actor.id : null;
  const follow = await db.paBroadcast.create({
    data: {
      templateId: parent.templateId,
      audioId: parent.audioId,
      requireAck: parent.requireAck,
      repeat: parent.repeat,
      isTest: parent.isTest,
      parentId: parent.id,
      // Same (spoken) message as the original, so the same explanation.
      spokenNote: parent.spokenNote,
      createdById,
      createdBy: actor.name.slice(0, 200),
    },
    select: { id: true },
  });
  try {
    await enqueuePaCalls(
      db,
      follow.id,
      recipients,
      { audioId: parent.audioId, requireAck: parent.requireAck, repeat: parent.repeat },
      createdById,
    );
  } catch (e) {
    await db.paBroadcast.delete({ where: { id: follow.id } });
    throw e;
  }
  await recordAudit(db, {
    actor,
    action: "pa.recall",
    targetType: "pa",
    targetId: follow.id,
    summary: `re-call of PA ${parent.id}: ${recipients.length} unreached phone${recipients.length === 1 ? "" : "s"}`,
    ip: opts.ip ?? null,
  });
  return { broadcastId: follow.id, recipients: recipients.length };
}
