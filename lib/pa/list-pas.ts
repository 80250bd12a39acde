/** Recent PAs for the PA page: newest first, with their call counts by outcome. */
import type { Db } from "@/lib/db";

export type PaSummary = {
  id: string;
  createdAt: Date;
  createdBy: string;
  audioName: string;
  isTest: boolean;
  state: string;
  parentId: string | null;
  calls: number;
  active: number;
};

export async function listRecentPas(db: Db, take = 20): Promise<PaSummary[]> {
  const rows = await db.paBroadcast.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    include: { audio: { select: { name: true } }, _count: { select: { calls: true } } },
  });
  const active = await db.call.groupBy({
    by: ["broadcastId"],
    where: {
      broadcastId: { in: rows.map((r) => r.id) },
      state: { in: ["queued", "spooled", "dialling", "retry-wait", "answered"] },
    },
    _count: { _all: true },
  });
  const activeBy = new Map(active.map((a) => [a.broadcastId, a._count._all]));
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    audioName: r.audio.name,
    isTest: r.isTest,
    state: r.state,
    parentId: r.parentId,
    calls: r._count.calls,
    active: activeBy.get(r.id) ?? 0,
  }));
}
