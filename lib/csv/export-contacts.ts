/**
 * CSV export of all contacts or of one group, produced page by page (keyset on nameKey, id)
 * so 100,000 contacts never sit in memory at once. Columns match what the importer detects,
 * so an exported file re-imports unchanged; every cell goes through formula neutralisation
 * (lib/csv/csv-cells.ts).
 */
import type { Db } from "@/lib/db";
import { splitTags } from "@/lib/contacts/contact.schema";
import { toCsvLine } from "@/lib/csv/csv-cells";

export const EXPORT_HEADERS = [
  "name",
  "phone",
  "other_phones",
  "desk_endpoint",
  "time_zone",
  "language",
  "tags",
  "notes",
  "created_at",
];
const PAGE = 1000;

/** The CSV text in chunks: the header line, then up to PAGE contacts per chunk. */
export async function* exportContactsCsv(client: Db, { groupId }: { groupId?: string | null } = {}): AsyncGenerator<string> {
  yield "\uFEFF" + toCsvLine(EXPORT_HEADERS); // BOM so Excel opens the file as UTF-8
  let after: { nameKey: string; id: string } | null = null;
  for (;;) {
    const rows: {
      id: string;
      name: string;
      nameKey: string;
      deskEndpoint: string | null;
      timeZone: string | null;
      language: string | null;
      tags: string;
      notes: string;
      createdAt: Date;
      phones: { destination: string }[];
    }[] = await client.contact.findMany({
      where: {
        ...(groupId ? { groups: { some: { groupId } } } : {}),
        ...(after ? { OR: [{ nameKey: { gt: after.nameKey } }, { nameKey: after.nameKey, id: { gt: after.id } }] } : {}),
      },
      orderBy: [{ nameKey: "asc" }, { id: "asc" }],
      take: PAGE,
      select: {
        id: true,
        name: true,
        nameKey: true,
        deskEndpoint: true,
        timeZone: true,
        language: true,
        tags: true,
        notes: true,
        createdAt: true,
        phones: { select: { destination: true }, orderBy: { position: "asc" } },
      },
    });
    if (rows.length === 0) return;
    let chunk = "";
    for (const r of rows) {
      chunk += toCsvLine([
        r.name,
        r.phones[0]?.destination ?? "",
        r.phones
          .slice(1)
          .map((p) => p.destination)
          .join("; "),
        r.deskEndpoint ?? "",
        r.timeZone ?? "",
        r.language ?? "",
        splitTags(r.tags).join(","),
        r.notes,
        r.createdAt.toISOString(),
      ]);
    }
    yield chunk;
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    after = { nameKey: last.nameKey, id: last.id };
  }
}

/** The whole export as one string (tests, small groups). */
export async function exportContactsCsvText(client: Db, params: { groupId?: string | null } = {}): Promise<string> {
  let out = "";
  for await (const chunk of exportContactsCsv(client, params)) out += chunk;
  return out;
}
