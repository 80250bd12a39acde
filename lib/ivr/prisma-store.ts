/**
 * The IvrStore on the Spoolcast database. IVR facts go to Call (answeredAt, ackDigit, ackAt,
 * heardMs), the timeline to CallEvent (source "ivr"), failure reasons to CallAttempt, refused
 * sessions to AuditEvent. Call.state is left to the engine, except the one move an IVR
 * session proves (an active call whose callee answered becomes `answered`) and a fact that
 * arrives after the engine closed the call, which the call state machine folds in.
 */
import type { Db, Tx } from "@/lib/db";
import {
  DELIVERY_EVENT_TYPES,
  deriveState,
  isFinalState,
  stateForReason,
  storedFacts,
  transition,
  type CallEvidence,
  type CallStatus,
} from "@/lib/calls/call-state-machine";
import { CONTACT_LEG_EVENT, formatContactLegDetail } from "@/lib/calls/contact-leg";
import { newRowId } from "@/lib/engine/bulk";
import { lateKeyAccepted } from "./liveness";
import { parseCallScript, ScriptError } from "./scripts";
import type { IvrStore } from "./store";

const ANSWERABLE_STATES = ["spooled", "dialling", "retry-wait"];
const REASON_TEXT: Record<string, string> = {
  "no-answer": "no answer",
  busy: "busy",
  congestion: "congestion",
  failed: "failed",
};

/**
 * A final call as the state machine sees it before a late fact: its row, the reasons of its
 * current file's attempts, its delivery-failure events. Read under the row's write lock
 * (PostgreSQL: a row lock held to commit; SQLite: BEGIN IMMEDIATE holds the database's), the
 * same lock the reconciler takes before it reads these facts: a fact written here is either
 * seen by the reconciler or, written after its commit, finds the final state and refines it.
 * Null for a call that is not final (the reconciler will read the fact when it decides).
 */
async function finalStatus(tx: Tx, callId: string): Promise<(CallStatus & { stored: string }) | null> {
  await tx.call.updateMany({ where: { id: callId }, data: { updatedAt: new Date() } });
  const call = await tx.call.findUnique({
    where: { id: callId },
    select: {
      kind: true,
      requireAck: true,
      state: true,
      reason: true,
      attempts: true,
      ackDigit: true,
      heardMs: true,
      answeredAt: true,
      currentFile: true,
    },
  });
  if (!call || !isFinalState(call.state)) return null;
  const reasons = await tx.callAttempt.findMany({
    where: { callId, fileName: call.currentFile ?? "" },
    select: { n: true, reason: true },
  });
  const delivery = await tx.callEvent.findMany({
    where: { callId, type: { in: Object.values(DELIVERY_EVENT_TYPES) } },
    select: { type: true, detail: true },
  });
  const facts = storedFacts(call, reasons, delivery);
  // Only a state the machine itself derived from these facts is refined: one set another way
  // (an older version, a fixture) is not reinterpreted.
  if (!facts.archive) return null;
  const derived = deriveState(facts);
  if (derived.state !== call.state) return null;
  return { ...derived, facts, stored: call.state };
}

/**
 * A fact that reached the database after the reconciler closed the call: the state machine
 * folds it into the facts, so the result is the same as if it had arrived first (REASON after
 * the archive, "message missing" after the archive, a key press stored late).
 */
async function refineFinal(
  tx: Tx,
  callId: string,
  before: (CallStatus & { stored: string }) | null,
  evidence: CallEvidence,
  at: Date,
  what: string,
): Promise<void> {
  if (!before) return;
  const next = transition(before, evidence);
  if (next.state === before.state && next.reason === before.reason) return;
  const moved = await tx.call.updateMany({
    where: { id: callId, state: before.stored },
    data: { state: next.state, outcome: next.state, reason: next.reason },
  });
  if (moved.count === 1) {
    await tx.callEvent.create({
      data: { id: newRowId(), callId, type: next.state, source: "ivr", detail: `${what}, stored after the call was closed`, at },
    });
  }
}

/** An IvrStore writing to `db`. */
export function createPrismaIvrStore(db: Db): IvrStore {
  return {
    async loadCall(callId) {
      const call = await db.call.findUnique({
        where: { id: callId },
        select: {
          id: true,
          kind: true,
          state: true,
          requireAck: true,
          endedAt: true,
          scriptJson: true,
          audio: { select: { soundName: true, durationMs: true } },
        },
      });
      if (!call) return null;
      let script = null;
      let scriptError: string | undefined;
      try {
        script = parseCallScript(call.scriptJson, call);
      } catch (error) {
        if (!(error instanceof ScriptError)) throw error;
        scriptError = error.message;
      }
      return {
        id: call.id,
        kind: call.kind,
        state: call.state,
        script,
        scriptError,
        messageSound: call.audio?.soundName ?? null,
        messageDurationMs: call.audio?.durationMs ? call.audio.durationMs : null,
        endedAt: call.endedAt,
      };
    },

    async recordEvent(callId, event) {
      await db.callEvent.create({
        data: { id: newRowId(), callId, type: event.type, detail: event.detail ?? "", at: event.at, source: "ivr" },
      });
    },

    async recordAck(callId, digit, at, session) {
      await db.$transaction(async (tx) => {
        const before = await finalStatus(tx, callId);
        // Read under the same lock: a call the archive closed takes a key only from a session
        // opened while it was live, pressed within the grace (a replayed token never does).
        const now = await tx.call.findUnique({ where: { id: callId }, select: { state: true, endedAt: true } });
        if (!now) return;
        if (!lateKeyAccepted(now, at, session?.openedWhileLive ?? false)) {
          await tx.callEvent.create({
            data: {
              id: newRowId(),
              callId,
              type: "ivr.key-ignored",
              source: "ivr",
              detail: `key ${digit} pressed at ${at.toISOString()} ignored: the call had already ended (${now.state})`,
              at: new Date(),
            },
          });
          return;
        }
        await tx.call.update({ where: { id: callId }, data: { ackDigit: digit, ackAt: at } });
        // The reconciler may have closed the call before this key press reached the database
        // (the write waited out a database restart): the callee did confirm, so say so.
        await refineFinal(tx, callId, before, { kind: "key", digit }, new Date(), `key ${digit} pressed at ${at.toISOString()}`);
      });
    },

    async recordDeliveryFailure(callId, failure) {
      await db.$transaction(async (tx) => {
        const before = await finalStatus(tx, callId);
        await tx.callEvent.create({
          data: {
            id: newRowId(),
            callId,
            type: DELIVERY_EVENT_TYPES[failure.kind],
            source: "ivr",
            detail: failure.cause,
            at: failure.at,
          },
        });
        const evidence: CallEvidence =
          failure.kind === "not-played"
            ? { kind: "message-missing", cause: failure.cause }
            : { kind: "playback-unconfirmed", cause: failure.cause };
        await refineFinal(
          tx,
          callId,
          before,
          evidence,
          failure.at,
          failure.kind === "not-played" ? "message missing" : "playback not confirmed",
        );
      });
    },

    async recordHeard(callId, ms) {
      // Only ever raise: a replay that is cut short must not lower what was heard before.
      await db.call.updateMany({
        where: { id: callId, OR: [{ heardMs: null }, { heardMs: { lt: ms } }] },
        data: { heardMs: ms },
      });
    },

    async recordAnswered(callId, at) {
      // One transaction so the state change and its timeline entry are never seen apart.
      await db.$transaction(async (tx) => {
        await tx.call.updateMany({ where: { id: callId, answeredAt: null }, data: { answeredAt: at } });
        const moved = await tx.call.updateMany({
          where: { id: callId, state: { in: ANSWERABLE_STATES } },
          data: { state: "answered" },
        });
        if (moved.count === 1) {
          await tx.callEvent.create({
            data: { id: newRowId(), callId, type: "answered", source: "ivr", detail: "IVR session opened", at },
          });
        }
      });
    },

    async recordFailureReason(callId, reason, at, attempt) {
      const result = stateForReason(reason);
      const write = () =>
        db.$transaction(async (tx) => {
          const before = await finalStatus(tx, callId);
          const call = await tx.call.findUnique({ where: { id: callId }, select: { currentFile: true, maxRetries: true } });
          if (!call) return "recorded" as const;
          const fileName = call.currentFile ?? "";
          // Without AST_OUTGOING_ATTEMPT the reports arrive in attempt order: the next one without a reason.
          const n = attempt ?? (await tx.callAttempt.count({ where: { callId, fileName, reason: { not: null } } })) + 1;
          // Asterisk runs the failed extension once per attempt: a second report is a replay.
          const held = await tx.callAttempt.findUnique({
            where: { callId_fileName_n: { callId, fileName, n } },
            select: { reason: true },
          });
          if (held?.reason != null) return "duplicate" as const;
          // A file allows MaxRetries + 1 attempts (AST_OUTGOING_ATTEMPT is attempts used + 1): a
          // report for a later one is made up.
          if (n > call.maxRetries + 1) return "beyond-attempts" as const;
          // The reconciler may already hold this attempt (from StartRetry/EndRetry): merge into it.
          await tx.callAttempt.upsert({
            where: { callId_fileName_n: { callId, fileName, n } },
            create: { callId, fileName, n, endedAt: at, result, reason: String(reason) },
            update: { result, reason: String(reason) },
          });
          await tx.callEvent.create({
            data: {
              id: newRowId(),
              callId,
              type: "attempt.failed",
              source: "ivr",
              at,
              detail: `attempt ${n}: ${REASON_TEXT[result]} (REASON ${reason})`,
            },
          });
          // Asterisk archives the file right after the failed extension ends; this write may
          // still land after the reconciler read the archive: refine its outcome then.
          await refineFinal(
            tx,
            callId,
            before,
            { kind: "failure-reason", attempt: n, reason: String(reason) },
            at,
            `REASON ${reason} of attempt ${n}`,
          );
          return "recorded" as const;
        });
      try {
        return await write();
      } catch (error) {
        // The reconciler inserted the same attempt between our read and insert: merge into its row.
        if ((error as { code?: string }).code !== "P2002") throw error;
        return await write();
      }
    },

    async recordContactLeg(callId, report, at) {
      // A timeline event only: the call's state stays the engine's (the desk leg's archive decides it).
      await db.callEvent.create({
        data: { id: newRowId(), callId, type: CONTACT_LEG_EVENT, source: "ivr", detail: formatContactLegDetail(report), at },
      });
    },

    async recordAuthFailure(info) {
      // The claimed call id is attacker-controlled: keep it only when such a call exists.
      const exists = info.callId ? (await db.call.count({ where: { id: info.callId } })) > 0 : false;
      await db.auditEvent.create({
        data: {
          at: info.at,
          actorType: "system",
          actorName: "ivr-server",
          action: "ivr.auth_failed",
          targetType: "call",
          targetId: exists ? info.callId : null,
          summary: `IVR session refused from ${info.remote}: ${info.reason}${info.callId && !exists ? ` (claimed call ${info.callId})` : ""}`,
          ip: info.remote.replace(/:\d+$/, ""),
        },
      });
    },
  };
}
