/**
 * The call timeline: every state change is a CallEvent whose type is the new state
 * (lib/engine/call-state.ts), plus "late-archive" for an earlier file of a re-queued call.
 * The IVR store adds its own events (source "ivr"). Rows are written by lib/engine/bulk.ts.
 */
import type { CallState } from "@/lib/engine/call-state";

export type EventSource = "engine" | "asterisk" | "ivr" | "user";

export type TimelineEvent = {
  callId: string;
  type: CallState | "late-archive";
  source: EventSource;
  detail?: string;
  at?: Date;
};
