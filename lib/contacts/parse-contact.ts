/**
 * Turns a submitted contact (form, API or CSV row) into a validated ContactInput, reading the
 * default country from settings. Throws ContactValidationError with every field's messages.
 */
import type { Db, Tx } from "@/lib/db";
import { getDestinationRules } from "@/lib/destinations/destination-rules";
import { ContactValidationError, contactSchema, toFieldErrors, type ContactInput } from "@/lib/contacts/contact.schema";

export async function parseContact(client: Db | Tx, raw: unknown): Promise<ContactInput> {
  const result = contactSchema(await getDestinationRules(client)).safeParse(raw);
  if (!result.success) throw new ContactValidationError(toFieldErrors(result.error));
  return result.data;
}

/**
 * Refuses numbers that already belong to another contact, naming the phone field and the
 * owner, so one person is not stored (and called) twice.
 */
export async function assertPhonesUnused(client: Db | Tx, input: ContactInput, exceptContactId?: string): Promise<void> {
  const taken = await client.contactPhone.findMany({
    where: {
      destination: { in: input.phones.map((p) => p.number) },
      ...(exceptContactId ? { contactId: { not: exceptContactId } } : {}),
    },
    select: { destination: true, contact: { select: { name: true } } },
  });
  if (taken.length === 0) return;
  const errors: Record<string, string[]> = {};
  input.phones.forEach((p, i) => {
    const hit = taken.find((t) => t.destination === p.number);
    if (hit) errors[`phones.${i}.number`] = [`${p.number} already belongs to ${hit.contact.name}`];
  });
  throw new ContactValidationError(errors);
}
