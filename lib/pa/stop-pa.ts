/**
 * "Stop all": cancels every call of a PA that Asterisk has not started dialling (queued rows,
 * and spooled files it has not picked up, which are unlinked). Calls already ringing or
 * connected are left to finish: Asterisk offers no safe way to pull a ringing call file.
 */
import type { Db } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { cancelBroadcast, type BroadcastStopResult, type ServiceOptions } from "@/lib/engine/calls";
import { UserError } from "@/lib/errors";
import { broadcastIdSchema, parseOrThrow, type BroadcastIdInput } from "@/lib/pa/pa.schema";

export async function stopPa(
  db: Db,
  input: BroadcastIdInput,
  actor: AuditActor,
  opts: Omit<ServiceOptions, "db"> & { ip?: string | null } = {},
): Promise<BroadcastStopResult> {
  const { broadcastId } = parseOrThrow(broadcastIdSchema, input);
  const b = await db.paBroadcast.findUnique({ where: { id: broadcastId }, select: { id: true } });
  if (!b) throw new UserError("No such PA.", { field: "broadcastId" });
  const result = await cancelBroadcast(broadcastId, { name: actor.name }, { ...opts, db });
  await recordAudit(db, {
    actor,
    action: "pa.stop",
    targetType: "pa",
    targetId: broadcastId,
    summary: `stopped: ${result.cancelled} call${result.cancelled === 1 ? "" : "s"} cancelled, ${result.alreadyDialling} already ringing or connected, ${result.finished} finished`,
    ip: opts.ip ?? null,
  });
  return result;
}
