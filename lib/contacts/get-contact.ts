/** One contact with its phones and groups, as the edit page shows it. */
import type { Db } from "@/lib/db";
import { splitTags } from "@/lib/contacts/contact.schema";

export async function getContact(client: Db, id: string) {
  const row = await client.contact.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      deskEndpoint: true,
      timeZone: true,
      language: true,
      tags: true,
      notes: true,
      createdAt: true,
      updatedAt: true,
      phones: { select: { destination: true, kind: true, label: true }, orderBy: { position: "asc" } },
      groups: { select: { group: { select: { id: true, name: true } } } },
    },
  });
  if (!row) return null;
  return {
    ...row,
    tags: splitTags(row.tags),
    groups: row.groups.map((g) => g.group).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

export type ContactDetail = NonNullable<Awaited<ReturnType<typeof getContact>>>;
