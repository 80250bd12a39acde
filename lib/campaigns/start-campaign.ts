/**
 * Starts a draft: plans its targets (groups + contacts, deduplicated, DNC and missing numbers
 * skipped with the reason) and moves it to scheduled; the scheduler makes it running at its
 * start time and releases calls within the window and pacing.
 */
import type { Db } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { assertDeliveredToTarget } from "@/lib/audio/delivery-check";
import { UserError } from "@/lib/errors";
import { campaignIdSchema, type CampaignIdInput } from "@/lib/campaigns/campaign.schema";
import { getCampaignOrThrow } from "@/lib/campaigns/campaign-data";
import { planTargets } from "@/lib/campaigns/plan-targets";

export type StartCampaignResult = { id: string; state: string; targets: number; skipped: number };

export async function startCampaign(
  db: Db,
  input: CampaignIdInput,
  actor: AuditActor,
  now = new Date(),
): Promise<StartCampaignResult> {
  const { id } = campaignIdSchema.parse(input);
  const c = await getCampaignOrThrow(db, id);
  if (c.state !== "draft") throw new UserError(`The campaign is already ${c.state}`, { field: "id" });
  if (!c.audioId) throw new UserError("Choose the message callees hear", { field: "audioId" });
  // No silent campaign: the message must be on the host the calls go to.
  await assertDeliveredToTarget(db, { audioId: c.audioId, hostId: c.hostId, field: "audioId" });
  if (c.endAt && c.endAt <= now) throw new UserError("The end time has already passed", { field: "endAt" });
  const planned = await planTargets(
    db,
    c.groups.map((g) => g.groupId),
    c.contacts.map((x) => x.contactId),
  );
  if (planned.length === 0) throw new UserError("The chosen groups and contacts contain nobody to call", { field: "groupIds" });
  const skipped = planned.filter((t) => t.status === "skipped").length;
  await db.$transaction(
    async (tx) => {
      const r = await tx.campaign.updateMany({
        where: { id, state: "draft" },
        data: { state: "scheduled", startAt: c.startAt ?? now },
      });
      if (r.count !== 1) throw new UserError("The campaign was started by someone else", { field: "id" });
      for (let i = 0; i < planned.length; i += 1000) {
        await tx.campaignTarget.createMany({ data: planned.slice(i, i + 1000).map((t) => ({ ...t, campaignId: id })) });
      }
      await recordAudit(tx, {
        actor,
        action: "campaign.start",
        targetType: "campaign",
        targetId: id,
        summary: `Started campaign ${c.name}: ${planned.length - skipped} to call, ${skipped} skipped`,
      });
    },
    { timeout: 120_000 },
  );
  return { id, state: "scheduled", targets: planned.length - skipped, skipped };
}
