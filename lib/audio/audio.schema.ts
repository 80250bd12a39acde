/**
 * Input grammar of the message library, shared by server actions, the upload route and the
 * services. Names and tags are shown in the UI and audit log only (never in a file name or a
 * call file), but control characters are still refused rather than stripped.
 */
import { z } from "zod";
import { findForbiddenChar, plainText } from "@/lib/text/plain-text";
import {
  DEFAULT_TTS_WPM,
  MAX_NAME_LENGTH,
  MAX_TAG_LENGTH,
  MAX_TAGS,
  MAX_TTS_CHARS,
  MAX_TTS_WPM,
  MIN_TTS_WPM,
} from "@/lib/audio/limits";

const TAG = /^[\p{L}\p{N}][\p{L}\p{N} _.-]*$/u;

export const audioNameSchema = plainText("Message name", {
  min: 1,
  max: MAX_NAME_LENGTH,
  required: "Enter a name for the message.",
});

/**
 * Tags as typed ("fire, drill") or as a list. Each is trimmed and lower-cased (so "Fire" and
 * "fire" are one tag); a tag with characters other than letters, digits, space, _ . - is refused.
 */
export const audioTagsSchema = z
  .union([z.string(), z.array(z.string())])
  // The text rule, before trimming: a line break or control character is refused, not trimmed away.
  .superRefine((v, ctx) => {
    for (const raw of typeof v === "string" ? [v] : v) {
      const bad = findForbiddenChar(raw);
      if (bad) return ctx.addIssue({ code: "custom", message: `Tags must not contain ${bad.name}`, abort: true });
    }
  })
  .transform((v) => (typeof v === "string" ? v.split(",") : v).map((t) => t.trim().toLowerCase()).filter(Boolean))
  .pipe(
    z
      .array(
        z
          .string()
          .max(MAX_TAG_LENGTH, `Tags are at most ${MAX_TAG_LENGTH} characters.`)
          .regex(TAG, "Tags may contain letters, digits, spaces, _ . and - only (separate tags with commas)."),
      )
      .max(MAX_TAGS, `At most ${MAX_TAGS} tags.`),
  )
  .transform((tags) => [...new Set(tags)]);

/**
 * An espeak-ng voice name (`en-us`, `en+f3`, `mb-en1`): letters, digits and `-` `+` `_`. It is
 * handed to the synthesizer as an argument, so nothing else is let through.
 */
export const voiceName = z
  .string({ error: "Choose a voice." })
  .trim()
  .min(1, "Choose a voice.")
  .max(60, "The voice name is too long (at most 60 characters).")
  .regex(/^[A-Za-z0-9][A-Za-z0-9_+-]*$/, "The voice must be a voice name such as en-us.");

export const ttsSchema = z.object({
  text: z.string().max(MAX_TTS_CHARS * 2, `The text is too long; the limit is ${MAX_TTS_CHARS} characters.`),
  voice: voiceName,
  wpm: z.coerce.number().int("Speed must be a whole number.").min(MIN_TTS_WPM).max(MAX_TTS_WPM).default(DEFAULT_TTS_WPM),
});

export const createTtsSchema = ttsSchema.extend({ name: audioNameSchema, tags: audioTagsSchema.default([]) });

export const updateAudioSchema = z.object({
  id: z.string().min(1).max(40),
  name: audioNameSchema,
  tags: audioTagsSchema.default([]),
});

export const audioIdSchema = z.object({ id: z.string().min(1).max(40) });

/** Tags as stored: ",a,b," so `contains: ",a,"` finds a tag exactly. */
export function serializeTags(tags: string[]): string {
  return tags.length ? `,${tags.join(",")},` : "";
}

export function parseStoredTags(stored: string): string[] {
  return stored.split(",").filter(Boolean);
}
