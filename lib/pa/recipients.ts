/**
 * Who a PA calls: the members of the chosen groups (or every contact), one call per unique
 * number. A contact is called on its first number only (lowest position, as listed on the
 * contact): ringing every number of a person at once during an emergency ties up lines and
 * the board would count one person several times. Contacts without a number are skipped and
 * counted. Do-not-call flags are for campaigns and are deliberately not applied to a PA.
 */
import type { Db } from "@/lib/db";
import { UserError } from "@/lib/errors";

export type PaRecipient = { contactId: string | null; name: string; destination: string };
export type PaRecipients = { recipients: PaRecipient[]; withoutNumber: number; duplicates: number; groupNames: string[] };

export async function resolvePaRecipients(
  db: Db,
  input: { groupIds: string[]; everyone: boolean; isTest: boolean },
): Promise<PaRecipients> {
  let groupNames: string[] = [];
  if (!input.everyone) {
    const groups = await db.contactGroup.findMany({
      where: { id: { in: input.groupIds } },
      select: { id: true, name: true, isTest: true },
    });
    const missing = input.groupIds.filter((g) => !groups.some((x) => x.id === g));
    if (missing.length > 0)
      throw new UserError("One of the chosen groups no longer exists; reload the page.", { field: "groupIds" });
    if (input.isTest) {
      const notTest = groups.filter((g) => !g.isTest).map((g) => g.name);
      if (notTest.length > 0)
        throw new UserError(`A test PA may only call test groups; not a test group: ${notTest.join(", ")}.`, {
          field: "groupIds",
        });
    }
    groupNames = input.groupIds.map((g) => groups.find((x) => x.id === g)!.name);
  }
  const contacts = await db.contact.findMany({
    where: input.everyone ? {} : { groups: { some: { groupId: { in: input.groupIds } } } },
    select: {
      id: true,
      name: true,
      phones: { select: { destination: true }, orderBy: [{ position: "asc" }, { id: "asc" }], take: 1 },
    },
    orderBy: [{ nameKey: "asc" }, { id: "asc" }],
  });
  const seen = new Set<string>();
  const recipients: PaRecipient[] = [];
  let withoutNumber = 0;
  let duplicates = 0;
  for (const c of contacts) {
    const phone = c.phones[0];
    if (!phone) {
      withoutNumber++;
      continue;
    }
    if (seen.has(phone.destination)) {
      duplicates++;
      continue;
    }
    seen.add(phone.destination);
    recipients.push({ contactId: c.id, name: c.name, destination: phone.destination });
  }
  return { recipients, withoutNumber, duplicates, groupNames };
}
