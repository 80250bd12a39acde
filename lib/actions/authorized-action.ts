/**
 * `authorizedAction`: the one way to write a server action that changes anything.
 *
 * ```ts
 * "use server";
 * export const renameGroup = authorizedAction("groups.edit", renameGroupSchema, async (input, ctx) => {
 *   const group = await renameGroupInDb(db(), input, { actor: ctx.actor, ip: ctx.ip });
 *   revalidatePath("/contacts/groups");
 *   return group;                       // becomes `data` of the result
 * });
 * // client:  const result = await renameGroup({ id, name });
 * //          if (!result.ok) show result.error / result.fieldErrors
 * ```
 *
 * In order, on the server, for every call:
 * 1. **Authenticate**: no valid session → `{ ok: false, error: "Your session has ended…" }`.
 * 2. **Authorise**: the user's role lacks `capability` → refused with a permission message,
 *    before the input is even parsed. This is what makes the UI's hidden buttons a courtesy
 *    rather than the protection: a viewer posting the action by hand gets the same refusal.
 * 3. **Validate** the input with the zod schema → `fieldErrors` keyed by the first path
 *    segment (the form field name), plus a summary `error`.
 * 4. **Run** the handler with the parsed input and `ctx` (`user`, `ip`, `actor` for
 *    `recordAudit`). A thrown `UserError` becomes `error` (and `fieldErrors[field]`);
 *    Next.js control flow (`redirect()`, `notFound()`) passes through untouched; anything
 *    else is logged with a reference id and the user sees only that id.
 *
 * The result is plain data so it crosses the server/client boundary as is.
 */
import { unstable_rethrow } from "next/navigation";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { AuditActor } from "@/lib/audit/record-audit";
import { can, type Capability } from "@/lib/auth/capabilities";
import { getCurrentUser, getRequestIp, type SessionUser } from "@/lib/auth/current-user";
import { isUserError } from "@/lib/errors";
import { log } from "@/lib/log";

/** What every authorised action returns. */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: string; fieldErrors?: Record<string, string> };

/** What a handler gets besides its input. */
export type ActionContext = {
  user: SessionUser;
  ip: string | null;
  /** `user` in the shape `recordAudit` wants. */
  actor: AuditActor;
};

export const SESSION_ENDED = "Your session has ended. Sign in again.";
export const NOT_PERMITTED = "You do not have permission to do this. Ask an administrator if you need it.";

/** Field → first message, from a ZodError (nested paths are joined with dots). */
export function zodFieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join(".") : "_form";
    out[key] ??= issue.message;
  }
  return out;
}

/** Turns anything thrown by a handler into the result the client sees (see module doc). */
export function toActionError(
  error: unknown,
  context: Record<string, unknown> = {},
): { ok: false; error: string; fieldErrors?: Record<string, string> } {
  if (isUserError(error)) {
    return error.field
      ? { ok: false, error: error.message, fieldErrors: { [error.field]: error.message } }
      : { ok: false, error: error.message };
  }
  if (error instanceof z.ZodError) {
    return { ok: false, error: "Some fields need attention.", fieldErrors: zodFieldErrors(error) };
  }
  const reference = randomBytes(4).toString("hex");
  log.error({ err: error, reference, ...context }, "server action failed");
  return {
    ok: false,
    error: `Something went wrong on the server (reference ${reference}). Try again; if it keeps happening, tell your administrator this reference.`,
  };
}

/**
 * Wraps a server action handler with authentication, a capability check, zod validation and
 * error conversion. See the module comment for the contract.
 */
export function authorizedAction<S extends z.ZodType, T>(
  capability: Capability,
  schema: S,
  handler: (input: z.output<S>, ctx: ActionContext) => Promise<T>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return async (input) => {
    const user = await getCurrentUser();
    if (!user) return { ok: false, error: SESSION_ENDED };
    if (!can(user, capability)) {
      log.warn({ userId: user.id, role: user.role, capability }, "server action refused: missing capability");
      return { ok: false, error: NOT_PERMITTED };
    }
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      const fieldErrors = zodFieldErrors(parsed.error);
      const first = Object.values(fieldErrors)[0];
      return {
        ok: false,
        error: first && Object.keys(fieldErrors).length === 1 ? first : "Some fields need attention.",
        fieldErrors,
      };
    }
    const ctx: ActionContext = {
      user,
      ip: await getRequestIp(),
      actor: { type: "user", id: user.id, name: user.name },
    };
    try {
      return { ok: true, data: await handler(parsed.data, ctx) };
    } catch (error) {
      unstable_rethrow(error);
      return toActionError(error, { capability, userId: user.id });
    }
  };
}
