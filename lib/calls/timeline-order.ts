/**
 * The order a call's timeline is shown in. Timestamps alone do not give it: Asterisk's
 * bookkeeping lines carry whole seconds (a StartRetry at 10:00:05 is stored as 10:00:05.000)
 * while the engine and the IVR stamp milliseconds, and the engine records "spooled" only after
 * the whole batch of files was written, when Asterisk may already have connected the IVR. So
 * within one second the lifecycle decides first (queued and spooled, then dialling, then
 * everything else), then the insertion sequence: CallEvent ids are lib/engine/bulk.ts
 * `newRowId`, which sort by creation time and, within a millisecond, by creation order.
 */

export type OrderableEvent = { id: string; at: Date; type: string; source: string };

/** Before anything Asterisk did with the file. */
const HANDED_OVER = new Set(["spooled"]);
/** Asterisk dialling, before any answer. */
const DIALLING = new Set(["dialling", "retry-wait", "attempt.failed"]);

function lifecycleRank(e: OrderableEvent): number {
  // A re-queue by a user is a new step after whatever ended the call; only the first queueing leads.
  if (e.type === "queued" && e.source === "engine") return 0;
  if (HANDED_OVER.has(e.type)) return 1;
  if (DIALLING.has(e.type)) return 2;
  return 3;
}

const second = (d: Date) => Math.floor(d.getTime() / 1000);

/** A new array in display order; the input is not changed. */
export function orderTimeline<T extends OrderableEvent>(events: readonly T[]): T[] {
  return [...events].sort(
    (a, b) =>
      second(a.at) - second(b.at) ||
      lifecycleRank(a) - lifecycleRank(b) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
      a.at.getTime() - b.at.getTime(),
  );
}
