/**
 * The contacts table query: search, tag and group filters, sort, offset pagination — all in
 * the database so it stays fast at 100,000 contacts (scripts/bench/contacts-bench.ts measures
 * it). How each search uses an index:
 * - a query that parses as a full phone number matches ContactPhone.destination exactly (index);
 * - 3+ typed digits (an extension too) or an endpoint (`PJSIP/1`) match inside
 *   ContactPhone.destination (a scan of the narrow phone index),
 *   at most MAX_PHONE_MATCHES of them;
 * - text is a prefix of nameKey. On SQLite it is written as a range (`>= q AND < q+U+10FFFF`,
 *   byte order) because SQLite's case-insensitive LIKE cannot use the index; on PostgreSQL it
 *   is a LIKE prefix, exact under any collation. Words after the first ("smith" in
 *   "jane smith") are found with a substring match on nameKey (a scan of a narrow index;
 *   measured under 100 ms at 100k, see the bench).
 */
import { z } from "zod";
import { MAX_IDS_PER_FILTER, type Db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/sqlite/client";
import { getDefaultCountry } from "@/lib/contacts/default-country";
import { normalizePhone, phoneSearchDigits } from "@/lib/contacts/normalize-phone";
import { splitTags, TAG } from "@/lib/contacts/contact.schema";

export const CONTACT_SORTS = ["name", "-name", "created", "-created"] as const;
export type ContactSort = (typeof CONTACT_SORTS)[number];
export const PAGE_SIZES = [25, 50, 100] as const;

/** Query-string parameters of the contacts page (also the API's list parameters). */
export const listContactsSchema = z.object({
  q: z.string().max(200).optional().default(""),
  tag: z.string().regex(TAG).optional().catch(undefined),
  groupId: z.string().max(40).optional().catch(undefined),
  sort: z.enum(CONTACT_SORTS).optional().catch("name").default("name"),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(1).default(1),
  pageSize: z.coerce
    .number()
    .int()
    .refine((n) => (PAGE_SIZES as readonly number[]).includes(n))
    .optional()
    .catch(50)
    .default(50),
});
export type ListContactsParams = z.input<typeof listContactsSchema>;

const MAX_CHAR = String.fromCodePoint(0x10ffff);

/**
 * Prisma passes LIKE wildcards through unescaped and SQLite has no default escape character,
 * so a query containing % _ or \\ is matched as a name prefix only (exact, no LIKE).
 */
const LIKE_SPECIAL = /[\\%_]/;

/**
 * True for a PostgreSQL client. lib/db.ts builds clients with `omit`, which returns an extended
 * client that is no `instanceof` its class; `_activeProvider` is Prisma's own provider field.
 */
const PROVIDER_FIELD = "_activeProvider";
function isPostgres(client: Db): boolean {
  return (client as unknown as Record<string, unknown>)[PROVIDER_FIELD] === "postgresql";
}

/**
 * A digit search matching more numbers than this shows those and asks for more digits. The ids
 * go into one statement with the page's other parameters (MAX_IDS_PER_FILTER).
 */
export const MAX_PHONE_MATCHES = MAX_IDS_PER_FILTER;

async function buildWhere(
  client: Db,
  params: z.output<typeof listContactsSchema>,
): Promise<{ where: Prisma.ContactWhereInput; truncated: boolean }> {
  let truncated = false;
  const and: Prisma.ContactWhereInput[] = [];
  const q = params.q.trim();
  if (q !== "") {
    const digits = phoneSearchDigits(q);
    if (q.includes("/") && digits === "") {
      // An endpoint such as PJSIP/101: matched inside ContactPhone.destination like digits are.
      const hits = await client.contactPhone.findMany({
        where: { destination: { contains: q } },
        select: { contactId: true },
        take: MAX_PHONE_MATCHES + 1,
      });
      if (hits.length > MAX_PHONE_MATCHES) truncated = true;
      and.push({ id: { in: [...new Set(hits.slice(0, MAX_PHONE_MATCHES).map((h) => h.contactId))] } });
    } else if (digits.length >= 3) {
      // Two steps: Prisma's relation filter (`phones: { some }`) becomes a correlated
      // subquery SQLite runs per contact (~0.7 s at 100k); reading the phone index first is ~1 ms.
      const full = normalizePhone(q, await getDefaultCountry(client));
      const hits = await client.contactPhone.findMany({
        where: { destination: full.ok ? full.e164 : { contains: digits } },
        select: { contactId: true },
        take: MAX_PHONE_MATCHES + 1,
      });
      if (hits.length > MAX_PHONE_MATCHES) truncated = true;
      and.push({ id: { in: [...new Set(hits.slice(0, MAX_PHONE_MATCHES).map((h) => h.contactId))] } });
    } else {
      const key = q.toLowerCase();
      if (isPostgres(client)) {
        // PostgreSQL: LIKE (backslash escapes by default) — a range under a linguistic (ICU)
        // collation would also match names that only sort near the prefix.
        const escaped = key.replace(/[\\%_]/g, (c) => `\\${c}`);
        and.push({ OR: [{ nameKey: { startsWith: escaped } }, { nameKey: { contains: ` ${escaped}` } }] });
      } else {
        const prefix: Prisma.ContactWhereInput = { nameKey: { gte: key, lt: key + MAX_CHAR } };
        and.push(LIKE_SPECIAL.test(key) ? prefix : { OR: [prefix, { nameKey: { contains: ` ${key}` } }] });
      }
    }
  }
  if (params.tag) and.push({ tags: { contains: `,${params.tag},` } });
  if (params.groupId) and.push({ groups: { some: { groupId: params.groupId } } });
  return { where: and.length === 0 ? {} : { AND: and }, truncated };
}

function orderBy(sort: ContactSort): Prisma.ContactOrderByWithRelationInput[] {
  switch (sort) {
    case "name":
      return [{ nameKey: "asc" }, { id: "asc" }];
    case "-name":
      return [{ nameKey: "desc" }, { id: "desc" }];
    case "created":
      return [{ createdAt: "asc" }, { id: "asc" }];
    case "-created":
      return [{ createdAt: "desc" }, { id: "desc" }];
  }
}

export type ContactRow = {
  id: string;
  name: string;
  phones: { destination: string; kind: string; label: string }[];
  deskEndpoint: string | null;
  timeZone: string | null;
  language: string | null;
  tags: string[];
  createdAt: Date;
};

/** `truncated`: a digit search matched more than MAX_PHONE_MATCHES numbers; only those are shown. */
export type ContactPage = {
  rows: ContactRow[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  truncated: boolean;
};

/** One page of contacts. A page past the end returns the last page. */
export async function listContacts(client: Db, raw: ListContactsParams = {}): Promise<ContactPage> {
  const params = listContactsSchema.parse(raw);
  const { where, truncated } = await buildWhere(client, params);
  const total = await client.contact.count({ where });
  const pageCount = Math.max(1, Math.ceil(total / params.pageSize));
  const page = Math.min(params.page, pageCount);
  const rows = await client.contact.findMany({
    where,
    orderBy: orderBy(params.sort),
    skip: (page - 1) * params.pageSize,
    take: params.pageSize,
    select: {
      id: true,
      name: true,
      deskEndpoint: true,
      timeZone: true,
      language: true,
      tags: true,
      createdAt: true,
      phones: { select: { destination: true, kind: true, label: true }, orderBy: { position: "asc" } },
    },
  });
  return {
    rows: rows.map((r) => ({ ...r, tags: splitTags(r.tags) })),
    total,
    page,
    pageSize: params.pageSize,
    pageCount,
    truncated,
  };
}
