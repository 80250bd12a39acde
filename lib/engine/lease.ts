/**
 * One engine worker owns a host at a time (HostLease): it alone dispatches, recovers and
 * reconciles that host. The lease is renewed on every pass; another worker takes it over
 * once it has expired (the owner died or stalled). Conditional updates only, so the same
 * code is correct on SQLite and PostgreSQL with any number of workers.
 */
import type { Db } from "@/lib/db";

/** True when `owner` holds (or just took) the lease of `hostId` until now + ttlMs. */
export async function acquireLease(db: Db, hostId: string, owner: string, ttlMs: number, now = new Date()): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + ttlMs);
  const taken = await db.hostLease.updateMany({
    where: { hostId, OR: [{ owner }, { expiresAt: { lt: now } }] },
    data: { owner, expiresAt, heartbeatAt: now },
  });
  if (taken.count === 1) return true;
  const existing = await db.hostLease.findUnique({ where: { hostId }, select: { owner: true } });
  if (existing) return false;
  try {
    await db.hostLease.create({ data: { hostId, owner, expiresAt, heartbeatAt: now } });
    return true;
  } catch {
    // Another worker created it between our read and our insert (unique hostId).
    return false;
  }
}

/** Gives the lease up (clean shutdown) so another worker need not wait for expiry. */
export async function releaseLease(db: Db, hostId: string, owner: string): Promise<void> {
  await db.hostLease.deleteMany({ where: { hostId, owner } });
}
