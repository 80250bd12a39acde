/**
 * The live PA board: each recipient's state in the words a person under stress reads
 * (queued, ringing, answered, heard, acknowledged, message not played, playback not
 * confirmed, no answer, busy, failed, lost, missed, cancelled), the counters, and the elapsed time.
 * Read by the board page every second and by the API. "Heard" only when Asterisk confirmed
 * the playback (heardMs comes from its F / T events, lib/ivr/session.ts).
 */
import type { Db } from "@/lib/db";
import { UserError } from "@/lib/errors";
import { isDeliveryFailure, isFinalState, isUnreached } from "@/lib/calls/call-state-machine";
import { stateLabel } from "@/lib/calls/outcome-words";

export const BOARD_STATES = [
  "queued",
  "ringing",
  "answered",
  "heard",
  "acknowledged",
  "not-played",
  "playback-unconfirmed",
  "no-answer",
  "busy",
  "failed",
  "lost",
  "missed",
  "cancelled",
] as const;
export type BoardState = (typeof BOARD_STATES)[number];

export const BOARD_LABELS: Record<BoardState, string> = {
  queued: "Queued",
  ringing: "Ringing",
  answered: "Answered",
  heard: "Heard",
  acknowledged: "Acknowledged",
  "not-played": "Answered, message not played",
  "playback-unconfirmed": "Answered, playback not confirmed",
  "no-answer": "No answer",
  busy: "Busy",
  failed: "Failed",
  lost: "Lost",
  missed: stateLabel("missed"),
  cancelled: "Cancelled",
};

/** A Call's engine state (lib/engine/call-state.ts) as a board state. */
export function boardStateFor(call: { state: string; heardMs: number | null }): BoardState {
  switch (call.state) {
    case "queued":
      return "queued";
    case "spooled":
    case "dialling":
    case "retry-wait":
      return "ringing";
    case "answered":
      return call.heardMs ? "heard" : "answered";
    case "acknowledged":
      return "acknowledged";
    case "completed":
    case "not-acknowledged":
      // Heard only with Asterisk's confirmation; an answer alone proves nothing was played.
      return call.heardMs ? "heard" : "answered";
    case "not-played":
      return "not-played";
    case "playback-unconfirmed":
      return "playback-unconfirmed";
    case "no-answer":
      return "no-answer";
    case "busy":
      return "busy";
    case "lost":
      return "lost";
    case "missed":
      return "missed";
    case "cancelled":
      return "cancelled";
    default:
      // congestion, failed, expired (no reason known in direct IVR mode)
      return "failed";
  }
}

export type PaBoardRow = {
  callId: string;
  name: string;
  number: string;
  state: BoardState;
  /** The engine's state, for the detail / API. */
  callState: string;
  final: boolean;
  reason: string | null;
  /** Answered but the message was not delivered (not played, playback not confirmed): shown in red. */
  deliveryFailed: boolean;
  /** Why the message was not delivered (e.g. "sound missing on the PBX: spoolcast/msg-12"), else null. */
  cause: string | null;
  heardMs: number | null;
  ackAt: Date | null;
  updatedAt: Date;
};

export type PaBoard = {
  broadcast: {
    id: string;
    state: string;
    createdAt: Date;
    createdBy: string;
    stoppedAt: Date | null;
    isTest: boolean;
    requireAck: boolean;
    repeat: number;
    audioName: string;
    templateName: string | null;
    parentId: string | null;
    /** Why the message was spoken by text-to-speech instead (not on the host), or null. */
    spokenNote: string | null;
  };
  counters: Record<BoardState, number> & { total: number; active: number; reached: number; unreached: number };
  /** Time since launch, until the last call ended (or now while calls are active). */
  elapsedMs: number;
  done: boolean;
  recipients: PaBoardRow[];
  followUps: string[];
};

export async function getPaBoard(db: Db, broadcastId: string, now: Date = new Date()): Promise<PaBoard> {
  const b = await db.paBroadcast.findUnique({
    where: { id: broadcastId },
    include: { audio: { select: { name: true } }, template: { select: { name: true } } },
  });
  if (!b) throw new UserError("No such PA.", { field: "broadcastId" });
  const calls = await db.call.findMany({
    where: { broadcastId },
    select: {
      id: true,
      displayName: true,
      destination: true,
      state: true,
      reason: true,
      heardMs: true,
      ackAt: true,
      updatedAt: true,
      endedAt: true,
    },
    orderBy: [{ displayName: "asc" }, { id: "asc" }],
  });
  const followUps = await db.paBroadcast.findMany({
    where: { parentId: broadcastId },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  });
  const counters = Object.fromEntries(BOARD_STATES.map((s) => [s, 0])) as PaBoard["counters"];
  counters.total = calls.length;
  counters.active = 0;
  counters.reached = 0;
  counters.unreached = 0;
  let lastEnd = b.createdAt.getTime();
  const recipients = calls.map((c): PaBoardRow => {
    const state = boardStateFor(c);
    const final = isFinalState(c.state);
    counters[state]++;
    if (!final) counters.active++;
    else {
      if (isUnreached(c.state, b.requireAck)) counters.unreached++;
      else counters.reached++;
      lastEnd = Math.max(lastEnd, (c.endedAt ?? c.updatedAt).getTime());
    }
    return {
      callId: c.id,
      name: c.displayName,
      number: c.destination,
      state,
      callState: c.state,
      final,
      reason: c.reason,
      deliveryFailed: isDeliveryFailure(c.state),
      cause: isDeliveryFailure(c.state) ? c.reason : null,
      heardMs: c.heardMs,
      ackAt: c.ackAt,
      updatedAt: c.updatedAt,
    };
  });
  const done = counters.active === 0;
  return {
    broadcast: {
      id: b.id,
      state: b.state,
      createdAt: b.createdAt,
      createdBy: b.createdBy,
      stoppedAt: b.stoppedAt,
      isTest: b.isTest,
      requireAck: b.requireAck,
      repeat: b.repeat,
      audioName: b.audio.name,
      templateName: b.template?.name ?? null,
      parentId: b.parentId,
      spokenNote: b.spokenNote,
    },
    counters,
    elapsedMs: Math.max(0, (done ? lastEnd : now.getTime()) - b.createdAt.getTime()),
    done,
    recipients,
    followUps: followUps.map((f) => f.id),
  };
}
