/**
 * Cancels the not-yet-rung calls of occurrences (edit and cancel). A call Asterisk is
 * already dialling cannot be taken back: its occurrence is left to finish and reported.
 */
import type { Db } from "@/lib/db";
import { cancelCall } from "@/lib/engine/calls";

export type OccurrenceCancel = { occurrenceId: string; cancelled: boolean };

export async function cancelOccurrenceCalls(
  db: Db,
  occurrences: { id: string; callId: string | null }[],
  actorName: string,
  afterCancel: (occurrenceId: string) => Promise<void>,
): Promise<OccurrenceCancel[]> {
  const out: OccurrenceCancel[] = [];
  for (const o of occurrences) {
    let ok = true;
    if (o.callId) ok = (await cancelCall(o.callId, { name: actorName }, { db })).cancelled;
    if (ok) await afterCancel(o.id);
    out.push({ occurrenceId: o.id, cancelled: ok });
  }
  return out;
}

/** Occurrence states whose call has not rung yet (or is between snoozes). */
export const OPEN_OCCURRENCE_STATES = ["pending", "snoozed", "retrying"];
