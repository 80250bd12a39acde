/** The library page's data: messages with tags, where-used counts and per-host sync state. */
import type { Db } from "@/lib/db";
import { parseStoredTags } from "@/lib/audio/audio.schema";

export type AudioListItem = {
  id: string;
  name: string;
  tags: string[];
  source: string;
  text: string | null;
  voice: string | null;
  durationMs: number;
  sizeBytes: number;
  createdAt: Date;
  usage: { templates: number; campaigns: number; wakeUps: number; broadcasts: number; calls: number };
  deliveries: { hostId: string; hostName: string; state: string; error: string | null; syncedAt: Date | null }[];
};

export async function listAudio(db: Db, filters: { query?: string; tag?: string } = {}): Promise<AudioListItem[]> {
  const rows = await db.audioMessage.findMany({
    where: {
      ...(filters.query ? { name: { contains: filters.query } } : {}),
      ...(filters.tag ? { tags: { contains: `,${filters.tag.toLowerCase()},` } } : {}),
    },
    select: {
      id: true,
      name: true,
      tags: true,
      source: true,
      text: true,
      voice: true,
      durationMs: true,
      sizeBytes: true,
      createdAt: true,
      // oxlint-disable-next-line no-underscore-dangle -- Prisma's relation-count API
      _count: { select: { templates: true, campaigns: true, broadcasts: true, calls: true } },
      deliveries: { select: { hostId: true, state: true, error: true, syncedAt: true } },
    },
    orderBy: [{ name: "asc" }, { createdAt: "asc" }],
  });
  // WakeUp.audioId has no relation to count through, so group it in one query.
  const wakeUpCounts = new Map(
    (await db.wakeUp.groupBy({ by: ["audioId"], where: { audioId: { in: rows.map((r) => r.id) } }, _count: { _all: true } }))
      // oxlint-disable-next-line no-underscore-dangle -- Prisma's aggregate API
      .map((g) => [g.audioId, g._count._all]),
  );
  const hosts = await db.asteriskHost.findMany({
    where: { enabled: true },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    tags: parseStoredTags(r.tags),
    source: r.source,
    text: r.text,
    voice: r.voice,
    durationMs: r.durationMs,
    sizeBytes: r.sizeBytes,
    createdAt: r.createdAt,
    // oxlint-disable-next-line no-underscore-dangle -- Prisma's relation-count API
    usage: { ...r._count, wakeUps: wakeUpCounts.get(r.id) ?? 0 },
    // Every enabled host gets an entry: no row yet means the message has not reached it.
    deliveries: hosts.map((h) => {
      const d = r.deliveries.find((x) => x.hostId === h.id);
      return {
        hostId: h.id,
        hostName: h.name,
        state: d?.state ?? "pending",
        error: d?.error ?? null,
        syncedAt: d?.syncedAt ?? null,
      };
    }),
  }));
}

/** All tags in use, for the filter. */
export async function listAudioTags(db: Db): Promise<string[]> {
  const rows = await db.audioMessage.findMany({ select: { tags: true } });
  return [...new Set(rows.flatMap((r) => parseStoredTags(r.tags)))].sort();
}
