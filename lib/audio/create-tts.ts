/**
 * Text-to-speech messages: a preview (converted exactly as it will be stored, so the user
 * hears what a callee will hear) and the save, which re-synthesises from the same inputs.
 */
import type { Db } from "@/lib/db";
import { synthesizeSpeech, type TtsRequest } from "@/lib/audio/tts";
import { parseNameAndTags, saveConvertedAudio, type AuditContext, type SavedAudio } from "@/lib/audio/save-audio";

/** 8 kHz mono 16-bit WAV of `request`, stored nowhere. */
export async function previewTts(request: TtsRequest): Promise<{ wav: Buffer; durationMs: number }> {
  return synthesizeSpeech(request);
}

export async function createTts(
  db: Db,
  input: TtsRequest & { name: string; tags?: string | string[] } & AuditContext,
): Promise<SavedAudio> {
  const { name, tags } = parseNameAndTags(input);
  const audio = await synthesizeSpeech({ text: input.text, voice: input.voice, wpm: input.wpm });
  return saveConvertedAudio(db, {
    name,
    tags,
    audio,
    source: "tts",
    text: input.text.trim(),
    voice: `${input.voice}@${input.wpm}`,
    summary: `text-to-speech (${input.voice}, ${input.wpm} wpm), ${(audio.durationMs / 1000).toFixed(1)} s`,
    actor: input.actor,
    ip: input.ip,
  });
}
