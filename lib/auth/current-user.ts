/**
 * The signed-in user of the current request, read from the `spoolcast_session` cookie.
 * This module and lib/actions/ are the only parts of lib/ bound to Next.js (next/headers,
 * next/navigation): they adapt the framework-free session code to pages, layouts, server
 * actions and route handlers.
 *
 * - `getCurrentUser()`   the user or null; memoised per request (React `cache`).
 * - `requireUser()`      the user, or a redirect to /login (or /setup on a fresh install).
 * - `requireCapability()` the user if they may `cap`, else a redirect to /forbidden.
 * - `getRequestIp()`     the client address for the audit log and the login rate limit.
 */
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { db } from "@/lib/db";
import { can, type Capability } from "@/lib/auth/capabilities";
import { SESSION_COOKIE, validateSession, type SessionUser } from "@/lib/auth/session";
import { isSetupRequired } from "@/lib/auth/setup";

export type { SessionUser } from "@/lib/auth/session";

/** The user behind the request's session cookie, or null. */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  // The DB row's expiry slides here; proxy.ts slides the cookie's own expiry alongside.
  const session = await validateSession(db(), token);
  return session?.user ?? null;
});

/** The signed-in user; anonymous requests go to /login, or /setup while no user exists. */
export async function requireUser(): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (user) return user;
  if (await isSetupRequired(db())) redirect("/setup");
  redirect("/login");
}

/** The signed-in user when they hold `capability`; otherwise a redirect to /forbidden. */
export async function requireCapability(capability: Capability): Promise<SessionUser> {
  const user = await requireUser();
  if (!can(user, capability)) redirect("/forbidden");
  return user;
}

/**
 * The client's address: the first X-Forwarded-For entry (Next.js sets the header to the
 * socket address when no proxy did), else X-Real-IP. Used for audit and rate limiting only,
 * never for access decisions.
 */
export async function getRequestIp(): Promise<string | null> {
  const h = await headers();
  const forwarded = h.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || h.get("x-real-ip")?.trim() || null;
}

/** True when the browser reached us over https (directly or through a TLS proxy). */
export async function isSecureRequest(): Promise<boolean> {
  const h = await headers();
  return (h.get("x-forwarded-proto") ?? "").split(",")[0]?.trim() === "https";
}
