/**
 * Calls queued before Spoolcast knew about valid-until (the column came with issue 22) have
 * none, and the claim step would dial them however late: the very calls that rang a guest
 * 11 days late. At start-up, before the engine claims anything, each queued call without a
 * valid-until gets the one it would have been given at enqueue (lib/engine/valid-until.ts):
 * its scheduled time plus its kind's window from the site settings, a wake-up booking's own
 * tolerance, and a campaign call also its campaign's end. Those already past it are then
 * missed by the claim step like any other stale call. Idempotent: it only touches nulls.
 */
import type { Db } from "@/lib/db";
import type { CallKind } from "@/lib/calls/call-state-machine";
import { validUntilFor } from "@/lib/engine/valid-until";
import { getCallWindows } from "@/lib/settings/call-windows";

const BATCH = 500;

/** Gives every queued call without a valid-until its own; returns how many it set. */
export async function backfillValidUntil(db: Db): Promise<number> {
  const windows = await getCallWindows(db);
  let done = 0;
  for (;;) {
    const calls = await db.call.findMany({
      where: { state: "queued", validUntil: null },
      select: {
        id: true,
        kind: true,
        scheduledAt: true,
        wakeUp: { select: { toleranceMinutes: true } },
        campaign: { select: { endAt: true } },
      },
      orderBy: { scheduledAt: "asc" },
      take: BATCH,
    });
    for (const c of calls) {
      const kind = c.kind as CallKind;
      const own = c.wakeUp?.toleranceMinutes;
      const validUntil = validUntilFor(kind, c.scheduledAt, {
        windowMs: own ? own * 60_000 : windows[kind],
        limit: c.campaign?.endAt ?? null,
      });
      // Guarded on the null: a call the engine claimed or ended meanwhile keeps what it has.
      const r = await db.call.updateMany({ where: { id: c.id, validUntil: null }, data: { validUntil } });
      done += r.count;
    }
    if (calls.length < BATCH) return done;
  }
}
