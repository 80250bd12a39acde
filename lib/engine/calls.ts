/**
 * Call services other modules use (PA, campaigns, wake-ups, click-to-call, the UI):
 * enqueue, cancel, stop a PA broadcast, re-queue a lost call, read a timeline. The engine
 * loop does the dialling; these only change rows (and unlink not-yet-started files).
 */
import { z } from "zod";
import { db as defaultDb, MAX_IDS_PER_FILTER, type Db } from "@/lib/db";
import { callFileName } from "@/lib/callfile/types";
import { CALL_KINDS, PRIORITY, isFinalState, type CallKind } from "@/lib/engine/call-state";
import { channelFor } from "@/lib/engine/build-call-file";
import { UserError } from "@/lib/errors";
import { transportFromDb, type TransportFor } from "@/lib/engine/host-transport";
import { parseCallFile } from "@/lib/callfile/parse";
import { findForbiddenChar } from "@/lib/callfile/serialize";
import { wakeEngine } from "@/lib/engine/signals";
import { insertCalls, insertEvents, newRowId } from "@/lib/engine/bulk";
import { orderTimeline } from "@/lib/calls/timeline-order";
import { validUntilFor } from "@/lib/engine/valid-until";
import { getCallWindows } from "@/lib/settings/call-windows";

/** A call to place. Retry settings default to the host's. */
/** Text that may end up in a call file or the timeline: line breaks and control characters are refused, never stripped. */
const cleanText = (max: number) =>
  z
    .string()
    .max(max)
    .superRefine((v, ctx) => {
      const bad = findForbiddenChar(v);
      if (bad) ctx.addIssue({ code: "custom", message: `must not contain ${bad}` });
    });

export const enqueueCallSchema = z.object({
  kind: z.enum(CALL_KINDS),
  hostId: z.string().min(1).optional(),
  /** E.164 number or endpoint (PJSIP/1001); for kind click, the contact's number. */
  destination: cleanText(200).pipe(z.string().min(1)),
  displayName: cleanText(200).optional(),
  /** Explicit Channel; required for click (the user's desk endpoint), else from the host template. */
  channel: cleanText(300).pipe(z.string().min(1)).optional(),
  callerId: cleanText(200).optional(),
  audioId: z.string().optional(),
  requireAck: z.boolean().optional(),
  scriptJson: z.string().optional(),
  scheduledAt: z.date().optional(),
  /**
   * A limit on how late the call may be dialled (a campaign's end): the call's valid-until is
   * the sooner of this and its kind's window past scheduledAt (lib/engine/valid-until.ts).
   */
  validUntil: z.date().optional(),
  /**
   * This call's own window past scheduledAt (a wake-up booking's tolerance); default the site's
   * window for its kind (lib/settings/call-windows.ts).
   */
  validForMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 3_600_000)
    .optional(),
  maxRetries: z.number().int().min(0).max(100).optional(),
  retryTime: z.number().int().min(1).max(86400).optional(),
  waitTime: z.number().int().min(1).max(3600).optional(),
  campaignId: z.string().optional(),
  broadcastId: z.string().optional(),
  wakeUpId: z.string().optional(),
  contactId: z.string().optional(),
  createdById: z.string().optional(),
});
export type EnqueueCall = z.input<typeof enqueueCallSchema>;

/** Who asked (shown on the timeline). */
export type Actor = { name: string };

/** 25 lowercase alphanumerics: fits parseCallFileName and the IVR's 99-character P reply. */
export function newCallId(): string {
  return "c" + newRowId().slice(1);
}

type HostDefaults = {
  id: string;
  channelTemplate: string;
  internalTemplate: string;
  maxRetries: number;
  retryTime: number;
  waitTime: number;
};

/**
 * Inserts queued Call rows and their "queued" events in one transaction (a call without
 * its first timeline entry would confuse the UI), then wakes an in-process engine.
 */
export async function enqueueCalls(db: Db, calls: EnqueueCall[]): Promise<string[]> {
  const parsed = calls.map((c, i) => {
    const r = enqueueCallSchema.safeParse(c);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new UserError(`calls[${i}].${issue.path.join(".")}: ${issue.message}`, { field: issue.path.join(".") });
    }
    return r.data;
  });
  const hostIds = [...new Set(parsed.map((c) => c.hostId).filter((h): h is string => !!h))];
  const hosts = new Map<string, HostDefaults>();
  const select = {
    id: true,
    channelTemplate: true,
    internalTemplate: true,
    maxRetries: true,
    retryTime: true,
    waitTime: true,
  } as const;
  for (const h of await db.asteriskHost.findMany({ where: { id: { in: hostIds } }, select })) hosts.set(h.id, h);
  let defaultHost: HostDefaults | null = null;
  if (parsed.some((c) => !c.hostId)) {
    defaultHost =
      (await db.asteriskHost.findFirst({ where: { enabled: true, isDefault: true }, select })) ??
      (await db.asteriskHost.findFirst({ where: { enabled: true }, orderBy: { createdAt: "asc" }, select }));
    if (!defaultHost) throw new UserError("No Asterisk host is configured", { field: "hostId" });
  }
  const now = new Date();
  const windows = await getCallWindows(db);
  const rows = parsed.map((c, i) => {
    const host = c.hostId ? hosts.get(c.hostId) : defaultHost;
    if (!host) throw new UserError(`calls[${i}].hostId: unknown Asterisk host`, { field: "hostId" });
    if (c.kind === "click" && !c.channel) {
      throw new UserError(`calls[${i}].channel: click-to-call needs the caller's desk endpoint`, { field: "channel" });
    }
    const scheduledAt = c.scheduledAt ?? now;
    return {
      id: newCallId(),
      kind: c.kind,
      priority: PRIORITY[c.kind as CallKind],
      state: "queued",
      hostId: host.id,
      destination: c.destination,
      displayName: c.displayName ?? "",
      // An explicit channel (a desk phone, a wake-up's room) may itself be an extension: it is
      // dialled by kind like any destination; an endpoint comes back unchanged.
      channel: channelFor(host, c.channel ?? c.destination),
      callerId: c.callerId ?? null,
      audioId: c.audioId ?? null,
      requireAck: c.requireAck ?? false,
      scriptJson: c.scriptJson ?? "{}",
      scheduledAt,
      validUntil: validUntilFor(c.kind, scheduledAt, { windowMs: c.validForMs ?? windows[c.kind], limit: c.validUntil }),
      maxRetries: c.maxRetries ?? host.maxRetries,
      retryTime: c.retryTime ?? host.retryTime,
      waitTime: c.waitTime ?? host.waitTime,
      campaignId: c.campaignId ?? null,
      broadcastId: c.broadcastId ?? null,
      wakeUpId: c.wakeUpId ?? null,
      contactId: c.contactId ?? null,
      createdById: c.createdById ?? null,
    };
  });
  // One transaction: a call without its first timeline entry would confuse the UI.
  await db.$transaction(
    async (tx) => {
      await insertCalls(tx, rows, now);
      await insertEvents(
        tx,
        rows.map((r) => ({ callId: r.id, type: "queued", source: "engine", at: now })),
        now,
      );
    },
    { timeout: 120_000 },
  );
  wakeEngine();
  return rows.map((r) => r.id);
}

export type ServiceOptions = { db?: Db; transportFor?: TransportFor; pollMs?: number; waitMs?: number; now?: () => Date };

export type CancelResult = { callId: string; cancelled: boolean; state: string; detail: string };

const CLAIM_WAIT_MS = 5000;

/**
 * Cancels a call that Asterisk has not started dialling: a queued row is marked cancelled;
 * a spooled file is unlinked from outgoing/ first (Asterisk ignores a vanished file), and
 * only a successful unlink cancels. A call already dialling is left alone and reported.
 */
export async function cancelCall(callId: string, actor: Actor, opts: ServiceOptions = {}): Promise<CancelResult> {
  const db = opts.db ?? defaultDb();
  const now = opts.now ?? (() => new Date());
  const deadline = Date.now() + (opts.waitMs ?? CLAIM_WAIT_MS);
  for (;;) {
    const call = await db.call.findUnique({
      where: { id: callId },
      select: { id: true, state: true, claimedBy: true, currentFile: true, hostId: true },
    });
    if (!call) throw new UserError("No such call", { field: "callId" });
    if (isFinalState(call.state)) return { callId, cancelled: false, state: call.state, detail: "already finished" };
    const detail = `cancelled by ${actor.name}`;
    if (call.state === "queued" && !call.claimedBy) {
      const done = await db.$transaction(async (tx) => {
        const r = await tx.call.updateMany({
          where: { id: callId, state: "queued", claimedBy: null },
          data: { state: "cancelled", outcome: "cancelled", reason: detail, endedAt: now() },
        });
        if (r.count === 1)
          await tx.callEvent.create({ data: { id: newRowId(), callId, type: "cancelled", source: "user", detail, at: now() } });
        return r.count === 1;
      });
      if (done) return { callId, cancelled: true, state: "cancelled", detail };
      continue;
    }
    if (call.state === "queued") {
      // The dispatcher claimed it and is writing the file right now: wait for it to record "spooled".
      if (Date.now() > deadline) return { callId, cancelled: false, state: call.state, detail: "being spooled; try again" };
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 50));
      continue;
    }
    if (call.state !== "spooled" || !call.currentFile) {
      return { callId, cancelled: false, state: call.state, detail: "Asterisk is already dialling this call" };
    }
    const transport = await (opts.transportFor ?? transportFromDb(db))(call.hostId);
    try {
      const content = await transport.readOutgoing(call.currentFile);
      if (content !== null && parseCallFile(content).retries.some((r) => r.kind === "StartRetry")) {
        return { callId, cancelled: false, state: "dialling", detail: "Asterisk is already dialling this call" };
      }
      const removed = content !== null && (await transport.cancel(call.currentFile));
      if (!removed) return { callId, cancelled: false, state: call.state, detail: "Asterisk already picked the file up" };
      await db.$transaction(async (tx) => {
        const r = await tx.call.updateMany({
          where: { id: callId, state: "spooled" },
          data: { state: "cancelled", outcome: "cancelled", reason: detail, endedAt: now() },
        });
        if (r.count === 1) {
          await tx.callEvent.create({
            data: {
              id: newRowId(),
              callId,
              type: "cancelled",
              source: "user",
              detail: `${detail}; removed ${call.currentFile} from outgoing/`,
              at: now(),
            },
          });
        }
      });
      return { callId, cancelled: true, state: "cancelled", detail };
    } finally {
      await transport.close();
    }
  }
}

export type BroadcastStopResult = { cancelled: number; alreadyDialling: number; finished: number };

/** "Stop all" for a PA: cancels every call of the broadcast that has not started ringing. */
export async function cancelBroadcast(
  broadcastId: string,
  actor: Actor,
  opts: ServiceOptions = {},
): Promise<BroadcastStopResult> {
  const db = opts.db ?? defaultDb();
  const now = opts.now ?? (() => new Date());
  const detail = `PA stopped by ${actor.name}`;
  // Unclaimed queued calls go in one statement so a large PA stops at once.
  const queued = await db.call.findMany({
    where: { broadcastId, state: "queued", claimedBy: null },
    select: { id: true },
  });
  let cancelled = 0;
  if (queued.length > 0) {
    cancelled += await db.$transaction(
      async (tx) => {
        let count = 0;
        for (let i = 0; i < queued.length; i += MAX_IDS_PER_FILTER) {
          const ids = queued.slice(i, i + MAX_IDS_PER_FILTER).map((q) => q.id);
          const r = await tx.call.updateMany({
            where: { id: { in: ids }, state: "queued", claimedBy: null },
            data: { state: "cancelled", outcome: "cancelled", reason: detail, endedAt: now() },
          });
          const nowCancelled = await tx.call.findMany({ where: { id: { in: ids }, state: "cancelled" }, select: { id: true } });
          await insertEvents(
            tx,
            nowCancelled.map((c) => ({ callId: c.id, type: "cancelled", source: "user", detail, at: now() })),
            now(),
          );
          count += r.count;
        }
        return count;
      },
      { timeout: 60_000 },
    );
  }
  const rest = await db.call.findMany({
    where: { broadcastId, state: { in: ["queued", "spooled"] } },
    select: { id: true },
  });
  let alreadyDialling = 0;
  for (const c of rest) {
    const r = await cancelCall(c.id, actor, opts);
    if (r.cancelled) cancelled++;
    else if (!isFinalState(r.state)) alreadyDialling++;
  }
  alreadyDialling += await db.call.count({ where: { broadcastId, state: { in: ["dialling", "retry-wait", "answered"] } } });
  await db.paBroadcast.updateMany({ where: { id: broadcastId, stoppedAt: null }, data: { state: "stopped", stoppedAt: now() } });
  const finished = await db.call.count({
    where: { broadcastId, state: { notIn: ["queued", "spooled", "dialling", "retry-wait", "answered"] } },
  });
  return { cancelled, alreadyDialling, finished };
}

const REQUEUEABLE = [
  "lost",
  "missed",
  "failed",
  "expired",
  "no-answer",
  "busy",
  "congestion",
  "not-acknowledged",
  "not-played",
  "playback-unconfirmed",
  "cancelled",
];

/**
 * Puts a finished call back in the queue. Its next file gets the next sequence number (a
 * name is never reused); a lost file still sitting in outgoing/ is removed first so the
 * old and the new file can never both ring.
 */
export async function requeueCall(callId: string, actor: Actor, opts: ServiceOptions = {}): Promise<void> {
  const db = opts.db ?? defaultDb();
  const now = opts.now ?? (() => new Date());
  const call = await db.call.findUnique({
    where: { id: callId },
    select: { kind: true, state: true, currentFile: true, hostId: true, fileSeq: true },
  });
  if (!call) throw new UserError("No such call", { field: "callId" });
  if (!REQUEUEABLE.includes(call.state)) {
    throw new UserError(`A call that is ${call.state} cannot be re-queued`, { field: "callId" });
  }
  if (call.currentFile) {
    // A lost file had no live progress for longer than its retries allow; were it left in
    // outgoing/, an Asterisk restart would dial it again next to the new file.
    const transport = await (opts.transportFor ?? transportFromDb(db))(call.hostId);
    try {
      await transport.cancel(call.currentFile);
    } finally {
      await transport.close();
    }
  }
  const windows = await getCallWindows(db);
  await db.$transaction(async (tx) => {
    const r = await tx.call.updateMany({
      where: { id: callId, state: call.state },
      data: {
        state: "queued",
        claimedBy: null,
        claimedAt: null,
        currentFile: null,
        spooledAt: null,
        endedAt: null,
        outcome: null,
        reason: null,
        attempts: 0,
        scheduledAt: now(),
        // A re-queued call is a new request made now: its window starts again.
        validUntil: validUntilFor(call.kind as CallKind, now(), { windowMs: windows[call.kind as CallKind] }),
      },
    });
    if (r.count !== 1) throw new UserError("The call changed meanwhile; reload and try again", { field: "callId" });
    await tx.callEvent.create({
      data: {
        id: newRowId(),
        callId,
        type: "queued",
        source: "user",
        detail: `re-queued by ${actor.name} (was ${call.state}); next file ${callFileName(callId, call.fileSeq + 1)}`,
        at: now(),
      },
    });
  });
  wakeEngine();
}

export type TimelineEntry = { at: Date; type: string; source: string; detail: string };

/** A call with its events (in timeline order, lib/calls/timeline-order.ts) and attempts, for the UI and API. */
export async function getCallTimeline(callId: string, opts: { db?: Db } = {}) {
  const db = opts.db ?? defaultDb();
  const call = await db.call.findUnique({
    where: { id: callId },
    include: {
      events: { select: { id: true, at: true, type: true, source: true, detail: true } },
      callAttempts: { orderBy: [{ fileName: "asc" }, { n: "asc" }] },
    },
  });
  if (!call) throw new UserError("No such call", { field: "callId" });
  return { ...call, events: orderTimeline(call.events) };
}
