/** The campaigns list: newest first, with progress (finished targets / planned). */
import type { Db } from "@/lib/db";

export async function listCampaigns(db: Db, { take = 100 }: { take?: number } = {}) {
  const rows = await db.campaign.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: { id: true, name: true, state: true, startAt: true, endAt: true, createdAt: true, parentId: true },
  });
  const ids = rows.map((r) => r.id);
  const grouped = ids.length
    ? // oxlint-disable-next-line no-underscore-dangle -- Prisma's aggregate field names
      await db.campaignTarget.groupBy({
        by: ["campaignId", "status"],
        where: { campaignId: { in: ids } },
        _count: { _all: true },
      })
    : [];
  return rows.map((r) => {
    const by: Record<string, number> = {};
    // oxlint-disable-next-line no-underscore-dangle -- Prisma's aggregate field names
    for (const g of grouped) if (g.campaignId === r.id) by[g.status] = g._count._all;
    const total = Object.values(by).reduce((a, b) => a + b, 0);
    const finished = (by.done ?? 0) + (by.skipped ?? 0) + (by.cancelled ?? 0);
    return { ...r, total, finished, active: by.active ?? 0, pending: by.pending ?? 0 };
  });
}
