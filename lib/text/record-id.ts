/**
 * The id of a stored row as an input field (a group, a message, a campaign ...). Ids come from
 * Spoolcast itself, so a form or API client only echoes them; the text rule still applies,
 * because an id with a lone surrogate or a NUL reaches the database driver as a query it cannot
 * encode (Prisma throws, a 500) instead of a "no longer exists" the field can show.
 */
import { z } from "zod";
import { hasForbiddenChars } from "@/lib/text/plain-text";

export function recordId(required = "Choose one") {
  return z
    .string({ error: required })
    .refine((v) => !hasForbiddenChars(v), "This is not a valid id")
    .trim()
    .min(1, required)
    .max(40, "This is not a valid id");
}
