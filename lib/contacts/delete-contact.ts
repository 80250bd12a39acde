/**
 * Deletes contacts (phones and group memberships cascade; past Call rows keep their
 * destination and lose only the link), audited.
 */
import type { Db } from "@/lib/db";
import type { AuditActor } from "@/lib/audit/record-audit";
import { recordAudit } from "@/lib/audit/record-audit";
import { UserError } from "@/lib/errors";

export type DeleteContactParams = { id: string; actor: AuditActor; ip?: string | null };

export async function deleteContact(client: Db, { id, actor, ip }: DeleteContactParams): Promise<{ id: string; name: string }> {
  return client.$transaction(async (tx) => {
    const contact = await tx.contact.findUnique({ where: { id }, select: { id: true, name: true } });
    if (!contact) throw new UserError("This contact no longer exists", { field: "id" });
    await tx.contact.delete({ where: { id } });
    await recordAudit(tx, {
      actor,
      ip,
      action: "contact.delete",
      targetType: "contact",
      targetId: id,
      summary: `Deleted contact ${contact.name}`,
    });
    return contact;
  });
}
