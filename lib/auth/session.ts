/**
 * Browser sessions stored in the database. The cookie holds 32 random bytes (base64url); the
 * `Session` row's id is the SHA-256 of that value, so a leaked database cannot be replayed as
 * cookies. Sessions last 7 days from the last request (sliding), and end at once when the
 * user is disabled or signs out. Framework-free: current-user.ts binds it to Next's cookies.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/lib/db";

export const SESSION_COOKIE = "spoolcast_session";
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
// Extending on every request would write on every page view; once a minute is plenty for
// a 7-day window and keeps `lastSeenAt` useful.
const TOUCH_INTERVAL_MS = 60 * 1000;

/** The user fields every request needs; no secret columns. */
export type SessionUser = {
  id: string;
  email: string;
  name: string;
  role: string;
  deskEndpoint: string | null;
};

export type SessionCookieOptions = {
  httpOnly: true;
  sameSite: "lax";
  secure: boolean;
  path: "/";
  expires: Date;
};

/** SHA-256 (hex) of a cookie value: the only form in which a session token is stored. */
export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Cookie attributes for a session token; `secure` when the request came over https. */
export function sessionCookieOptions(expiresAt: Date, secure: boolean): SessionCookieOptions {
  return { httpOnly: true, sameSite: "lax", secure, path: "/", expires: expiresAt };
}

/** Starts a session for `userId`; returns the cookie value (shown once, never stored). */
export async function createSession(
  db: Db,
  input: { userId: string; ip?: string | null; userAgent?: string | null; now?: Date },
): Promise<{ token: string; expiresAt: Date }> {
  const now = input.now ?? new Date();
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.session.create({
    data: {
      id: hashSessionToken(token),
      userId: input.userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
      ip: input.ip?.slice(0, 100) ?? null,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    },
  });
  return { token, expiresAt };
}

/**
 * The user behind a cookie value, or null when the session is unknown, expired or belongs to
 * a disabled user. Slides the expiry forward (at most once a minute); `renewedUntil` is set
 * when it did, so the caller can refresh the cookie's own expiry.
 */
export async function validateSession(
  db: Db,
  token: string | undefined | null,
  now: Date = new Date(),
): Promise<{ user: SessionUser; sessionId: string; renewedUntil?: Date } | null> {
  if (!token || token.length > 200) return null;
  const id = hashSessionToken(token);
  const session = await db.session.findUnique({
    where: { id },
    select: {
      expiresAt: true,
      lastSeenAt: true,
      user: { select: { id: true, email: true, name: true, role: true, deskEndpoint: true, disabled: true } },
    },
  });
  if (!session) return null;
  if (session.expiresAt.getTime() <= now.getTime() || session.user.disabled) {
    await db.session.deleteMany({ where: { id } });
    return null;
  }
  const { disabled: _disabled, ...user } = session.user;
  if (now.getTime() - session.lastSeenAt.getTime() < TOUCH_INTERVAL_MS) return { user, sessionId: id };
  const renewedUntil = new Date(now.getTime() + SESSION_TTL_MS);
  await db.session.updateMany({ where: { id }, data: { lastSeenAt: now, expiresAt: renewedUntil } });
  return { user, sessionId: id, renewedUntil };
}

/** Ends the session behind a cookie value (sign-out). Unknown tokens are ignored. */
export async function destroySession(db: Db, token: string | undefined | null): Promise<void> {
  if (!token) return;
  await db.session.deleteMany({ where: { id: hashSessionToken(token) } });
}

/** Ends every session of a user (disabled, role changed, password reset). */
export async function destroyUserSessions(db: Db, userId: string): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { userId } });
  return count;
}

/** Deletes expired sessions; returns how many. Cheap enough to run on each sign-in. */
export async function pruneExpiredSessions(db: Db, now: Date = new Date()): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}
