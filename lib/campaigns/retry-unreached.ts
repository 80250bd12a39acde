/**
 * "Retry unreached": a new draft campaign (parentId = this one) with the same settings whose
 * contacts are the targets of this campaign that were called but not reached. Skipped (DNC,
 * no number) and cancelled targets are not included.
 */
import type { Db } from "@/lib/db";
import type { AuditActor } from "@/lib/audit/record-audit";
import { UserError } from "@/lib/errors";
import { campaignIdSchema, splitList, RETRY_OUTCOMES, type CampaignIdInput } from "@/lib/campaigns/campaign.schema";
import { createCampaign } from "@/lib/campaigns/create-campaign";

export async function retryUnreached(
  db: Db,
  input: CampaignIdInput,
  actor: AuditActor,
): Promise<{ id: string; contacts: number }> {
  const { id } = campaignIdSchema.parse(input);
  const c = await db.campaign.findUnique({ where: { id } });
  if (!c) throw new UserError("No such campaign", { field: "id" });
  if (c.state !== "completed" && c.state !== "cancelled")
    throw new UserError("Wait until the campaign has finished", { field: "id" });
  if (!c.audioId) throw new UserError("The campaign has no message", { field: "audioId" });
  const unreached = await db.campaignTarget.findMany({
    where: { campaignId: id, status: "done", outcome: { notIn: ["acknowledged", "completed"] }, contactId: { not: null } },
    select: { contactId: true },
  });
  if (unreached.length === 0) throw new UserError("Everyone called was reached: there is nobody to retry", { field: "id" });
  const contactIds = [...new Set(unreached.map((t) => t.contactId!))];
  const created = await createCampaign(
    db,
    {
      name: `${c.name} (retry)`.slice(0, 120),
      contactIds,
      groupIds: [],
      audioId: c.audioId,
      requireAck: c.requireAck,
      maxReplays: c.maxReplays,
      callerId: c.callerId ?? "",
      windowDays: splitList(c.windowDays).map(Number),
      windowStart: c.windowStart,
      windowEnd: c.windowEnd,
      maxConcurrent: c.maxConcurrent,
      perMinute: c.perMinute,
      retryCount: c.retryCount,
      retryIntervalSec: c.retryIntervalSec,
      retryOn: splitList(c.retryOn).filter((x): x is (typeof RETRY_OUTCOMES)[number] =>
        (RETRY_OUTCOMES as readonly string[]).includes(x),
      ),
      hostId: c.hostId,
      parentId: id,
    },
    actor,
  );
  return { id: created.id, contacts: contactIds.length };
}
