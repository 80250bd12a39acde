/** Shared helpers of the campaign services: validation against the database, row → data. */
import type { Db, Tx } from "@/lib/db";
import { UserError } from "@/lib/errors";
import type { CampaignFields } from "@/lib/campaigns/campaign.schema";

/** Checks that referenced groups, contacts, message and host exist; throws naming the field. */
export async function assertReferences(client: Db | Tx, f: Partial<CampaignFields>): Promise<void> {
  if (f.groupIds?.length) {
    const n = await client.contactGroup.count({ where: { id: { in: f.groupIds } } });
    if (n !== new Set(f.groupIds).size) throw new UserError("A chosen group no longer exists", { field: "groupIds" });
  }
  if (f.contactIds?.length) {
    const n = await client.contact.count({ where: { id: { in: f.contactIds } } });
    if (n !== new Set(f.contactIds).size) throw new UserError("A chosen contact no longer exists", { field: "contactIds" });
  }
  if (f.audioId) {
    const a = await client.audioMessage.findUnique({ where: { id: f.audioId }, select: { id: true } });
    if (!a) throw new UserError("That message no longer exists", { field: "audioId" });
  }
  if (f.hostId) {
    const h = await client.asteriskHost.findUnique({ where: { id: f.hostId }, select: { enabled: true } });
    if (!h) throw new UserError("That Asterisk host no longer exists", { field: "hostId" });
    if (!h.enabled) throw new UserError("That Asterisk host is disabled", { field: "hostId" });
  }
}

/** Prisma data for the scalar campaign columns present in `f`. */
export function toColumns(f: Partial<CampaignFields>) {
  return {
    ...(f.name !== undefined && { name: f.name }),
    ...(f.audioId !== undefined && { audioId: f.audioId }),
    ...(f.requireAck !== undefined && { requireAck: f.requireAck }),
    ...(f.maxReplays !== undefined && { maxReplays: f.maxReplays }),
    ...(f.callerId !== undefined && { callerId: f.callerId || null }),
    ...(f.startAt !== undefined && { startAt: f.startAt }),
    ...(f.endAt !== undefined && { endAt: f.endAt }),
    ...(f.windowDays !== undefined && { windowDays: [...new Set(f.windowDays)].sort().join(",") }),
    ...(f.windowStart !== undefined && { windowStart: f.windowStart }),
    ...(f.windowEnd !== undefined && { windowEnd: f.windowEnd }),
    ...(f.maxConcurrent !== undefined && { maxConcurrent: f.maxConcurrent }),
    ...(f.perMinute !== undefined && { perMinute: f.perMinute }),
    ...(f.retryCount !== undefined && { retryCount: f.retryCount }),
    ...(f.retryIntervalSec !== undefined && { retryIntervalSec: f.retryIntervalSec }),
    ...(f.retryOn !== undefined && { retryOn: [...new Set(f.retryOn)].join(",") }),
    ...(f.hostId !== undefined && { hostId: f.hostId || null }),
  };
}

export async function getCampaignOrThrow(client: Db | Tx, id: string) {
  const c = await client.campaign.findUnique({ where: { id }, include: { groups: true, contacts: true } });
  if (!c) throw new UserError("No such campaign", { field: "id" });
  return c;
}
