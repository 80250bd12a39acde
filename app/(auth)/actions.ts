"use server";

/**
 * The only server actions open to anonymous users: first-admin setup and sign-in (both rate
 * limited or one-shot by construction), and sign-out. Everything else goes through
 * authorizedAction.
 */
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { toActionError, type ActionResult } from "@/lib/actions/authorized-action";
import { getRequestIp, isSecureRequest } from "@/lib/auth/current-user";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { createSession, SESSION_COOKIE, sessionCookieOptions } from "@/lib/auth/session";
import { createFirstAdmin } from "@/lib/auth/setup";
import { signIn, signOut } from "@/lib/auth/sign-in";
import { setupSchema, signInSchema, type SetupInput, type SignInInput } from "@/lib/auth/user.schema";
import { db } from "@/lib/db";

async function setSessionCookie(token: string, expiresAt: Date): Promise<void> {
  (await cookies()).set(SESSION_COOKIE, token, sessionCookieOptions(expiresAt, await isSecureRequest()));
}

/** Creates the first admin (only while no user exists) and signs them in. */
export async function setupFirstAdminAction(input: SetupInput): Promise<ActionResult<never>> {
  let result: Awaited<ReturnType<typeof createSession>>;
  try {
    const parsed = setupSchema.parse(input);
    const ip = await getRequestIp();
    const admin = await createFirstAdmin(db(), { ...parsed, ip });
    result = await createSession(db(), { userId: admin.id, ip, userAgent: (await headers()).get("user-agent") });
  } catch (error) {
    return toActionError(error, { action: "setup" });
  }
  await setSessionCookie(result.token, result.expiresAt);
  redirect("/");
}

/** Signs in and goes to `next` (a same-site path) or the dashboard. */
export async function signInAction(input: SignInInput & { next?: string }): Promise<ActionResult<never>> {
  let result: Awaited<ReturnType<typeof signIn>>;
  try {
    const parsed = signInSchema.parse(input);
    result = await signIn(db(), {
      ...parsed,
      ip: await getRequestIp(),
      userAgent: (await headers()).get("user-agent"),
    });
  } catch (error) {
    return toActionError(error, { action: "sign-in" });
  }
  await setSessionCookie(result.token, result.expiresAt);
  redirect(safeRedirectPath(input.next));
}

/** Ends this browser's session. */
export async function signOutAction(): Promise<void> {
  const store = await cookies();
  await signOut(db(), { token: store.get(SESSION_COOKIE)?.value, ip: await getRequestIp() });
  store.delete(SESSION_COOKIE);
  redirect("/login");
}
