/**
 * Engine status per Asterisk host for the status page and GET /api/health: queue depth,
 * in flight, oldest waiting call, lost calls, last reconcile (the lease heartbeat: every
 * pass of the owning worker reconciles), transport health, and whether the PBX plays audio
 * (a call ended "playback not confirmed" and none has been confirmed since). Reads only the database and
 * the host's transport, so it works from any process, inline engine or separate workers.
 */
import type { Db } from "@/lib/db";
import type { HealthReport, SpoolTransport } from "@/lib/spool/types";
import { NO_AUDIO_HINT } from "@/lib/calls/call-state-machine";

export type HostStatus = {
  hostId: string;
  name: string;
  enabled: boolean;
  queued: number;
  due: number;
  inFlight: number;
  oldestWaitingSince: Date | null;
  lost: number;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  lastReconcileAt: Date | null;
  transport: HealthReport | { ok: false; checks: []; error: string } | null;
  /**
   * Set when the host's latest message call ended "playback not confirmed" (no F from
   * Asterisk) and no call on the host has had its playback confirmed since; cleared by the
   * first call Asterisk confirms.
   */
  playbackError: { message: string; since: Date; callId: string } | null;
  /**
   * Messages Asterisk could not open on this host (it answered their S with Z, "Unknown file
   * requested"): one entry per message whose latest call ended "message not played" and that
   * no call has played since. Cleared by the first call on the host that plays it.
   */
  missingMessages: { audioId: string; name: string; since: Date; callId: string }[];
};

export type EngineStatus = { ok: boolean; hosts: HostStatus[] };

// oxlint-disable no-underscore-dangle -- Prisma's aggregate field names
const countOf = (r: { _count: { _all: number } }) => r._count._all;
const oldestOf = (r: { _min: { scheduledAt: Date | null } }) => r._min.scheduledAt;
// oxlint-enable no-underscore-dangle

const IN_FLIGHT = ["spooled", "dialling", "retry-wait", "answered"];

/** Status of every host; `transportFor` is optional because opening SFTP for a health probe costs a connection. */
export async function getEngineStatus(
  db: Db,
  options: { transportFor?: (hostId: string) => Promise<SpoolTransport>; now?: Date } = {},
): Promise<EngineStatus> {
  const now = options.now ?? new Date();
  const hosts = await db.asteriskHost.findMany({
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, enabled: true },
  });
  const [byState, oldest, leases] = await Promise.all([
    db.call.groupBy({
      by: ["hostId", "state"],
      where: { state: { in: ["queued", "lost", ...IN_FLIGHT] } },
      _count: { _all: true },
    }),
    db.call.groupBy({
      by: ["hostId"],
      where: { state: "queued", scheduledAt: { lte: now } },
      _min: { scheduledAt: true },
      _count: { _all: true },
    }),
    db.hostLease.findMany(),
  ]);
  const [playback, missing] = await Promise.all([playbackErrors(db), missingMessages(db)]);
  const out: HostStatus[] = [];
  for (const h of hosts) {
    const count = (states: string[]) =>
      byState.filter((r) => r.hostId === h.id && states.includes(r.state)).reduce((n, r) => n + countOf(r), 0);
    const o = oldest.find((r) => r.hostId === h.id);
    const lease = leases.find((l) => l.hostId === h.id);
    let transport: HostStatus["transport"] = null;
    if (options.transportFor && h.enabled) {
      try {
        const t = await options.transportFor(h.id);
        try {
          transport = await t.health();
        } finally {
          await t.close();
        }
      } catch (e) {
        transport = { ok: false, checks: [], error: e instanceof Error ? e.message : String(e) };
      }
    }
    out.push({
      hostId: h.id,
      name: h.name,
      enabled: h.enabled,
      queued: count(["queued"]),
      due: o ? countOf(o) : 0,
      inFlight: count(IN_FLIGHT),
      oldestWaitingSince: o ? oldestOf(o) : null,
      lost: count(["lost"]),
      leaseOwner: lease && lease.expiresAt > now ? lease.owner : null,
      leaseExpiresAt: lease?.expiresAt ?? null,
      lastReconcileAt: lease?.heartbeatAt ?? null,
      transport,
      playbackError: playback.get(h.id) ?? null,
      missingMessages: missing.get(h.id) ?? [],
    });
  }
  const ok = out.every(
    (h) =>
      !h.enabled ||
      ((h.transport === null || h.transport.ok) &&
        h.leaseOwner !== null &&
        h.playbackError === null &&
        h.missingMessages.length === 0),
  );
  return { ok, hosts: out };
}

/**
 * Per host, the latest call that ended "playback not confirmed", unless a call Asterisk
 * confirmed (heardMs, from its F / T events) was updated after it. The second query only
 * runs for hosts with such a call, and only over calls newer than it.
 */
async function playbackErrors(db: Db): Promise<Map<string, NonNullable<HostStatus["playbackError"]>>> {
  const out = new Map<string, NonNullable<HostStatus["playbackError"]>>();
  const latest = await db.call.groupBy({
    by: ["hostId"],
    where: { state: "playback-unconfirmed" },
    // oxlint-disable-next-line no-underscore-dangle -- Prisma's aggregate field name
    _max: { updatedAt: true },
  });
  for (const row of latest) {
    // oxlint-disable-next-line no-underscore-dangle -- Prisma's aggregate field name
    const since = row._max.updatedAt;
    if (!since) continue;
    const confirmed = await db.call.count({ where: { hostId: row.hostId, heardMs: { gt: 0 }, updatedAt: { gt: since } } });
    if (confirmed > 0) continue;
    const call = await db.call.findFirst({
      where: { hostId: row.hostId, state: "playback-unconfirmed", updatedAt: since },
      select: { id: true },
    });
    out.set(row.hostId, { message: NO_AUDIO_HINT, since, callId: call?.id ?? "" });
  }
  return out;
}

/**
 * Per host, the messages whose latest call there ended "not-played" with no call on that host
 * playing the same message since (heardMs from Asterisk's F / T events). The follow-up queries
 * run only for (host, message) pairs that ever had such a call.
 */
async function missingMessages(db: Db): Promise<Map<string, HostStatus["missingMessages"]>> {
  const out = new Map<string, HostStatus["missingMessages"]>();
  const latest = await db.call.groupBy({
    by: ["hostId", "audioId"],
    where: { state: "not-played", audioId: { not: null } },
    // oxlint-disable-next-line no-underscore-dangle -- Prisma's aggregate field name
    _max: { updatedAt: true },
  });
  for (const row of latest) {
    // oxlint-disable-next-line no-underscore-dangle -- Prisma's aggregate field name
    const since = row._max.updatedAt;
    if (!since || !row.audioId) continue;
    const played = await db.call.count({
      where: { hostId: row.hostId, audioId: row.audioId, heardMs: { gt: 0 }, updatedAt: { gt: since } },
    });
    if (played > 0) continue;
    const call = await db.call.findFirst({
      where: { hostId: row.hostId, audioId: row.audioId, state: "not-played", updatedAt: since },
      select: { id: true, audio: { select: { name: true } } },
    });
    const list = out.get(row.hostId) ?? [];
    list.push({ audioId: row.audioId, name: call?.audio?.name ?? row.audioId, since, callId: call?.id ?? "" });
    out.set(row.hostId, list);
  }
  return out;
}
