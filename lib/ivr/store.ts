/**
 * What the IVR server needs from persistence, as a narrow interface so the engine, tests and
 * the benchmark can plug in the database (prisma-store.ts) or memory (createMemoryStore).
 * The IVR records facts (answered, digits, heard time, failure reasons); the engine owns
 * final call states and reads these facts when the archived call file arrives.
 */
import type { ContactLegReport } from "@/lib/calls/contact-leg";
import { lateKeyAccepted } from "./liveness";
import type { CallScript } from "./scripts";

/** What a session needs to know about its call. */
export type IvrCallInfo = {
  id: string;
  kind: string;
  state: string;
  /** Already parsed and validated; a bad scriptJson is reported as `scriptError` instead. */
  script: CallScript | null;
  scriptError?: string;
  /** Sound name of the call's audio (AudioMessage.soundName), if any. */
  messageSound: string | null;
  messageDurationMs: number | null;
  /** When the call reached its final state (Call.endedAt); a token is honoured only shortly after (liveness.ts). */
  endedAt?: Date | null;
};

/** One timeline entry (CallEvent with source "ivr"). */
export type IvrTimelineEvent = { type: string; detail?: string; at: Date };

export type IvrAuthFailure = {
  /** The call id the session claimed, if it gave one. */
  callId: string | null;
  remote: string;
  reason: string;
  at: Date;
};

export type IvrStore = {
  loadCall(callId: string): Promise<IvrCallInfo | null>;
  recordEvent(callId: string, event: IvrTimelineEvent): Promise<void>;
  /**
   * The key that answered the script (ack, or a wake-up's confirm/snooze) and when. A call
   * already final takes it only from a session opened while the call was live, pressed within
   * the grace after its end (liveness.ts lateKeyAccepted); otherwise it is ignored.
   */
  recordAck(callId: string, digit: string, at: Date, session?: { openedWhileLive: boolean }): Promise<void>;
  /** Milliseconds of the message heard; only ever raised, never lowered. */
  recordHeard(callId: string, ms: number): Promise<void>;
  /** A session opened: the callee answered. */
  recordAnswered(callId: string, at: Date): Promise<void>;
  /**
   * One failed dial attempt and Asterisk's ${REASON} for it. `attempt` is
   * AST_OUTGOING_ATTEMPT when Asterisk provided it. Accepted once per attempt: `duplicate`
   * when that attempt of the current file already has a reported reason (a replay).
   */
  recordFailureReason(callId: string, reason: number, at: Date, attempt?: number): Promise<FailureReportResult>;
  /**
   * The message was not delivered: Asterisk answered its S/A with Z (`not-played`), or the
   * playback watchdog saw no F in time (`playback-unconfirmed`). `cause` is said to the user.
   */
  recordDeliveryFailure(callId: string, failure: DeliveryFailure): Promise<void>;
  recordAuthFailure(info: IvrAuthFailure): Promise<void>;
  /** A click-to-call's contact leg as the dialplan's `h` extension reported it (DIALSTATUS, ANSWEREDTIME). */
  recordContactLeg(callId: string, report: ContactLegReport, at: Date): Promise<void>;
};

/** `beyond-attempts`: the report names an attempt the call file does not allow (MaxRetries + 1). */
export type FailureReportResult = "recorded" | "duplicate" | "beyond-attempts";

export type DeliveryFailure = { kind: "not-played" | "playback-unconfirmed"; cause: string; at: Date };

/** Everything a memory store saw, for tests and the benchmark. */
export type MemoryStoreState = {
  calls: Map<string, IvrCallInfo>;
  events: Array<{ callId: string } & IvrTimelineEvent>;
  acks: Map<string, { digit: string; at: Date }>;
  heard: Map<string, number>;
  answered: Map<string, Date>;
  failures: Array<{ callId: string; reason: number; at: Date; attempt?: number }>;
  deliveryFailures: Array<{ callId: string } & DeliveryFailure>;
  authFailures: IvrAuthFailure[];
  contactLegs: Array<{ callId: string; at: Date } & ContactLegReport>;
};

/** An in-memory IvrStore holding the given calls. */
export function createMemoryStore(calls: IvrCallInfo[] = []): IvrStore & { state: MemoryStoreState } {
  const state: MemoryStoreState = {
    calls: new Map(calls.map((c) => [c.id, c])),
    events: [],
    acks: new Map(),
    heard: new Map(),
    answered: new Map(),
    failures: [],
    deliveryFailures: [],
    authFailures: [],
    contactLegs: [],
  };
  return {
    state,
    async loadCall(callId) {
      return state.calls.get(callId) ?? null;
    },
    async recordEvent(callId, event) {
      state.events.push({ callId, ...event });
    },
    async recordAck(callId, digit, at, session) {
      const call = state.calls.get(callId);
      if (call && !lateKeyAccepted({ state: call.state, endedAt: call.endedAt ?? null }, at, session?.openedWhileLive ?? false))
        return;
      state.acks.set(callId, { digit, at });
    },
    async recordHeard(callId, ms) {
      state.heard.set(callId, Math.max(ms, state.heard.get(callId) ?? 0));
    },
    async recordAnswered(callId, at) {
      if (!state.answered.has(callId)) state.answered.set(callId, at);
    },
    async recordFailureReason(callId, reason, at, attempt) {
      if (attempt !== undefined && state.failures.some((f) => f.callId === callId && f.attempt === attempt)) return "duplicate";
      state.failures.push({ callId, reason, at, attempt });
      return "recorded";
    },
    async recordDeliveryFailure(callId, failure) {
      state.deliveryFailures.push({ callId, ...failure });
    },
    async recordAuthFailure(info) {
      state.authFailures.push(info);
    },
    async recordContactLeg(callId, report, at) {
      state.contactLegs.push({ callId, at, ...report });
    },
  };
}
