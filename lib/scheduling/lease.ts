/**
 * Named leases for background schedulers (SchedulerLease): one process at a time runs a
 * given scheduler (campaigns, wake-ups). The holder renews its lease on every tick; another
 * process takes it over only once it has expired (the holder died or stalled). Conditional
 * updates only, so it is correct on SQLite and PostgreSQL with any number of processes, like
 * the engine's per-host lease (lib/engine/lease.ts).
 */
import type { Db } from "@/lib/db";

export type LeaseSpec = { name: string; owner: string; ttlMs: number };

/** True when `owner` holds (or just took) the lease `name` until now + ttlMs. */
export async function acquireSchedulerLease(db: Db, lease: LeaseSpec, now = new Date()): Promise<boolean> {
  const { name, owner, ttlMs } = lease;
  const expiresAt = new Date(now.getTime() + ttlMs);
  const taken = await db.schedulerLease.updateMany({
    where: { name, OR: [{ owner }, { expiresAt: { lt: now } }] },
    data: { owner, expiresAt, heartbeatAt: now },
  });
  if (taken.count === 1) return true;
  if (await db.schedulerLease.findUnique({ where: { name }, select: { name: true } })) return false;
  try {
    await db.schedulerLease.create({ data: { name, owner, expiresAt, heartbeatAt: now } });
    return true;
  } catch {
    // Another process created it between our read and our insert (unique name).
    return false;
  }
}

/** Gives the lease up (clean stop) so another process need not wait for it to expire. */
export async function releaseSchedulerLease(db: Db, lease: Pick<LeaseSpec, "name" | "owner">): Promise<void> {
  await db.schedulerLease.deleteMany({ where: { name: lease.name, owner: lease.owner } });
}
