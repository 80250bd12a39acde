/**
 * Streamed CSV export of any filtered results view: rows are read in keyset pages of
 * EXPORT_PAGE (createdAt, id) and written as they come, so memory stays flat at any size.
 * Every cell goes through the contacts export's formula neutralisation (lib/csv/csv-cells.ts).
 * `outcome` is the plain word a person reads on the results page (lib/calls/outcome-words.ts);
 * `state_code` the stable machine state beside it, for scripts that filter on it.
 */
import type { Db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/sqlite/client";
import { describeOutcome } from "@/lib/calls/outcome-words";
import { toCsvLine } from "@/lib/csv/csv-cells";
import { CALL_ROW_SELECT, buildCallWhere, callFiltersSchema, type CallFilters } from "@/lib/results/list-calls";

export const CALL_EXPORT_HEADERS = [
  "call_id",
  "kind",
  "outcome",
  "state_code",
  "destination",
  "name",
  "attempts",
  "reason",
  "ack_digit",
  "created_at",
  "scheduled_at",
  "answered_at",
  "ended_at",
  "campaign_id",
  "broadcast_id",
];
const EXPORT_PAGE = 2000;

const iso = (d: Date | null) => (d ? d.toISOString() : "");

export async function* exportCallsCsv(db: Db, filters: CallFilters = {}): AsyncGenerator<string> {
  const where = await buildCallWhere(db, callFiltersSchema.parse(filters));
  yield "\uFEFF" + toCsvLine(CALL_EXPORT_HEADERS);
  let after: { createdAt: Date; id: string } | null = null;
  for (;;) {
    const pageWhere: Prisma.CallWhereInput = after
      ? { AND: [where, { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }] }
      : where;
    const rows = await db.call.findMany({
      where: pageWhere,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: EXPORT_PAGE,
      select: CALL_ROW_SELECT,
    });
    if (rows.length === 0) return;
    let chunk = "";
    for (const r of rows) {
      chunk += toCsvLine([
        r.id,
        r.kind,
        describeOutcome({ ...r, messageMs: r.audio?.durationMs }).label,
        r.state,
        r.destination,
        r.displayName,
        String(r.attempts),
        r.reason ?? "",
        r.ackDigit ?? "",
        iso(r.createdAt),
        iso(r.scheduledAt),
        iso(r.answeredAt),
        iso(r.endedAt),
        r.campaignId ?? "",
        r.broadcastId ?? "",
      ]);
    }
    yield chunk;
    if (rows.length < EXPORT_PAGE) return;
    const last: { createdAt: Date; id: string } = rows.at(-1)!;
    after = { createdAt: last.createdAt, id: last.id };
  }
}
