/** Resume: the scheduler releases calls again (the withdrawn ones first). */
import type { Db } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { UserError } from "@/lib/errors";
import { campaignIdSchema, type CampaignIdInput } from "@/lib/campaigns/campaign.schema";
import { getCampaignOrThrow } from "@/lib/campaigns/campaign-data";

export async function resumeCampaign(
  db: Db,
  input: CampaignIdInput,
  actor: AuditActor,
): Promise<{ id: string; state: "scheduled" }> {
  const { id } = campaignIdSchema.parse(input);
  const c = await getCampaignOrThrow(db, id);
  // Back to scheduled: the next tick makes it running (now, or at a start time still ahead).
  const r = await db.campaign.updateMany({ where: { id, state: "paused" }, data: { state: "scheduled" } });
  if (r.count !== 1) throw new UserError(`A ${c.state} campaign cannot be resumed`, { field: "id" });
  await recordAudit(db, {
    actor,
    action: "campaign.resume",
    targetType: "campaign",
    targetId: id,
    summary: `Resumed campaign ${c.name}`,
  });
  return { id, state: "scheduled" };
}
