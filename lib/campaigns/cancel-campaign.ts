/**
 * Cancel: final. Targets not yet called are marked cancelled, queued and spooled calls are
 * withdrawn; calls already dialling finish and are recorded, without retries.
 */
import type { Db } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { UserError } from "@/lib/errors";
import { campaignIdSchema, type CampaignIdInput } from "@/lib/campaigns/campaign.schema";
import { getCampaignOrThrow } from "@/lib/campaigns/campaign-data";
import { cancelCampaignCalls } from "@/lib/campaigns/campaign-scheduler";

export async function cancelCampaign(
  db: Db,
  input: CampaignIdInput,
  actor: AuditActor,
): Promise<{ id: string; state: "cancelled"; cancelled: number; dialling: number }> {
  const { id } = campaignIdSchema.parse(input);
  const c = await getCampaignOrThrow(db, id);
  const r = await db.campaign.updateMany({
    where: { id, state: { in: ["draft", "scheduled", "running", "paused"] } },
    data: { state: "cancelled" },
  });
  if (r.count !== 1) throw new UserError(`A ${c.state} campaign cannot be cancelled`, { field: "id" });
  await db.campaignTarget.updateMany({
    where: { campaignId: id, status: "pending" },
    data: { status: "cancelled", reason: `campaign cancelled by ${actor.name}` },
  });
  const calls = await cancelCampaignCalls(db, id, actor.name);
  await recordAudit(db, {
    actor,
    action: "campaign.cancel",
    targetType: "campaign",
    targetId: id,
    summary: `Cancelled campaign ${c.name}: ${calls.cancelled} queued calls withdrawn, ${calls.dialling} already dialling`,
  });
  return { id, state: "cancelled", ...calls };
}
