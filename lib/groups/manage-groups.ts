/**
 * Contact groups: create, rename, delete and membership, every change audited. Names are
 * unique case-insensitively ("Staff" and "staff" would be indistinguishable in a campaign's
 * group picker); the database's unique index is case-sensitive on SQLite and PostgreSQL alike,
 * so the check is made here, inside the writing transaction.
 */
import { MAX_IDS_PER_FILTER, type Db, type Tx } from "@/lib/db";
import type { AuditActor } from "@/lib/audit/record-audit";
import { recordAudit } from "@/lib/audit/record-audit";
import { UserError } from "@/lib/errors";
import { groupMembersSchema, groupSchema, renameGroupSchema } from "@/lib/groups/group.schema";

/** Who changes a group (for the audit log) plus the change's own input. */
export type GroupChange<T = { input: unknown }> = T & { actor: AuditActor; ip?: string | null };

/** Throws when another group already has `name`, compared case-insensitively. */
async function assertNameFree(tx: Tx, name: string, exceptId?: string): Promise<void> {
  const key = name.toLowerCase();
  // Group lists are small (a school or hotel has tens, not thousands), so reading the names is
  // cheaper than a provider-specific case-insensitive index.
  const names = await tx.contactGroup.findMany({ select: { id: true, name: true } });
  const clash = names.find((g) => g.id !== exceptId && g.name.toLowerCase() === key);
  if (clash) throw new UserError(`A group named "${clash.name}" already exists`, { field: "name" });
}

async function findGroup(tx: Tx, id: string, field = "id") {
  const group = await tx.contactGroup.findUnique({ where: { id }, select: { id: true, name: true } });
  if (!group) throw new UserError("This group no longer exists", { field });
  return group;
}

function parseOrThrow<T>(
  result: { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } },
): T {
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new UserError(issue.message, { field: issue.path.map(String).join(".") || undefined });
}

export async function createGroup(client: Db, { input, actor, ip }: GroupChange): Promise<{ id: string }> {
  const data = parseOrThrow(groupSchema.safeParse(input));
  return client.$transaction(async (tx) => {
    await assertNameFree(tx, data.name);
    const group = await tx.contactGroup.create({ data, select: { id: true } });
    await recordAudit(tx, {
      actor,
      ip,
      action: "group.create",
      targetType: "group",
      targetId: group.id,
      summary: `Created group ${data.name}`,
    });
    return group;
  });
}

export async function renameGroup(client: Db, { input, actor, ip }: GroupChange): Promise<{ id: string }> {
  const data = parseOrThrow(renameGroupSchema.safeParse(input));
  return client.$transaction(async (tx) => {
    const group = await findGroup(tx, data.id);
    await assertNameFree(tx, data.name, data.id);
    await tx.contactGroup.update({ where: { id: data.id }, data: { name: data.name } });
    await recordAudit(tx, {
      actor,
      ip,
      action: "group.rename",
      targetType: "group",
      targetId: data.id,
      summary: `Renamed group ${group.name} to ${data.name}`,
    });
    return { id: data.id };
  });
}

/** Deletes a group (memberships go with it); refused while a campaign uses the group. */
export async function deleteGroup(client: Db, { id, actor, ip }: GroupChange<{ id: string }>): Promise<{ id: string }> {
  return client.$transaction(async (tx) => {
    const group = await findGroup(tx, id);
    const campaigns = await tx.campaignGroup.findMany({
      where: { groupId: id },
      select: { campaign: { select: { name: true } } },
      take: 3,
    });
    if (campaigns.length > 0) {
      const names = campaigns.map((c) => `"${c.campaign.name}"`).join(", ");
      throw new UserError(`Group "${group.name}" is used by campaign ${names}; remove it from the campaign first`, {
        field: "id",
      });
    }
    await tx.contactGroup.delete({ where: { id } });
    await recordAudit(tx, {
      actor,
      ip,
      action: "group.delete",
      targetType: "group",
      targetId: id,
      summary: `Deleted group ${group.name}`,
    });
    return { id };
  });
}

/** Adds contacts to a group; ones already in it are skipped. Returns how many were added. */
export async function addGroupMembers(client: Db, { input, actor, ip }: GroupChange): Promise<{ added: number }> {
  const data = parseOrThrow(groupMembersSchema.safeParse(input));
  return client.$transaction(async (tx) => {
    const group = await findGroup(tx, data.groupId, "groupId");
    const ids = [...new Set(data.contactIds)];
    const existing = await tx.contact.findMany({ where: { id: { in: ids } }, select: { id: true } });
    if (existing.length !== ids.length)
      throw new UserError("Some of the chosen contacts no longer exist; reload and try again", { field: "contactIds" });
    const already = new Set<string>();
    for (let i = 0; i < ids.length; i += MAX_IDS_PER_FILTER) {
      const rows = await tx.groupMember.findMany({
        where: { groupId: group.id, contactId: { in: ids.slice(i, i + MAX_IDS_PER_FILTER) } },
        select: { contactId: true },
      });
      for (const m of rows) already.add(m.contactId);
    }
    const fresh = ids.filter((id) => !already.has(id));
    if (fresh.length > 0) await tx.groupMember.createMany({ data: fresh.map((contactId) => ({ groupId: group.id, contactId })) });
    await recordAudit(tx, {
      actor,
      ip,
      action: "group.members.add",
      targetType: "group",
      targetId: group.id,
      summary: `Added ${fresh.length} contact(s) to ${group.name}`,
    });
    return { added: fresh.length };
  });
}

/** Removes contacts from a group. Returns how many were members. */
export async function removeGroupMembers(client: Db, { input, actor, ip }: GroupChange): Promise<{ removed: number }> {
  const data = parseOrThrow(groupMembersSchema.safeParse(input));
  return client.$transaction(async (tx) => {
    const group = await findGroup(tx, data.groupId, "groupId");
    let count = 0;
    for (let i = 0; i < data.contactIds.length; i += MAX_IDS_PER_FILTER) {
      count += (
        await tx.groupMember.deleteMany({
          where: { groupId: group.id, contactId: { in: data.contactIds.slice(i, i + MAX_IDS_PER_FILTER) } },
        })
      ).count;
    }
    await recordAudit(tx, {
      actor,
      ip,
      action: "group.members.remove",
      targetType: "group",
      targetId: group.id,
      summary: `Removed ${count} contact(s) from ${group.name}`,
    });
    return { removed: count };
  });
}
