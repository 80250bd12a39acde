/**
 * The signed-in user of the current request, read from the `spoolcast_session` cookie.
 * This module and lib/actions/ are the only parts of lib/ bound to Next.js (next/headers,
 * next/navigation): they adapt the framework-free session code to pages, layouts, server
 * actions and route handlers.
 *
 * - `getCurrentUser()`   the user or null; memoised per request (React `cache`).
 * - `getCurrentSessionId()` the session's id (token hash), e.g. to keep it alive.
 * - `requireUser()`      the user, or a redirect to /login (or /setup on a fresh install).
 * - `requireCapability()` the user if they may `cap`, else a redirect to /forbidden.
 * - `getRequestIp()`     the client address for the audit log and the login rate limit.
 */
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { requestClientAddress } from "@/lib/net/request-address";
import { can, type Capability } from "@/lib/auth/capabilities";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { SESSION_COOKIE, validateSession, type SessionUser } from "@/lib/auth/session";
import { isSetupRequired } from "@/lib/auth/setup";

export type { SessionUser } from "@/lib/auth/session";

const getCurrentSession = cache(async () => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  // The DB row's expiry slides here; proxy.ts slides the cookie's own expiry alongside.
  return validateSession(db(), token);
});

/** The user behind the request's session cookie, or null. */
export async function getCurrentUser(): Promise<SessionUser | null> {
  return (await getCurrentSession())?.user ?? null;
}

/** The id (token hash) of the request's session, or null; e.g. to keep it when ending others. */
export async function getCurrentSessionId(): Promise<string | null> {
  return (await getCurrentSession())?.sessionId ?? null;
}

/**
 * The signed-in user; anonymous requests go to /login (with `next` set to the page they
 * asked for, which proxy.ts passes in `x-spoolcast-path`), or /setup while no user exists.
 */
export async function requireUser(): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (user) return user;
  if (await isSetupRequired(db())) redirect("/setup");
  const next = safeRedirectPath((await headers()).get("x-spoolcast-path"), "");
  redirect(next && next !== "/" ? `/login?next=${encodeURIComponent(next)}` : "/login");
}

/** The signed-in user when they hold `capability`; otherwise a redirect to /forbidden. */
export async function requireCapability(capability: Capability): Promise<SessionUser> {
  const user = await requireUser();
  if (!can(user, capability)) redirect("/forbidden");
  return user;
}

/**
 * The client's address (lib/net/request-address.ts): the TCP peer stamped by server.ts, or,
 * behind a proxy named in TRUST_PROXY, the address that proxy saw. Never a header the client
 * chose. Used for audit and rate limiting only, never for access decisions.
 */
export async function getRequestIp(): Promise<string | null> {
  return requestClientAddress(await headers(), env().trustProxy);
}

/** True when the browser reached us over https (directly or through a TLS proxy). */
export async function isSecureRequest(): Promise<boolean> {
  const h = await headers();
  return (h.get("x-forwarded-proto") ?? "").split(",")[0]?.trim() === "https";
}
