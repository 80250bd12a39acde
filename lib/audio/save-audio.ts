/**
 * The one way a converted message enters the library, shared by uploads and text-to-speech:
 * master copy first (so a row never points at a missing file), then the row and its audit
 * event in one transaction, then delivery to every enabled host. Delivery failures are
 * recorded per host (AudioDelivery) and shown in the library; they do not undo the save.
 */
import type { z } from "zod";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import type { Db } from "@/lib/db";
import { UserError } from "@/lib/errors";
import type { ConvertedAudio } from "@/lib/audio/convert";
import { deliverToAllHosts, type DeliveryOutcome } from "@/lib/audio/deliver";
import { audioNameSchema, audioTagsSchema, serializeTags } from "@/lib/audio/audio.schema";
import { generateSoundName, removeMaster, writeMaster } from "@/lib/audio/store";

/** Who acted and from where, for the audit log. */
export type AuditContext = { actor: AuditActor; ip?: string | null };

/** Parses one field with its schema; a failure becomes a UserError naming the field. */
export function parseField<S extends z.ZodType>(schema: S, value: unknown, field: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new UserError(result.error.issues[0]?.message ?? `Check ${field}.`, { field });
  return result.data;
}

/** Name and tags checked before any conversion work, so bad input costs nothing. */
export function parseNameAndTags(input: { name: unknown; tags?: unknown }): { name: string; tags: string[] } {
  return { name: parseField(audioNameSchema, input.name, "name"), tags: parseField(audioTagsSchema, input.tags ?? [], "tags") };
}

export type SavedAudio = {
  id: string;
  name: string;
  soundName: string;
  durationMs: number;
  sizeBytes: number;
  deliveries: DeliveryOutcome[];
};

export async function saveConvertedAudio(
  db: Db,
  input: {
    name: string;
    tags: string[];
    audio: ConvertedAudio;
    source: "upload" | "tts";
    text?: string;
    voice?: string;
    summary: string;
  } & AuditContext,
): Promise<SavedAudio> {
  const { id, soundName } = generateSoundName();
  await writeMaster(soundName, input.audio.wav);
  try {
    // One transaction: the row and its audit event exist together or not at all.
    await db.$transaction(async (tx) => {
      await tx.audioMessage.create({
        data: {
          id,
          name: input.name,
          tags: serializeTags(input.tags),
          source: input.source,
          text: input.text ?? null,
          voice: input.voice ?? null,
          durationMs: input.audio.durationMs,
          soundName,
          sizeBytes: input.audio.wav.length,
          createdById: input.actor.type === "user" ? input.actor.id : null,
        },
      });
      await recordAudit(tx, {
        actor: input.actor,
        action: "audio.create",
        targetType: "audio",
        targetId: id,
        summary: `${input.name}: ${input.summary}`,
        ip: input.ip,
      });
    });
  } catch (error) {
    await removeMaster(soundName);
    throw error;
  }
  const deliveries = await deliverToAllHosts(db, { id, soundName });
  return { id, name: input.name, soundName, durationMs: input.audio.durationMs, sizeBytes: input.audio.wav.length, deliveries };
}
