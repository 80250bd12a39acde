/**
 * "Live now" on the home page: what is happening or about to happen, each read from the rows
 * the engine keeps (no guessing). One small query per block, all framework-free.
 */
import type { Db } from "@/lib/db";
import { ACTIVE_STATES, UNREACHED_STATES, isUnreached } from "@/lib/calls/call-state-machine";
import { describeOutcome, kindLabel, type OutcomeWords } from "@/lib/calls/outcome-words";

const HOUR_MS = 60 * 60 * 1000;

export type LivePa = { id: string; audioName: string; isTest: boolean; createdAt: Date; active: number; calls: number };

/**
 * PAs with a call still in progress and not stopped: a board someone should be watching.
 * A PA whose calls all ended keeps its `running` row, so "live" is the calls' state, not the row's.
 */
export async function listLivePas(db: Db): Promise<LivePa[]> {
  const active = await db.call.groupBy({
    by: ["broadcastId"],
    where: { broadcastId: { not: null }, state: { in: [...ACTIVE_STATES] } },
    _count: { _all: true },
  });
  const activeBy = new Map(active.map((a) => [a.broadcastId!, a._count._all]));
  if (activeBy.size === 0) return [];
  const rows = await db.paBroadcast.findMany({
    where: { id: { in: [...activeBy.keys()] }, stoppedAt: null },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    include: { audio: { select: { name: true } }, _count: { select: { calls: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    audioName: r.audio.name,
    isTest: r.isTest,
    createdAt: r.createdAt,
    active: activeBy.get(r.id) ?? 0,
    calls: r._count.calls,
  }));
}

export type RunningCampaign = { id: string; name: string; total: number; finished: number; inProgress: number };

/** Running campaigns with their progress: finished targets (done, skipped, cancelled) of all targets. */
export async function listRunningCampaigns(db: Db): Promise<RunningCampaign[]> {
  const campaigns = await db.campaign.findMany({
    where: { state: "running" },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, name: true },
  });
  if (campaigns.length === 0) return [];
  const counts = await db.campaignTarget.groupBy({
    by: ["campaignId", "status"],
    where: { campaignId: { in: campaigns.map((c) => c.id) } },
    _count: { _all: true },
  });
  return campaigns.map((c) => {
    const mine = counts.filter((g) => g.campaignId === c.id);
    const of = (status: string) => mine.find((g) => g.status === status)?._count._all ?? 0;
    const total = mine.reduce((sum, g) => sum + g._count._all, 0);
    return { id: c.id, name: c.name, total, finished: total - of("pending") - of("active"), inProgress: of("active") };
  });
}

export type WakeUpDue = { wakeUpId: string; room: string; guestName: string; occursAt: Date; timeZone: string };

/** Wake-up calls still to be placed whose time falls within the next hour of `now`. */
export async function listWakeUpsDueSoon(db: Db, now: Date = new Date()): Promise<WakeUpDue[]> {
  const rows = await db.wakeUpOccurrence.findMany({
    where: {
      state: "pending",
      occursAt: { gte: now, lte: new Date(now.getTime() + HOUR_MS) },
      wakeUp: { state: "active" },
    },
    orderBy: [{ occursAt: "asc" }, { id: "asc" }],
    take: 20,
    include: { wakeUp: { select: { room: true, guestName: true, timeZone: true } } },
  });
  return rows.map((o) => ({
    wakeUpId: o.wakeUpId,
    room: o.wakeUp.room,
    guestName: o.wakeUp.guestName,
    occursAt: o.occursAt,
    timeZone: o.wakeUp.timeZone,
  }));
}

export type ProblemCall = { id: string; who: string; kind: string; endedAt: Date; words: OutcomeWords };

/**
 * Calls of the last 24 h that ended without reaching the person: failed, unanswered, or a
 * required key never pressed. Self-test calls are checks of the PBX and stay on the host page;
 * cancelled calls were stopped on purpose, not a failure to chase.
 */
export async function listRecentProblemCalls(db: Db, now: Date = new Date(), take = 10): Promise<ProblemCall[]> {
  const candidates = [...UNREACHED_STATES.filter((s) => s !== "cancelled"), "completed", "not-acknowledged"];
  const rows = await db.call.findMany({
    where: {
      kind: { not: "test" },
      state: { in: candidates },
      endedAt: { gte: new Date(now.getTime() - 24 * HOUR_MS), lte: now },
    },
    orderBy: [{ endedAt: "desc" }, { id: "desc" }],
    // Completed calls that needed no key are fine and filtered below, so read a margin more.
    take: take * 5,
    select: {
      id: true,
      kind: true,
      state: true,
      reason: true,
      heardMs: true,
      ackDigit: true,
      requireAck: true,
      destination: true,
      displayName: true,
      endedAt: true,
      audio: { select: { durationMs: true } },
    },
  });
  return rows
    .filter((r) => isUnreached(r.state, r.requireAck))
    .slice(0, take)
    .map((r) => ({
      id: r.id,
      who: r.displayName || r.destination,
      kind: kindLabel(r.kind),
      endedAt: r.endedAt!,
      words: describeOutcome({
        state: r.state,
        kind: r.kind,
        reason: r.reason,
        heardMs: r.heardMs,
        messageMs: r.audio?.durationMs ?? null,
        ackDigit: r.ackDigit,
      }),
    }));
}
