import { z } from "zod";
import { plainText } from "@/lib/text/plain-text";
import { API_SCOPES } from "./scopes";

export const createApiTokenSchema = z.object({
  name: plainText("Token name", { min: 1, max: 100, required: "Give the token a name, e.g. the system that will use it" }),
  scopes: z.array(z.enum(API_SCOPES, "Unknown scope")).min(1, "Choose at least one scope"),
  /** ISO date (YYYY-MM-DD) or empty for a token that never expires. */
  expiresOn: z
    .string()
    .trim()
    .regex(/^(\d{4}-\d{2}-\d{2})?$/, "Use a date like 2027-01-31")
    .optional(),
});
export type CreateApiTokenInput = z.infer<typeof createApiTokenSchema>;

export const revokeApiTokenSchema = z.object({ id: z.string().min(1) });
