/**
 * Input grammar of the message library, shared by server actions, the upload route and the
 * services. Names and tags are shown in the UI and audit log only (never in a file name or a
 * call file), but control characters are still refused rather than stripped.
 */
import { z } from "zod";
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

export const audioNameSchema = z
  .string()
  .trim()
  .min(1, "Enter a name for the message.")
  .max(MAX_NAME_LENGTH, `Names are at most ${MAX_NAME_LENGTH} characters.`)
  .refine((v) => !hasControlCharacter(v), "The name contains control characters; remove them.");

/**
 * Tags as typed ("fire, drill") or as a list. Each is trimmed and lower-cased (so "Fire" and
 * "fire" are one tag); a tag with characters other than letters, digits, space, _ . - is refused.
 */
export const audioTagsSchema = z
  .union([z.string(), z.array(z.string())])
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

export const ttsSchema = z.object({
  text: z.string().max(MAX_TTS_CHARS * 2, `The text is too long; the limit is ${MAX_TTS_CHARS} characters.`),
  voice: z.string().min(1, "Choose a voice.").max(60),
  wpm: z.coerce.number().int("Speed must be a whole number.").min(MIN_TTS_WPM).max(MAX_TTS_WPM).default(DEFAULT_TTS_WPM),
});

export const createTtsSchema = ttsSchema.extend({ name: audioNameSchema, tags: audioTagsSchema.default([]) });

export const updateAudioSchema = z.object({
  id: z.string().min(1).max(40),
  name: audioNameSchema,
  tags: audioTagsSchema.default([]),
});

export const audioIdSchema = z.object({ id: z.string().min(1).max(40) });

/**
 * True when `value` has a C0/C1 control character (or DEL); with `allowLineBreaks`, tab, CR
 * and LF are allowed (spoken text may have several lines).
 */
export function hasControlCharacter(value: string, options: { allowLineBreaks?: boolean } = {}): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (options.allowLineBreaks && (c === 9 || c === 10 || c === 13)) continue;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

/** Tags as stored: ",a,b," so `contains: ",a,"` finds a tag exactly. */
export function serializeTags(tags: string[]): string {
  return tags.length ? `,${tags.join(",")},` : "";
}

export function parseStoredTags(stored: string): string[] {
  return stored.split(",").filter(Boolean);
}
