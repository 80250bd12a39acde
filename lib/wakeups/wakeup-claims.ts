/**
 * Claims on wake-up occurrences: the step between "this occurrence needs a call" and "its
 * call exists". A claim names its owner (the process id of the scheduler pass or of the
 * service that made it) and lasts until claimExpiresAt. Only an expired claim is put back to
 * pending: a live one belongs to a process that may be enqueueing the call right now, and
 * resetting it would let a second process ring the same guest again. (Earlier every start of
 * any engine process reset every claim, whoever held it.)
 *
 * The owner records its call only while the claim is still its own; if it overran the claim
 * and someone else took the occurrence back, the caller cancels its surplus call.
 */
import type { Db } from "@/lib/db";

/** How long a claim lasts: far longer than enqueueing one call takes. */
export const DEFAULT_CLAIM_TTL_MS = 60_000;

export type ClaimSpec = { owner: string; ttlMs?: number };

/** Claims a pending occurrence without a call; true when this owner now holds it. */
export async function claimOccurrence(db: Db, id: string, claim: ClaimSpec, now: Date): Promise<boolean> {
  const r = await db.wakeUpOccurrence.updateMany({
    where: { id, state: "pending", callId: null },
    data: {
      state: "claimed",
      claimedBy: claim.owner,
      claimExpiresAt: new Date(now.getTime() + (claim.ttlMs ?? DEFAULT_CLAIM_TTL_MS)),
    },
  });
  return r.count === 1;
}

/** Records the claim's call and ends the claim; false when the claim was no longer ours. */
export async function recordClaimedCall(db: Db, id: string, owner: string, callId: string): Promise<boolean> {
  const r = await db.wakeUpOccurrence.updateMany({
    where: { id, state: "claimed", claimedBy: owner, callId: null },
    data: { state: "pending", callId, claimedBy: null, claimExpiresAt: null },
  });
  return r.count === 1;
}

/** Gives a claim back (its call could not be made); a claim someone else holds is left alone. */
export async function releaseClaim(db: Db, id: string, owner: string): Promise<void> {
  await db.wakeUpOccurrence.updateMany({
    where: { id, state: "claimed", claimedBy: owner, callId: null },
    data: { state: "pending", claimedBy: null, claimExpiresAt: null },
  });
}

/**
 * Expired claims (their owner died or stalled between claiming and enqueueing) go back to
 * pending. A claim without an expiry was made before claims had one and counts as expired.
 */
export async function recoverExpiredClaims(db: Db, now: Date): Promise<number> {
  const r = await db.wakeUpOccurrence.updateMany({
    where: { state: "claimed", callId: null, OR: [{ claimExpiresAt: null }, { claimExpiresAt: { lt: now } }] },
    data: { state: "pending", claimedBy: null, claimExpiresAt: null },
  });
  return r.count;
}
