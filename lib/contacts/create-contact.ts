/**
 * Creates a contact with its phones, audited. Validation (including E.164 normalisation and
 * the duplicate-number check) happens before anything is written.
 */
import type { Db } from "@/lib/db";
import type { AuditActor } from "@/lib/audit/record-audit";
import { recordAudit } from "@/lib/audit/record-audit";
import { joinTags, toNameKey } from "@/lib/contacts/contact.schema";
import { assertPhonesUnused, parseContact } from "@/lib/contacts/parse-contact";

export type CreateContactParams = { input: unknown; actor: AuditActor; ip?: string | null };

export async function createContact(client: Db, { input, actor, ip }: CreateContactParams): Promise<{ id: string }> {
  const data = await parseContact(client, input);
  await assertPhonesUnused(client, data);
  // One transaction so the contact, its phones and the audit row appear together or not at all.
  return client.$transaction(async (tx) => {
    const contact = await tx.contact.create({
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
      select: { id: true },
    });
    await recordAudit(tx, {
      actor,
      ip,
      action: "contact.create",
      targetType: "contact",
      targetId: contact.id,
      summary: `Created contact ${data.name} (${data.phones.map((p) => p.number).join(", ")})`,
    });
    return contact;
  });
}
