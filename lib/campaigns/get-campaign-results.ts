/**
 * A campaign's page data: settings, target counts, summary figures and chart series.
 * - reached % = targets whose final call was answered (acknowledged or completed) / planned
 *   targets that were to be called (skipped excluded);
 * - acknowledged % = targets that pressed the acknowledgement key / the same base;
 * - attempts distribution = number of targets by calls placed (1, 2, 3, …);
 * - median time to acknowledge = from the campaign's start to the acknowledgement, over
 *   acknowledged targets (how long the campaign took to get through to people);
 * - progress over time = cumulative finished and reached targets per time bucket;
 * - outcome groups = the calls by outcome in the words of lib/calls/outcome-words.ts, counted
 *   by state and by how much of the message was heard (none / part / full), so the chart can
 *   say "Heard part" without reading every call.
 */
import type { Db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/sqlite/client";
import { UserError } from "@/lib/errors";
import { splitList } from "@/lib/campaigns/campaign.schema";
import { isInWindow } from "@/lib/campaigns/calling-window";
import { getDefaultTimeZone } from "@/lib/campaigns/default-time-zone";
import { describeOutcome, outcomeBreakdown, PARTIAL_MARGIN_MS, type HeardBucket } from "@/lib/calls/outcome-words";

export type CampaignResults = Awaited<ReturnType<typeof getCampaignResults>>;

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** People and skipped rows listed on the page (the counts cover everyone). */
export const LIST_LIMIT = 500;

export async function getCampaignResults(db: Db, campaignId: string, now = new Date()) {
  const c = await db.campaign.findUnique({
    where: { id: campaignId },
    include: {
      audio: { select: { id: true, name: true, durationMs: true } },
      host: { select: { id: true, name: true } },
      groups: { include: { group: { select: { id: true, name: true } } } },
      contacts: { select: { contactId: true } },
    },
  });
  if (!c) throw new UserError("No such campaign", { field: "id" });
  // Figures come from grouped counts, so a page refreshed every 2 s stays cheap for a campaign
  // of any size; only the first LIST_LIMIT people and skipped rows are read one by one.
  /* oxlint-disable no-underscore-dangle -- Prisma's aggregate field names */
  // A call heard to within PARTIAL_MARGIN_MS of the message's end heard it in full.
  const messageMs = c.audio?.durationMs ?? 0;
  const fullFrom = messageMs > 0 ? messageMs - PARTIAL_MARGIN_MS : null;
  const heardBuckets: { heard: HeardBucket; heardMs: Prisma.IntNullableFilter | null }[] = [
    { heard: "none", heardMs: null },
    ...(fullFrom === null
      ? [{ heard: "full" as const, heardMs: { not: null } }]
      : [
          { heard: "part" as const, heardMs: { lt: fullFrom } },
          { heard: "full" as const, heardMs: { gte: fullFrom } },
        ]),
  ];
  const [byStatus, byOutcome, byAttempts, byStateHeard, targets, skippedRows] = await Promise.all([
    db.campaignTarget.groupBy({ by: ["status"], where: { campaignId }, _count: { _all: true } }),
    db.campaignTarget.groupBy({
      by: ["outcome"],
      where: { campaignId, outcome: { in: ["acknowledged", "completed"] } },
      _count: { _all: true },
    }),
    db.campaignTarget.groupBy({ by: ["attempts"], where: { campaignId, attempts: { gt: 0 } }, _count: { _all: true } }),
    Promise.all(
      heardBuckets.map(async (b) => ({
        heard: b.heard,
        rows: await db.call.groupBy({ by: ["state"], where: { campaignId, heardMs: b.heardMs }, _count: { _all: true } }),
      })),
    ),
    db.campaignTarget.findMany({
      where: { campaignId },
      select: {
        id: true,
        contactId: true,
        destination: true,
        displayName: true,
        timeZone: true,
        status: true,
        reason: true,
        attempts: true,
        outcome: true,
        nextAt: true,
        lastCallId: true,
        createdAt: true,
      },
      orderBy: [{ displayName: "asc" }, { id: "asc" }],
      take: LIST_LIMIT,
    }),
    db.campaignTarget.findMany({
      where: { campaignId, status: "skipped" },
      select: { id: true, contactId: true, destination: true, displayName: true, reason: true },
      orderBy: [{ displayName: "asc" }, { id: "asc" }],
      take: LIST_LIMIT,
    }),
  ]);
  const counts = { total: 0, pending: 0, active: 0, done: 0, skipped: 0, cancelled: 0, reached: 0, acknowledged: 0 };
  for (const g of byStatus) {
    counts[g.status as "pending" | "active" | "done" | "skipped" | "cancelled"] = g._count._all;
    counts.total += g._count._all;
  }
  for (const g of byOutcome) {
    counts.reached += g._count._all;
    if (g.outcome === "acknowledged") counts.acknowledged = g._count._all;
  }
  const base = counts.total - counts.skipped;
  const stateCounts = new Map<string, number>();
  for (const b of byStateHeard) {
    for (const g of b.rows) stateCounts.set(g.state, (stateCounts.get(g.state) ?? 0) + g._count._all);
  }
  // By state code (the API's, kept as it was); the page shows outcomeGroups.
  const outcomes = [...stateCounts]
    .map(([outcome, count]) => ({ outcome, count }))
    .sort((a, b) => b.count - a.count || a.outcome.localeCompare(b.outcome));
  const outcomeGroups = outcomeBreakdown(
    byStateHeard.flatMap((b) => b.rows.map((g) => ({ state: g.state, kind: "campaign", heard: b.heard, count: g._count._all }))),
  );
  const attempts = byAttempts
    .map((g) => ({ attempts: g.attempts, targets: g._count._all }))
    .sort((a, b) => a.attempts - b.attempts);
  /* oxlint-enable no-underscore-dangle */
  // Each listed person's last call, for its outcome in words (how much was heard, the cause).
  const lastCallIds = targets.flatMap((t) => (t.lastCallId ? [t.lastCallId] : []));
  const lastCalls = new Map(
    (lastCallIds.length
      ? await db.call.findMany({
          where: { id: { in: lastCallIds } },
          select: { id: true, state: true, reason: true, heardMs: true, ackDigit: true },
        })
      : []
    ).map((x) => [x.id, x]),
  );
  // Narrow rows (three columns) of finished calls only, for the median and the progress line.
  const calls = await db.call.findMany({
    where: { campaignId, endedAt: { not: null } },
    select: { state: true, endedAt: true, ackAt: true },
  });
  const startedAt = c.startAt ?? c.createdAt;
  const defaultZone = await getDefaultTimeZone(db);
  const window = { days: splitList(c.windowDays).map(Number), start: c.windowStart, end: c.windowEnd };
  const ackTimes = calls.filter((x) => x.ackAt).map((x) => x.ackAt!.getTime() - startedAt.getTime());

  // Progress: cumulative ended and reached calls over up to 24 buckets.
  const ended = calls.toSorted((a, b) => a.endedAt!.getTime() - b.endedAt!.getTime());
  const progress: { at: string; ended: number; reached: number }[] = [];
  if (ended.length > 0) {
    const t0 = startedAt.getTime();
    const t1 = Math.max(ended.at(-1)!.endedAt!.getTime(), t0 + 1);
    const step = (t1 - t0) / 24;
    let i = 0;
    let reached = 0;
    for (let b = 1; b <= 24; b++) {
      const edge = t0 + step * b;
      while (i < ended.length && ended[i]!.endedAt!.getTime() <= edge) {
        if (ended[i]!.state === "acknowledged" || ended[i]!.state === "completed") reached++;
        i++;
      }
      progress.push({ at: new Date(edge).toISOString(), ended: i, reached });
    }
  }

  return {
    campaign: {
      id: c.id,
      name: c.name,
      state: c.state,
      audio: c.audio,
      host: c.host,
      requireAck: c.requireAck,
      maxReplays: c.maxReplays,
      callerId: c.callerId,
      startAt: c.startAt,
      endAt: c.endAt,
      windowDays: splitList(c.windowDays).map(Number),
      windowStart: c.windowStart,
      windowEnd: c.windowEnd,
      maxConcurrent: c.maxConcurrent,
      perMinute: c.perMinute,
      retryCount: c.retryCount,
      retryIntervalSec: c.retryIntervalSec,
      retryOn: splitList(c.retryOn),
      parentId: c.parentId,
      groups: c.groups.map((g) => g.group),
      contactCount: c.contacts.length,
      createdAt: c.createdAt,
    },
    counts,
    summary: {
      reachedPct: base > 0 ? counts.reached / base : null,
      acknowledgedPct: base > 0 ? counts.acknowledged / base : null,
      medianAckMs: median(ackTimes),
      calls: outcomes.reduce((n, o) => n + o.count, 0),
      attempts,
      outcomes,
      outcomeGroups,
      progress,
    },
    skipped: skippedRows.map((t) => ({
      id: t.id,
      contactId: t.contactId,
      name: t.displayName,
      destination: t.destination.startsWith("none:") ? "" : t.destination,
      reason: t.reason,
    })),
    // "Why is this person still waiting?": outside their calling window right now.
    targets: targets.map((t) => {
      const last = t.lastCallId ? lastCalls.get(t.lastCallId) : undefined;
      // The target's recorded outcome once done; while calling, its call's live state.
      const state = t.outcome ?? last?.state ?? null;
      const words = state ? describeOutcome({ ...last, state, kind: "campaign", messageMs }) : null;
      return {
        ...t,
        outcomeLabel: words?.label ?? null,
        // Why, in words (e.g. the engine's refusal of the call file); null when the label says it all.
        outcomeDetail: words?.detail ?? null,
        destination: t.destination.startsWith("none:") ? "" : t.destination,
        outsideWindow: t.status === "pending" && !isInWindow(now, t.timeZone ?? defaultZone, window),
      };
    }),
    now,
  };
}
