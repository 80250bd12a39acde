/**
 * Deleting a message. Refused while anything uses it: a PA template, campaign or wake-up
 * would otherwise play nothing, and past broadcasts and calls keep it for their history.
 * The check and the delete run in one transaction so a use added meanwhile by a foreign-key
 * relation makes the delete fail rather than dangle.
 */
import { recordAudit } from "@/lib/audit/record-audit";
import type { Db } from "@/lib/db";
import { UserError } from "@/lib/errors";
import { describeAudioUsage, getAudioUsage, isAudioUsed } from "@/lib/audio/audio-usage";
import { removeFromHosts } from "@/lib/audio/deliver";
import type { AuditContext } from "@/lib/audio/save-audio";
import { removeMaster } from "@/lib/audio/store";

export async function deleteAudio(db: Db, input: { id: string } & AuditContext): Promise<void> {
  const deleted = await db.$transaction(async (tx) => {
    const audio = await tx.audioMessage.findUnique({
      where: { id: input.id },
      select: { id: true, name: true, soundName: true },
    });
    if (!audio) throw new UserError("This message no longer exists.");
    const usage = await getAudioUsage(tx, audio.id);
    if (isAudioUsed(usage)) {
      throw new UserError(
        `“${audio.name}” cannot be deleted: it is used by ${describeAudioUsage(usage)}. Choose another message there first.`,
      );
    }
    await tx.audioMessage.delete({ where: { id: audio.id } });
    await recordAudit(tx, {
      actor: input.actor,
      action: "audio.delete",
      targetType: "audio",
      targetId: audio.id,
      summary: audio.name,
      ip: input.ip,
    });
    return audio;
  });
  // Files go after the commit: a failed transaction must leave the message playable.
  await removeMaster(deleted.soundName);
  await removeFromHosts(db, deleted);
}
