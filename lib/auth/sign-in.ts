/**
 * Sign-in and sign-out: password check under the login rate limit, then a new DB session.
 * Unknown email and wrong password give the same message and take the same time.
 */
import type { Db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/record-audit";
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from "@/lib/auth/password";
import {
  checkLoginRateLimit,
  clearLoginFailures,
  describeRetryAfter,
  loginAttemptKey,
  recordLoginFailure,
} from "@/lib/auth/rate-limit";
import { createSession, destroySession, hashSessionToken, pruneExpiredSessions, type SessionUser } from "@/lib/auth/session";
import { UserError } from "@/lib/errors";

export const BAD_CREDENTIALS = "Email or password is incorrect.";

/** Checks the credentials and opens a session; throws a UserError the form can show. */
export async function signIn(
  db: Db,
  input: { email: string; password: string; ip?: string | null; userAgent?: string | null; now?: Date },
): Promise<{ token: string; expiresAt: Date; user: SessionUser }> {
  const now = input.now ?? new Date();
  const email = input.email.trim().toLowerCase();
  const key = loginAttemptKey(email, input.ip);
  const limit = await checkLoginRateLimit(db, { email, ip: input.ip }, now);
  if (!limit.allowed) {
    throw new UserError(`Too many failed sign-in attempts. Try again in ${describeRetryAfter(limit.retryAfterSeconds)}.`);
  }
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, role: true, deskEndpoint: true, disabled: true, passwordHash: true },
  });
  const ok = user ? await verifyPassword(user.passwordHash, input.password) : await verifyAgainstDummy(input.password);
  if (!user || !ok) {
    await recordLoginFailure(db, key, now);
    throw new UserError(BAD_CREDENTIALS);
  }
  if (user.disabled) throw new UserError("This account is disabled. Ask an administrator to re-enable it.");

  await clearLoginFailures(db, key);
  await db.user.update({
    where: { id: user.id },
    data: {
      lastLoginAt: now,
      // Stored hashes follow the current cost parameters as users sign in.
      ...(needsRehash(user.passwordHash) ? { passwordHash: await hashPassword(input.password) } : {}),
    },
  });
  await pruneExpiredSessions(db, now);
  const session = await createSession(db, { userId: user.id, ip: input.ip, userAgent: input.userAgent, now });
  await recordAudit(db, {
    actor: { type: "user", id: user.id, name: user.name },
    action: "auth.login",
    targetType: "user",
    targetId: user.id,
    summary: `${user.name} signed in`,
    ip: input.ip,
  });
  const { passwordHash: _hash, disabled: _disabled, ...sessionUser } = user;
  return { ...session, user: sessionUser };
}

/** Ends the session behind a cookie value and records who signed out. */
export async function signOut(db: Db, input: { token: string | undefined | null; ip?: string | null }): Promise<void> {
  if (!input.token) return;
  const session = await db.session.findUnique({
    where: { id: hashSessionToken(input.token) },
    select: { user: { select: { id: true, name: true } } },
  });
  await destroySession(db, input.token);
  if (session) {
    await recordAudit(db, {
      actor: { type: "user", id: session.user.id, name: session.user.name },
      action: "auth.logout",
      targetType: "user",
      targetId: session.user.id,
      summary: `${session.user.name} signed out`,
      ip: input.ip,
    });
  }
}
