/**
 * Login rate limit: at most LOGIN_MAX_FAILURES failed sign-ins per email + IP address within
 * LOGIN_WINDOW_MS, and LOGIN_MAX_FAILURES_PER_EMAIL per email from all addresses together
 * (the address is the TCP peer, or what a proxy named in TRUST_PROXY saw: lib/net; an
 * attacker with many addresses still gets 5 tries from each, so the per-email ceiling is what
 * stops a spread-out guessing attack). Attempts live in the `LoginAttempt` table so every server process (and
 * worker) shares the count. A successful sign-in clears the key's failures.
 */
import type { Db } from "@/lib/db";

export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_MAX_FAILURES_PER_EMAIL = 25;
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;

/** The limiter key: the lower-cased email and the client address. */
export function loginAttemptKey(email: string, ip: string | null | undefined): string {
  return `${email.trim().toLowerCase()}|${ip ?? "unknown"}`.slice(0, 400);
}

export type RateLimitStatus = { allowed: true } | { allowed: false; retryAt: Date; retryAfterSeconds: number };

async function checkOne(
  db: Db,
  where: { key: string } | { key: { startsWith: string } },
  max: number,
  now: Date,
): Promise<RateLimitStatus> {
  const since = new Date(now.getTime() - LOGIN_WINDOW_MS);
  const recent = await db.loginAttempt.findMany({
    where: { ...where, createdAt: { gt: since } },
    orderBy: { createdAt: "desc" },
    take: max,
    select: { createdAt: true },
  });
  if (recent.length < max) return { allowed: true };
  // The oldest of the last N failures leaves the window first, freeing one attempt.
  const oldest = recent[recent.length - 1]!.createdAt;
  const retryAt = new Date(oldest.getTime() + LOGIN_WINDOW_MS);
  return { allowed: false, retryAt, retryAfterSeconds: Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000)) };
}

/** Whether another attempt is allowed now; if not, when the oldest counted failure ages out. */
export async function checkLoginRateLimit(
  db: Db,
  input: { email: string; ip: string | null | undefined },
  now: Date = new Date(),
): Promise<RateLimitStatus> {
  const key = loginAttemptKey(input.email, input.ip);
  const perAddress = await checkOne(db, { key }, LOGIN_MAX_FAILURES, now);
  if (!perAddress.allowed) return perAddress;
  const emailPrefix = key.slice(0, key.lastIndexOf("|") + 1);
  return checkOne(db, { key: { startsWith: emailPrefix } }, LOGIN_MAX_FAILURES_PER_EMAIL, now);
}

/** Counts one failed attempt, and drops attempts older than the window (any key). */
export async function recordLoginFailure(db: Db, key: string, now: Date = new Date()): Promise<void> {
  await db.loginAttempt.create({ data: { key, createdAt: now } });
  await db.loginAttempt.deleteMany({ where: { createdAt: { lte: new Date(now.getTime() - LOGIN_WINDOW_MS) } } });
}

/** Forgets a key's failures after a successful sign-in. */
export async function clearLoginFailures(db: Db, key: string): Promise<void> {
  await db.loginAttempt.deleteMany({ where: { key } });
}

/** "Too many attempts" text with the wait in minutes (or seconds under a minute). */
export function describeRetryAfter(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
