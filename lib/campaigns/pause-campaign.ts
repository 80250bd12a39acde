/**
 * Pause: no new calls are released and the campaign's calls Asterisk has not started
 * dialling are cancelled (their files unlinked); the scheduler puts those targets back in
 * the queue without counting an attempt, so resume calls them again. Calls already ringing
 * finish normally.
 */
import type { Db } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { UserError } from "@/lib/errors";
import { campaignIdSchema, type CampaignIdInput } from "@/lib/campaigns/campaign.schema";
import { getCampaignOrThrow } from "@/lib/campaigns/campaign-data";
import { cancelCampaignCalls } from "@/lib/campaigns/campaign-scheduler";

export async function pauseCampaign(
  db: Db,
  input: CampaignIdInput,
  actor: AuditActor,
): Promise<{ id: string; state: "paused"; cancelled: number; dialling: number }> {
  const { id } = campaignIdSchema.parse(input);
  const c = await getCampaignOrThrow(db, id);
  const r = await db.campaign.updateMany({ where: { id, state: { in: ["scheduled", "running"] } }, data: { state: "paused" } });
  if (r.count !== 1) throw new UserError(`A ${c.state} campaign cannot be paused`, { field: "id" });
  const calls = await cancelCampaignCalls(db, id, actor.name);
  await recordAudit(db, {
    actor,
    action: "campaign.pause",
    targetType: "campaign",
    targetId: id,
    summary: `Paused campaign ${c.name}: ${calls.cancelled} queued calls withdrawn, ${calls.dialling} already dialling`,
  });
  return { id, state: "paused", ...calls };
}
