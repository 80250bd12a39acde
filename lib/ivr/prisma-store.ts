/**
 * The IvrStore on the Spoolcast database. IVR facts go to Call (answeredAt, ackDigit, ackAt,
 * heardMs), the timeline to CallEvent (source "ivr"), failure reasons to CallAttempt, refused
 * sessions to AuditEvent. Call.state is left to the engine, except the one move an IVR
 * session proves: an active call whose callee answered becomes `answered`.
 */
import type { Db } from "@/lib/db";
import { stateForReason } from "@/lib/engine/call-state";
import { parseCallScript, ScriptError } from "./scripts";
import type { IvrStore } from "./store";

const ANSWERABLE_STATES = ["spooled", "dialling", "retry-wait"];
const REASON_TEXT: Record<string, string> = {
  "no-answer": "no answer",
  busy: "busy",
  congestion: "congestion",
  failed: "failed",
};

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
      };
    },

    async recordEvent(callId, event) {
      await db.callEvent.create({ data: { callId, type: event.type, detail: event.detail ?? "", at: event.at, source: "ivr" } });
    },

    async recordAck(callId, digit, at) {
      await db.$transaction(async (tx) => {
        await tx.call.update({ where: { id: callId }, data: { ackDigit: digit, ackAt: at } });
        // The reconciler may have closed the call before this key press reached the database
        // (the write waited out a database restart): the callee did confirm, so say so.
        const late = await tx.call.updateMany({
          where: { id: callId, state: "not-acknowledged" },
          data: { state: "acknowledged", outcome: "acknowledged", reason: `acknowledged with ${digit}` },
        });
        if (late.count === 1) {
          await tx.callEvent.create({
            data: {
              callId,
              type: "acknowledged",
              source: "ivr",
              detail: `key ${digit} pressed at ${at.toISOString()}, stored after the call was closed`,
              at: new Date(),
            },
          });
        }
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
          await tx.callEvent.create({ data: { callId, type: "answered", source: "ivr", detail: "IVR session opened", at } });
        }
      });
    },

    async recordFailureReason(callId, reason, at, attempt) {
      const result = stateForReason(reason);
      const write = () =>
        db.$transaction(async (tx) => {
          const call = await tx.call.findUnique({ where: { id: callId }, select: { currentFile: true } });
          if (!call) return;
          const fileName = call.currentFile ?? "";
          // Without AST_OUTGOING_ATTEMPT the reports arrive in attempt order: the next one without a reason.
          const n = attempt ?? (await tx.callAttempt.count({ where: { callId, fileName, reason: { not: null } } })) + 1;
          // The reconciler may already hold this attempt (from StartRetry/EndRetry): merge into it.
          await tx.callAttempt.upsert({
            where: { callId_fileName_n: { callId, fileName, n } },
            create: { callId, fileName, n, endedAt: at, result, reason: String(reason) },
            update: { result, reason: String(reason) },
          });
          await tx.callEvent.create({
            data: {
              callId,
              type: "attempt.failed",
              source: "ivr",
              at,
              detail: `attempt ${n}: ${REASON_TEXT[result]} (REASON ${reason})`,
            },
          });
        });
      try {
        await write();
      } catch (error) {
        // The reconciler inserted the same attempt between our read and insert: merge into its row.
        if ((error as { code?: string }).code !== "P2002") throw error;
        await write();
      }
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
