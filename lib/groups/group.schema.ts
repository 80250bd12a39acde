/** What a contact group's name and description may contain. */
import { z } from "zod";
import { recordId } from "@/lib/text/record-id";
import { hasForbiddenChars } from "@/lib/text/plain-text";

export const groupName = z
  .string({ error: "Enter a group name" })
  .refine((v) => !hasForbiddenChars(v), { message: "Group name must not contain control characters", abort: true })
  .trim()
  .min(1, "Enter a group name")
  .max(100, "Group name is too long (at most 100 characters)");

export const groupSchema = z.object({
  name: groupName,
  description: z
    .string()
    .refine((v) => !hasForbiddenChars(v), { message: "Description must not contain control characters", abort: true })
    .trim()
    .max(500, "Description is too long (at most 500 characters)")
    .optional()
    .default(""),
  isTest: z.boolean().optional().default(false),
});
export type GroupInput = z.output<typeof groupSchema>;

export const renameGroupSchema = z.object({ id: recordId(), name: groupName });

/** Member changes: at most 10,000 contact ids per request. */
export const groupMembersSchema = z.object({
  groupId: recordId(),
  contactIds: z.array(recordId()).min(1, "Choose at least one contact").max(10_000, "At most 10,000 contacts at once"),
});
