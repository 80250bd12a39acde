/** Creates a draft campaign (the wizard's last step, or POST /api/campaigns). */
import type { Db } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { createCampaignSchema, type CreateCampaignInput } from "@/lib/campaigns/campaign.schema";
import { assertReferences, toColumns } from "@/lib/campaigns/campaign-data";
import { assertDeliveredToTarget } from "@/lib/audio/delivery-check";

export async function createCampaign(
  db: Db,
  input: CreateCampaignInput & { parentId?: string | null },
  actor: AuditActor,
): Promise<{ id: string }> {
  const f = createCampaignSchema.parse(input);
  await assertReferences(db, f);
  // Refused here too, so "Create and start" does not leave a draft behind when the start would refuse.
  if (f.audioId) await assertDeliveredToTarget(db, { audioId: f.audioId, hostId: f.hostId, field: "audioId" });
  return db.$transaction(async (tx) => {
    const c = await tx.campaign.create({
      data: {
        ...toColumns(f),
        name: f.name,
        state: "draft",
        parentId: input.parentId ?? null,
        createdById: actor.type === "user" ? actor.id : null,
        groups: { create: [...new Set(f.groupIds)].map((groupId) => ({ groupId })) },
        contacts: { create: [...new Set(f.contactIds)].map((contactId) => ({ contactId })) },
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      actor,
      action: "campaign.create",
      targetType: "campaign",
      targetId: c.id,
      summary: `Created campaign ${f.name} (${f.groupIds.length} groups, ${f.contactIds.length} contacts)`,
    });
    return c;
  });
}
