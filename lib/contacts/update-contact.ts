/**
 * Replaces a contact's fields and phone list, audited. Phones are replaced wholesale (delete
 * and re-create in one transaction) because the form always submits the full list.
 */
import type { Db } from "@/lib/db";
import type { AuditActor } from "@/lib/audit/record-audit";
import { recordAudit } from "@/lib/audit/record-audit";
import { UserError } from "@/lib/errors";
import { joinTags, toNameKey } from "@/lib/contacts/contact.schema";
import { assertPhonesUnused, parseContact } from "@/lib/contacts/parse-contact";

export type UpdateContactParams = { id: string; input: unknown; actor: AuditActor; ip?: string | null };

export async function updateContact(client: Db, { id, input, actor, ip }: UpdateContactParams): Promise<{ id: string }> {
  const data = await parseContact(client, input);
  const existing = await client.contact.findUnique({ where: { id }, select: { id: true } });
  if (!existing) throw new UserError("This contact no longer exists", { field: "id" });
  await assertPhonesUnused(client, data, id);
  return client.$transaction(async (tx) => {
    await tx.contactPhone.deleteMany({ where: { contactId: id } });
    await tx.contact.update({
      where: { id },
      data: {
        name: data.name,
        nameKey: toNameKey(data.name),
        deskEndpoint: data.deskEndpoint,
        timeZone: data.timeZone,
        language: data.language,
        tags: joinTags(data.tags),
        notes: data.notes,
        phones: { create: data.phones.map((p, position) => ({ destination: p.number, kind: p.kind, label: p.label, position })) },
      },
    });
    await recordAudit(tx, {
      actor,
      ip,
      action: "contact.update",
      targetType: "contact",
      targetId: id,
      summary: `Updated contact ${data.name}`,
    });
    return { id };
  });
}
