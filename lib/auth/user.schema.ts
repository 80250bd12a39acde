/** Input schemas for accounts: the first-admin form, sign-in, and the admin's user forms. */
import { z } from "zod";
import { ROLES } from "@/lib/auth/capabilities";
import { passwordSchema } from "@/lib/auth/password-policy";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "Use at most 254 characters.")
  .pipe(z.email("Enter a valid email address, e.g. name@example.org."));

export const personNameSchema = z
  .string()
  .trim()
  .min(1, "Enter a name.")
  .max(100, "Use at most 100 characters.")
  // Names end up in the audit log and in call-file comments; control characters are refused.
  .refine((v) => !/[\p{Cc}]/u.test(v), "Remove line breaks and control characters.");

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
