/**
 * Uploading a message: validate name and tags, convert the file (lib/audio/convert.ts
 * refuses bad audio before anything is stored), then save and deliver it.
 */
import type { Db } from "@/lib/db";
import { convertToAsteriskWav } from "@/lib/audio/convert";
import { parseNameAndTags, saveConvertedAudio, type AuditContext, type SavedAudio } from "@/lib/audio/save-audio";

export async function importUpload(
  db: Db,
  input: { name: string; bytes: Uint8Array; tags?: string | string[]; fileName?: string } & AuditContext,
): Promise<SavedAudio> {
  const { name, tags } = parseNameAndTags(input);
  const audio = await convertToAsteriskWav(input.bytes, { field: "file" });
  // The file name is only quoted in the audit summary; JSON quoting keeps it on one line.
  const from = input.fileName ? ` from ${JSON.stringify(input.fileName.slice(0, 200))}` : "";
  return saveConvertedAudio(db, {
    name,
    tags,
    audio,
    source: "upload",
    summary: `uploaded${from}, ${(audio.durationMs / 1000).toFixed(1)} s`,
    actor: input.actor,
    ip: input.ip,
  });
}
