/**
 * The call timeline: every state change is a CallEvent whose type is the new state
 * (lib/engine/call-state.ts), plus a few informational types ("late-archive", "spool-error").
 */
import type { Tx } from "@/lib/db";
import type { CallState } from "@/lib/engine/call-state";

export type EventSource = "engine" | "asterisk" | "ivr" | "user";

export type TimelineEvent = {
  callId: string;
  type: CallState | "late-archive" | "spool-error";
  source: EventSource;
  detail?: string;
  at?: Date;
};

/** Rows for `callEvent.createMany`. */
export function eventRows(events: TimelineEvent[]) {
  return events.map((e) => ({
    callId: e.callId,
    type: e.type,
    source: e.source,
    detail: e.detail ?? "",
    ...(e.at ? { at: e.at } : {}),
  }));
}

/** Stores events inside the caller's transaction. */
export async function recordEvents(tx: Tx, events: TimelineEvent[]): Promise<void> {
  if (events.length > 0) await tx.callEvent.createMany({ data: eventRows(events) });
}
