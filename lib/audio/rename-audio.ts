/** Renaming and re-tagging a message; the sound file keeps its server-generated name. */
import { recordAudit } from "@/lib/audit/record-audit";
import type { Db } from "@/lib/db";
import { UserError } from "@/lib/errors";
import { parseStoredTags, serializeTags } from "@/lib/audio/audio.schema";
import { parseNameAndTags, type AuditContext } from "@/lib/audio/save-audio";

export async function renameAudio(
  db: Db,
  input: { id: string; name: string; tags?: string | string[] } & AuditContext,
): Promise<{ id: string; name: string; tags: string[] }> {
  const { name, tags } = parseNameAndTags(input);
  return db.$transaction(async (tx) => {
    const before = await tx.audioMessage.findUnique({ where: { id: input.id }, select: { name: true, tags: true } });
    if (!before) throw new UserError("This message no longer exists.");
    await tx.audioMessage.update({ where: { id: input.id }, data: { name, tags: serializeTags(tags) } });
    const changes = [
      before.name !== name ? `name "${before.name}" → "${name}"` : "",
      before.tags !== serializeTags(tags) ? `tags [${parseStoredTags(before.tags).join(", ")}] → [${tags.join(", ")}]` : "",
    ].filter(Boolean);
    await recordAudit(tx, {
      actor: input.actor,
      action: "audio.update",
      targetType: "audio",
      targetId: input.id,
      summary: changes.join("; ") || "no change",
      ip: input.ip,
    });
    return { id: input.id, name, tags };
  });
}
