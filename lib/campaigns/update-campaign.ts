/**
 * Edits a campaign. A draft may change anything; once started (scheduled, running, paused)
 * only RUNNING_EDITABLE fields may change — who is called and what they hear are fixed at
 * planning; a finished campaign may only be renamed.
 */
import type { Db } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { UserError } from "@/lib/errors";
import { RUNNING_EDITABLE, updateCampaignSchema, type UpdateCampaignInput } from "@/lib/campaigns/campaign.schema";
import { assertReferences, getCampaignOrThrow, toColumns } from "@/lib/campaigns/campaign-data";

export async function updateCampaign(
  db: Db,
  input: UpdateCampaignInput,
  actor: AuditActor,
): Promise<{ id: string; changed: string[] }> {
  const { id, ...f } = updateCampaignSchema.parse(input);
  const given = Object.keys(input).filter((k) => k !== "id" && (input as Record<string, unknown>)[k] !== undefined);
  const c = await getCampaignOrThrow(db, id);
  const allowed: readonly string[] =
    c.state === "draft"
      ? Object.keys(updateCampaignSchema.shape)
      : c.state === "completed" || c.state === "cancelled"
        ? ["name"]
        : RUNNING_EDITABLE;
  for (const k of given) {
    if (!allowed.includes(k)) throw new UserError(`This cannot be changed once the campaign is ${c.state}`, { field: k });
  }
  const startAt = f.startAt !== undefined ? f.startAt : c.startAt;
  const endAt = f.endAt !== undefined ? f.endAt : c.endAt;
  if (startAt && endAt && endAt <= startAt) throw new UserError("The end must be after the start", { field: "endAt" });
  const ws = f.windowStart ?? c.windowStart;
  const we = f.windowEnd ?? c.windowEnd;
  if (we <= ws) throw new UserError("The window must end after it starts (same day)", { field: "windowEnd" });
  await assertReferences(db, f);
  await db.$transaction(async (tx) => {
    await tx.campaign.update({ where: { id }, data: toColumns(f) });
    if (f.groupIds) {
      await tx.campaignGroup.deleteMany({ where: { campaignId: id } });
      await tx.campaignGroup.createMany({ data: [...new Set(f.groupIds)].map((groupId) => ({ campaignId: id, groupId })) });
    }
    if (f.contactIds) {
      await tx.campaignContact.deleteMany({ where: { campaignId: id } });
      await tx.campaignContact.createMany({
        data: [...new Set(f.contactIds)].map((contactId) => ({ campaignId: id, contactId })),
      });
    }
    await recordAudit(tx, {
      actor,
      action: "campaign.update",
      targetType: "campaign",
      targetId: id,
      summary: `Changed ${given.join(", ")} of campaign ${f.name ?? c.name}`,
    });
  });
  return { id, changed: given };
}
