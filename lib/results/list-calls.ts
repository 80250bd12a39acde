/**
 * The results table: every call of every kind, filtered, sorted and paginated in the
 * database so it stays fast at 100,000+ calls (scripts/bench/results-bench.ts measures it).
 *
 * Pagination is keyset ("cursor": the sort value and id of the last row of the previous
 * page) for next/previous links — deep pages cost the same as the first — with an optional
 * page number (offset) for direct jumps. Every sort ends in id so the order is total. Indexes
 * used: Call(createdAt), (kind, createdAt), (state, createdAt), (createdById, createdAt),
 * (campaignId, createdAt). The total is counted only up to COUNT_CAP rows so a wide filter
 * never costs a full count.
 */
import { z } from "zod";
import { MAX_IDS_PER_FILTER, type Db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/sqlite/client";
import { CALL_KINDS, ACTIVE_STATES, FINAL_STATES } from "@/lib/engine/call-state";

export const CALL_SORTS = ["createdAt", "endedAt", "destination", "state", "kind"] as const;
export type CallSort = (typeof CALL_SORTS)[number];
export const RESULT_PAGE_SIZES = [25, 50, 100] as const;
export const COUNT_CAP = 10_000;

const dateParam = z
  .union([z.date(), z.string()])
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === "") return undefined;
    const d = v instanceof Date ? v : new Date(v);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: "Enter a valid date" });
      return z.NEVER;
    }
    return d;
  });

/** Query-string filters of the results page, the CSV export and the API. */
export const callFiltersSchema = z.object({
  kind: z.enum(CALL_KINDS).optional().catch(undefined),
  from: dateParam,
  to: dateParam,
  /** A call state (final outcome or live state). */
  state: z
    .enum([...ACTIVE_STATES, ...FINAL_STATES])
    .optional()
    .catch(undefined),
  userId: z.string().max(40).optional().catch(undefined),
  groupId: z.string().max(40).optional().catch(undefined),
  campaignId: z.string().max(40).optional().catch(undefined),
  broadcastId: z.string().max(40).optional().catch(undefined),
  /** Number prefix (digits, optional +) or name prefix. */
  q: z.string().max(100).optional().default(""),
});
export type CallFilters = z.input<typeof callFiltersSchema>;

export const callPageSchema = z.object({
  sort: z.enum(CALL_SORTS).optional().catch("createdAt").default("createdAt"),
  dir: z.enum(["asc", "desc"]).optional().catch("desc").default("desc"),
  /** Opaque cursor from a previous page's nextCursor / prevCursor. */
  cursor: z.string().max(400).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
  size: z.coerce
    .number()
    .int()
    .refine((n) => (RESULT_PAGE_SIZES as readonly number[]).includes(n))
    .optional()
    .catch(50)
    .default(50),
});
export type CallPageParams = z.input<typeof callPageSchema>;

export type CallRow = {
  id: string;
  kind: string;
  state: string;
  destination: string;
  displayName: string;
  attempts: number;
  reason: string | null;
  ackDigit: string | null;
  /** Playback Asterisk reported, and the message's length: what "Heard" / "Heard part" rest on. */
  heardMs: number | null;
  audio: { durationMs: number } | null;
  createdAt: Date;
  scheduledAt: Date;
  answeredAt: Date | null;
  endedAt: Date | null;
  campaignId: string | null;
  broadcastId: string | null;
  createdById: string | null;
};

export type CallPage = {
  rows: CallRow[];
  /** Matching rows, counted up to COUNT_CAP (then `totalCapped`). */
  total: number;
  totalCapped: boolean;
  nextCursor: string | null;
  prevCursor: string | null;
  page: number | null;
  size: number;
};

/** The columns of a call row, shared by the results table and the CSV export. */
export const CALL_ROW_SELECT = {
  id: true,
  kind: true,
  state: true,
  destination: true,
  displayName: true,
  attempts: true,
  reason: true,
  ackDigit: true,
  heardMs: true,
  audio: { select: { durationMs: true } },
  createdAt: true,
  scheduledAt: true,
  answeredAt: true,
  endedAt: true,
  campaignId: true,
  broadcastId: true,
  createdById: true,
} as const;

/** Up to this many members a group filter lists their ids (fast); beyond, a relation filter. */
export const MAX_LISTED_MEMBERS = MAX_IDS_PER_FILTER;

/** The Prisma where clause of a filter set (also used by the CSV export). */
export async function buildCallWhere(db: Db, f: z.output<typeof callFiltersSchema>): Promise<Prisma.CallWhereInput> {
  const and: Prisma.CallWhereInput[] = [];
  if (f.kind) and.push({ kind: f.kind });
  if (f.state) and.push({ state: f.state });
  if (f.from) and.push({ createdAt: { gte: f.from } });
  if (f.to) and.push({ createdAt: { lt: f.to } });
  if (f.userId) and.push({ createdById: f.userId });
  if (f.campaignId) and.push({ campaignId: f.campaignId });
  if (f.broadcastId) and.push({ broadcastId: f.broadcastId });
  if (f.groupId) {
    // Members first (one index read), then calls to those contacts: a relation filter would
    // become a correlated subquery per call.
    // A larger group goes through the relation instead (MAX_IDS_PER_FILTER).
    const members = await db.groupMember.findMany({
      where: { groupId: f.groupId },
      select: { contactId: true },
      take: MAX_LISTED_MEMBERS + 1,
    });
    if (members.length <= MAX_LISTED_MEMBERS) and.push({ contactId: { in: members.map((m) => m.contactId) } });
    else and.push({ contact: { groups: { some: { groupId: f.groupId } } } });
  }
  const q = f.q.trim();
  if (q) {
    if (/^\+?[0-9]{3,}$/.test(q)) and.push({ destination: { startsWith: q } });
    else and.push({ displayName: { startsWith: q } });
  }
  return and.length ? { AND: and } : {};
}

type Cursor = { v: string | number | null; id: string; back?: boolean };

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

function decodeCursor(s: string | undefined): Cursor | null {
  if (!s) return null;
  try {
    const c = JSON.parse(Buffer.from(s, "base64url").toString("utf8")) as Cursor;
    return typeof c.id === "string" ? c : null;
  } catch {
    return null;
  }
}

function sortValue(row: CallRow, sort: CallSort): string | number | null {
  const v = row[sort];
  return v instanceof Date ? v.getTime() : (v as string | null);
}

function fromSortValue(sort: CallSort, v: string | number | null): unknown {
  return (sort === "createdAt" || sort === "endedAt") && v !== null ? new Date(v as number) : v;
}

/**
 * Rows strictly after (or, going back, before) the cursor row in the given order. Nulls
 * (endedAt of a live call) sort last ascending and first descending on both providers
 * because Prisma's `nulls` option is given explicitly.
 */
function afterCursor(sort: CallSort, dir: "asc" | "desc", c: Cursor): Prisma.CallWhereInput {
  const forward = c.back ? (dir === "asc" ? "lt" : "gt") : dir === "asc" ? "gt" : "lt";
  const v = fromSortValue(sort, c.v);
  if (v === null) {
    // Among nulls only the id decides; non-null rows come after nulls when nulls come first.
    const nullsFirst = dir === "desc";
    const towardsNonNull = c.back ? !nullsFirst : nullsFirst;
    return {
      OR: [{ [sort]: null, id: { [forward]: c.id } }, ...(towardsNonNull ? [{ [sort]: { not: null } }] : [])],
    } as Prisma.CallWhereInput;
  }
  const nullsFirst = dir === "desc";
  const towardsNull = c.back ? nullsFirst : !nullsFirst;
  return {
    OR: [
      { [sort]: { [forward]: v } },
      { [sort]: v, id: { [forward]: c.id } },
      ...(sort === "endedAt" && towardsNull ? [{ endedAt: null }] : []),
    ],
  } as Prisma.CallWhereInput;
}

function orderBy(sort: CallSort, dir: "asc" | "desc"): Prisma.CallOrderByWithRelationInput[] {
  if (sort === "endedAt") return [{ endedAt: { sort: dir, nulls: dir === "asc" ? "last" : "first" } }, { id: dir }];
  return [{ [sort]: dir }, { id: dir }];
}

const flip = (d: "asc" | "desc"): "asc" | "desc" => (d === "asc" ? "desc" : "asc");

export async function listCalls(db: Db, filters: CallFilters = {}, pageParams: CallPageParams = {}): Promise<CallPage> {
  const f = callFiltersSchema.parse(filters);
  const p = callPageSchema.parse(pageParams);
  const where = await buildCallWhere(db, f);
  const cursor = decodeCursor(p.cursor);
  const back = !!cursor?.back;
  const dir = back ? flip(p.dir) : p.dir;
  const pageWhere = cursor ? { AND: [where, afterCursor(p.sort, p.dir, cursor)] } : where;
  const [found, counted] = await Promise.all([
    db.call.findMany({
      where: pageWhere,
      orderBy: orderBy(p.sort, dir),
      take: p.size + 1,
      skip: !cursor && p.page ? (p.page - 1) * p.size : 0,
      select: CALL_ROW_SELECT,
    }),
    // COUNT over a LIMIT subquery: stops after COUNT_CAP + 1 rows however wide the filter.
    db.call.count({ where, take: COUNT_CAP + 1 }),
  ]);
  const more = found.length > p.size;
  let rows = found.slice(0, p.size) as CallRow[];
  if (back) rows = rows.toReversed();
  const first = rows[0];
  const last = rows.at(-1);
  const hasPrev = back ? more : !!cursor || (p.page ?? 1) > 1;
  const hasNext = back ? true : more;
  return {
    rows,
    total: Math.min(counted, COUNT_CAP),
    totalCapped: counted > COUNT_CAP,
    nextCursor: hasNext && last ? encodeCursor({ v: sortValue(last, p.sort), id: last.id }) : null,
    prevCursor: hasPrev && first ? encodeCursor({ v: sortValue(first, p.sort), id: first.id, back: true }) : null,
    page: cursor ? null : (p.page ?? 1),
    size: p.size,
  };
}
