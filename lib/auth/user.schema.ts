/** Input schemas for accounts: the first-admin form, sign-in, and the admin's user forms. */
import { z } from "zod";
import { ROLES } from "@/lib/auth/capabilities";
import { passwordSchema } from "@/lib/auth/password-policy";
import { hasForbiddenChars, plainText } from "@/lib/text/plain-text";

// Checked before trimming: a trailing CR/LF is refused, not silently stripped. The one text rule.
const NO_CONTROL = (v: string) => !hasForbiddenChars(v);
const NO_CONTROL_MESSAGE = "Remove line breaks and control characters.";

export const emailSchema = z
  .string()
  .refine(NO_CONTROL, NO_CONTROL_MESSAGE)
  .trim()
  .toLowerCase()
  .max(254, "Use at most 254 characters.")
  .pipe(z.email("Enter a valid email address, e.g. name@example.org."));

// Names end up in the audit log and in call-file comments; control characters are refused.
export const personNameSchema = plainText("Name", { min: 1, max: 100, required: "Enter a name." });

export const roleSchema = z.enum(ROLES, "Choose admin, operator or viewer.");

export const setupSchema = z.object({ name: personNameSchema, email: emailSchema, password: passwordSchema });
export type SetupInput = z.infer<typeof setupSchema>;

export const signInSchema = z.object({
  email: z.string().trim().toLowerCase().min(1, "Enter your email address.").max(254),
  password: z.string().min(1, "Enter your password.").max(1024),
});
export type SignInInput = z.infer<typeof signInSchema>;

export const createUserSchema = z.object({
  name: personNameSchema,
  email: emailSchema,
  role: roleSchema,
  password: passwordSchema,
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const changeRoleSchema = z.object({ userId: z.string().min(1).max(64), role: roleSchema });
export const setDisabledSchema = z.object({ userId: z.string().min(1).max(64), disabled: z.boolean() });
export const resetPasswordSchema = z.object({ userId: z.string().min(1).max(64), password: passwordSchema });

export const changeOwnPasswordSchema = z.object({
  currentPassword: z.string().min(1, "Enter your current password.").max(1024),
  newPassword: passwordSchema,
});
export type ChangeOwnPasswordInput = z.infer<typeof changeOwnPasswordSchema>;

/**
 * A desk phone: an endpoint (PJSIP/1001, SIP/reception@office), an extension (1001) or a
 * number, as any destination (lib/destinations). It ends up on a call file's Channel line, so
 * control characters are refused here, never stripped, and setDeskEndpoint (lib/auth/users.ts)
 * applies the destination rule with the site's settings.
 */
export const deskEndpointSchema = z
  .string()
  .max(100, "Use at most 100 characters.")
  .refine(NO_CONTROL, NO_CONTROL_MESSAGE)
  .trim();

export const setDeskEndpointSchema = z.object({ deskEndpoint: deskEndpointSchema });
