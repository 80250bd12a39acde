/**
 * The campaign scheduler: turns planned targets into calls, gradually.
 *
 * The engine paces per Asterisk host; a campaign's own limits are enforced here by releasing
 * calls only while fewer than `maxConcurrent` of the campaign's calls are out and fewer than
 * `perMinute` were released in the last minute. Retries are campaign-level: a call ends, its
 * outcome is in `retryOn` and retries are left → the target waits `retryIntervalSec` and a new
 * Call row (same campaignId + contactId, attempt counted on the target) is enqueued. The call
 * files themselves carry MaxRetries 0 so the retry policy lives in one place.
 *
 * `decideCampaignTick` is the pure core (campaign, targets, calls so far, now → what to do);
 * `tickCampaign` reads the database and applies the decision with conditional updates.
 * `startCampaignScheduler` runs a pass over every campaign every ~1.5 s in the engine process
 * (lib/engine/start-engine.ts), in one process at a time: the one holding the
 * "campaign-scheduler" lease (lib/scheduling/periodic-runner.ts).
 */
import { MAX_IDS_PER_FILTER, type Db } from "@/lib/db";
import { enqueueCalls, cancelCall } from "@/lib/engine/calls";
import { isFinalState } from "@/lib/engine/call-state";
import { retryChoiceFor } from "@/lib/calls/retry-choices";
import { serializeCallScript } from "@/lib/ivr/scripts";
import { isInWindow, nextWindowOpen, windowCloseAfter, type CallingWindow } from "@/lib/campaigns/calling-window";
import { splitList, type RetryOutcome } from "@/lib/campaigns/campaign.schema";
import { loadDncSet } from "@/lib/campaigns/dnc";
import { getDefaultTimeZone } from "@/lib/campaigns/default-time-zone";
import { log } from "@/lib/log";
import { createPeriodicRunner } from "@/lib/scheduling/periodic-runner";

export type SchedCampaign = {
  id: string;
  state: string;
  startAt: Date | null;
  endAt: Date | null;
  window: CallingWindow;
  maxConcurrent: number;
  perMinute: number;
  retryCount: number;
  retryIntervalSec: number;
  retryOn: RetryOutcome[];
};

export type SchedTarget = {
  id: string;
  destination: string;
  timeZone: string | null;
  status: string;
  attempts: number;
  nextAt: Date | null;
  releasedAt: Date | null;
  /** State of the target's latest call (null when it has none yet). */
  callState: string | null;
  callEndedAt: Date | null;
};

export type TickDecision = {
  /** Campaign state after this tick (unchanged when equal to the input). */
  state: string;
  release: string[];
  skip: { id: string; reason: string }[];
  /**
   * Active targets whose call ended: done, or back to pending for a retry at nextAt. `from`
   * "pending": a target waiting for its retry whose last call was acknowledged after all (the
   * key press reached the database after the call was closed) is done, not called again.
   */
  finish: { id: string; outcome: string; status: "done" | "pending"; nextAt: Date | null; refund: boolean; from?: "pending" }[];
};

export const REACHED_OUTCOMES = new Set(["acknowledged", "completed"]);

export const SKIP_OUTSIDE_WINDOW = "outside window: the calling window does not open again before the campaign ends";
export const SKIP_DNC = "on the do-not-call list";

/**
 * Pure core. `dnc` holds numbers on the do-not-call list now (checked again before each
 * release); `releasedLastMinute` counts the campaign's releases in the minute before `now`.
 */
export function decideCampaignTick(input: {
  campaign: SchedCampaign;
  targets: SchedTarget[];
  releasedLastMinute: number;
  now: Date;
  dnc: ReadonlySet<string>;
  defaultZone: string;
}): TickDecision {
  const { campaign: c, now } = input;
  const out: TickDecision = { state: c.state, release: [], skip: [], finish: [] };
  const ended = c.endAt !== null && now >= c.endAt;
  const stopped = c.state === "cancelled" || c.state === "completed";

  let active = 0;
  const pending: SchedTarget[] = [];
  for (const t of input.targets) {
    if (t.status === "pending" && t.callState === "acknowledged") {
      out.finish.push({ id: t.id, outcome: "acknowledged", status: "done", nextAt: null, refund: false, from: "pending" });
      continue;
    }
    if (t.status === "pending") pending.push(t);
    if (t.status !== "active") continue;
    if (!t.callState || !isFinalState(t.callState)) {
      active++;
      continue;
    }
    if (t.callState === "cancelled" && c.state === "paused") {
      // Cancelled by pause before Asterisk dialled: not an attempt; called again on resume.
      out.finish.push({ id: t.id, outcome: "cancelled", status: "pending", nextAt: null, refund: true });
      pending.push({ ...t, status: "pending", nextAt: null });
      continue;
    }
    const category = retryChoiceFor(t.callState); // the one mapping (lib/calls/retry-choices.ts)
    const retry = !stopped && !ended && category !== null && c.retryOn.includes(category) && t.attempts <= c.retryCount;
    if (retry) {
      const nextAt = new Date((t.callEndedAt ?? now).getTime() + c.retryIntervalSec * 1000);
      out.finish.push({ id: t.id, outcome: t.callState, status: "pending", nextAt, refund: false });
      pending.push({ ...t, status: "pending", nextAt });
    } else {
      out.finish.push({ id: t.id, outcome: t.callState, status: "done", nextAt: null, refund: false });
    }
  }

  if (c.state === "scheduled" && (!c.startAt || now >= c.startAt)) out.state = "running";
  if (out.state !== "running") return out;

  let budget = Math.max(0, Math.min(c.maxConcurrent - active, c.perMinute - input.releasedLastMinute));
  // Oldest first (retries come back in their turn): nextAt null sorts before any date.
  pending.sort((a, b) => (a.nextAt?.getTime() ?? 0) - (b.nextAt?.getTime() ?? 0));
  let left = 0;
  // Most targets share a zone and "now": one luxon computation per (zone, earliest) keeps a
  // 10,000-person campaign's tick cheap (measured in campaign-scheduler.test.ts).
  const opens = new Map<string, Date | null>();
  const openFor = (earliest: Date, zone: string) => {
    const key = `${zone}|${earliest.getTime()}`;
    if (!opens.has(key)) opens.set(key, nextWindowOpen(earliest, zone, c.window));
    return opens.get(key)!;
  };
  const inWindowNow = new Map<string, boolean>();
  const openNow = (zone: string) => {
    if (!inWindowNow.has(zone)) inWindowNow.set(zone, isInWindow(now, zone, c.window));
    return inWindowNow.get(zone)!;
  };
  for (const t of pending) {
    const zone = t.timeZone ?? input.defaultZone;
    if (ended) {
      out.skip.push({ id: t.id, reason: SKIP_OUTSIDE_WINDOW });
      continue;
    }
    const earliest = t.nextAt && t.nextAt > now ? t.nextAt : now;
    const open = openFor(earliest, zone);
    if (open === null || (c.endAt !== null && open >= c.endAt)) {
      out.skip.push({ id: t.id, reason: SKIP_OUTSIDE_WINDOW });
      continue;
    }
    left++;
    if (earliest > now || budget === 0 || !openNow(zone)) continue;
    if (input.dnc.has(t.destination)) {
      out.skip.push({ id: t.id, reason: SKIP_DNC });
      left--;
      continue;
    }
    out.release.push(t.id);
    budget--;
  }
  if (active === 0 && left === 0) out.state = "completed";
  return out;
}

function toSchedCampaign(c: {
  id: string;
  state: string;
  startAt: Date | null;
  endAt: Date | null;
  windowDays: string;
  windowStart: string;
  windowEnd: string;
  maxConcurrent: number;
  perMinute: number;
  retryCount: number;
  retryIntervalSec: number;
  retryOn: string;
}): SchedCampaign {
  return {
    id: c.id,
    state: c.state,
    startAt: c.startAt,
    endAt: c.endAt,
    window: { days: splitList(c.windowDays).map(Number), start: c.windowStart, end: c.windowEnd },
    maxConcurrent: c.maxConcurrent,
    perMinute: c.perMinute,
    retryCount: c.retryCount,
    retryIntervalSec: c.retryIntervalSec,
    retryOn: splitList(c.retryOn) as RetryOutcome[],
  };
}

/**
 * Numbers that must not be called now: on the DNC list, or belonging to a contact marked
 * "do not call" since the campaign was planned.
 */
async function loadReleaseBlocklist(db: Db, pending: { destination: string; contactId: string | null }[]): Promise<Set<string>> {
  const blocked = await loadDncSet(
    db,
    pending.map((t) => t.destination),
  );
  const ids = pending.map((t) => t.contactId).filter((x): x is string => !!x);
  for (let i = 0; i < ids.length; i += MAX_IDS_PER_FILTER) {
    const flagged = await db.contact.findMany({
      where: { id: { in: ids.slice(i, i + MAX_IDS_PER_FILTER) }, doNotCall: true },
      select: { id: true },
    });
    const set = new Set(flagged.map((c) => c.id));
    for (const t of pending) if (t.contactId && set.has(t.contactId)) blocked.add(t.destination);
  }
  return blocked;
}

/** One scheduler pass over one campaign. Returns the number of calls released. */
export async function tickCampaign(db: Db, campaignId: string, now = new Date()): Promise<number> {
  const row = await db.campaign.findUnique({ where: { id: campaignId }, include: { audio: { select: { soundName: true } } } });
  if (!row) return 0;
  const targets = await db.campaignTarget.findMany({
    where: { campaignId, status: { in: ["pending", "active"] } },
    select: {
      id: true,
      destination: true,
      timeZone: true,
      status: true,
      attempts: true,
      nextAt: true,
      releasedAt: true,
      lastCallId: true,
      contactId: true,
      displayName: true,
    },
  });
  const callIds = targets.map((t) => t.lastCallId).filter((x): x is string => !!x);
  const calls = new Map<string, { state: string; endedAt: Date | null }>();
  for (let i = 0; i < callIds.length; i += 500) {
    for (const c of await db.call.findMany({
      where: { id: { in: callIds.slice(i, i + 500) } },
      select: { id: true, state: true, endedAt: true },
    }))
      calls.set(c.id, c);
  }
  const releasedLastMinute = await db.campaignTarget.count({
    where: { campaignId, releasedAt: { gt: new Date(now.getTime() - 60_000) } },
  });
  const campaign = toSchedCampaign(row);
  const decision = decideCampaignTick({
    campaign,
    targets: targets.map((t) => {
      const call = t.lastCallId ? calls.get(t.lastCallId) : undefined;
      return {
        ...t,
        callState: call?.state ?? (t.status === "active" && !t.lastCallId ? "lost" : null),
        callEndedAt: call?.endedAt ?? null,
      };
    }),
    releasedLastMinute,
    now,
    dnc: await loadReleaseBlocklist(
      db,
      targets.filter((t) => t.status === "pending"),
    ),
    defaultZone: await getDefaultTimeZone(db),
  });

  for (const f of decision.finish) {
    await db.campaignTarget.updateMany({
      where: { id: f.id, status: f.from ?? "active" },
      data: {
        status: f.status,
        outcome: f.outcome,
        nextAt: f.nextAt,
        ...(f.refund ? { attempts: { decrement: 1 }, lastCallId: null } : {}),
      },
    });
  }
  for (const s of decision.skip) {
    await db.campaignTarget.updateMany({ where: { id: s.id, status: "pending" }, data: { status: "skipped", reason: s.reason } });
  }

  let released = 0;
  if (decision.release.length > 0) {
    const byId = new Map(targets.map((t) => [t.id, t]));
    const claimed: typeof targets = [];
    for (const id of decision.release) {
      // Conditional: a target is released by exactly one scheduler pass.
      const r = await db.campaignTarget.updateMany({
        where: { id, status: "pending" },
        data: { status: "active", attempts: { increment: 1 }, releasedAt: now, nextAt: null },
      });
      if (r.count === 1) claimed.push(byId.get(id)!);
    }
    if (claimed.length > 0) {
      const script = serializeCallScript({
        kind: "message",
        requireAck: row.requireAck,
        maxReplays: row.maxReplays,
        ...(row.audio ? { message: row.audio.soundName } : {}),
      });
      const zone = await getDefaultTimeZone(db);
      const ids = await enqueueCalls(
        db,
        claimed.map((t) => ({
          kind: "campaign" as const,
          hostId: row.hostId ?? undefined,
          destination: t.destination,
          displayName: t.displayName,
          callerId: row.callerId || undefined,
          audioId: row.audioId ?? undefined,
          requireAck: row.requireAck,
          scriptJson: script,
          maxRetries: 0,
          campaignId: row.id,
          contactId: t.contactId ?? undefined,
          createdById: row.createdById ?? undefined,
          scheduledAt: now,
          // Not dialled after the campaign's end, nor after its calling window closes (in the
          // callee's zone): a call that waited through an outage must not ring in the evening.
          // lib/engine/valid-until.ts bounds it further.
          validUntil: soonest(row.endAt, windowCloseAfter(now, t.timeZone ?? zone, campaign.window)),
        })),
      );
      for (let i = 0; i < claimed.length; i++) {
        await db.campaignTarget.update({ where: { id: claimed[i]!.id }, data: { lastCallId: ids[i]! } });
      }
      released = claimed.length;
    }
  }
  if (decision.state !== row.state) {
    await db.campaign.updateMany({ where: { id: row.id, state: row.state }, data: { state: decision.state } });
  }
  return released;
}

/** The sooner of two optional limits; undefined when neither is set. */
function soonest(a: Date | null, b: Date | null): Date | undefined {
  if (a && b) return a < b ? a : b;
  return a ?? b ?? undefined;
}

/** Active campaign ids: those the scheduler must look at (including finished ones with calls still out). */
async function campaignsToTick(db: Db): Promise<string[]> {
  const live = await db.campaign.findMany({ where: { state: { in: ["scheduled", "running", "paused"] } }, select: { id: true } });
  const withCalls = await db.campaignTarget.findMany({
    where: { status: "active" },
    select: { campaignId: true },
    distinct: ["campaignId"],
  });
  return [...new Set([...live.map((c) => c.id), ...withCalls.map((t) => t.campaignId)])];
}

/** One pass over every campaign that needs attention; one failing campaign does not stop the others. */
export async function runCampaignPass(db: Db, now = new Date()): Promise<void> {
  for (const id of await campaignsToTick(db)) {
    try {
      await tickCampaign(db, id, now);
    } catch (err) {
      log.error({ err, campaignId: id }, "campaign tick failed");
    }
  }
}

/** Starts the periodic scheduler under the campaign-scheduler lease; returns its stop function. */
export function startCampaignScheduler(
  db: Db,
  owner: string,
  opts: { intervalMs?: number; leaseMs?: number } = {},
): () => Promise<void> {
  const runner = createPeriodicRunner({
    name: "campaign-scheduler",
    intervalMs: opts.intervalMs ?? 1500,
    lease: { db, owner, ttlMs: opts.leaseMs ?? 15_000 },
    log,
    tick: ({ now }) => runCampaignPass(db, now),
  });
  runner.start();
  return () => runner.stop();
}

/** Cancels every not-yet-dialling call of a campaign (pause and cancel). */
export async function cancelCampaignCalls(
  db: Db,
  campaignId: string,
  actorName: string,
): Promise<{ cancelled: number; dialling: number }> {
  const active = await db.campaignTarget.findMany({
    where: { campaignId, status: "active", lastCallId: { not: null } },
    select: { lastCallId: true },
  });
  let cancelled = 0;
  let dialling = 0;
  for (const t of active) {
    const r = await cancelCall(t.lastCallId!, { name: actorName }, { db });
    if (r.cancelled) cancelled++;
    else if (!isFinalState(r.state)) dialling++;
  }
  return { cancelled, dialling };
}
