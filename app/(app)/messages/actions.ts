"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { audioIdSchema, createTtsSchema, ttsSchema, updateAudioSchema } from "@/lib/audio/audio.schema";
import { createTts, previewTts } from "@/lib/audio/create-tts";
import { deleteAudio } from "@/lib/audio/delete-audio";
import { deliverToAllHosts, syncAll } from "@/lib/audio/deliver";
import { renameAudio } from "@/lib/audio/rename-audio";
import { db } from "@/lib/db";
import { UserError } from "@/lib/errors";

const MESSAGES_PATH = "/messages";

export const createTtsAction = authorizedAction("audio.edit", createTtsSchema, async (input, ctx) => {
  const saved = await createTts(db(), { ...input, actor: ctx.actor, ip: ctx.ip });
  revalidatePath(MESSAGES_PATH);
  return { id: saved.id, name: saved.name, failedHosts: saved.deliveries.filter((d) => d.state === "failed").length };
});

/** The preview as a data: URL, so the browser plays exactly what would be stored. */
export const previewTtsAction = authorizedAction("audio.edit", ttsSchema, async (input) => {
  const { wav, durationMs } = await previewTts(input);
  return { url: `data:audio/wav;base64,${wav.toString("base64")}`, durationMs };
});

export const updateAudioAction = authorizedAction("audio.edit", updateAudioSchema, async (input, ctx) => {
  const updated = await renameAudio(db(), { ...input, actor: ctx.actor, ip: ctx.ip });
  revalidatePath(MESSAGES_PATH);
  return updated;
});

export const deleteAudioAction = authorizedAction("audio.edit", audioIdSchema, async (input, ctx) => {
  await deleteAudio(db(), { id: input.id, actor: ctx.actor, ip: ctx.ip });
  revalidatePath(MESSAGES_PATH);
  return null;
});

export const resyncAudioAction = authorizedAction("audio.edit", audioIdSchema, async (input) => {
  const audio = await db().audioMessage.findUnique({ where: { id: input.id }, select: { id: true, soundName: true } });
  if (!audio) throw new UserError("This message no longer exists.");
  const outcomes = await deliverToAllHosts(db(), audio);
  revalidatePath(MESSAGES_PATH);
  return {
    synced: outcomes.filter((o) => o.state === "synced").length,
    failed: outcomes.filter((o) => o.state === "failed").length,
  };
});

export const syncAllAction = authorizedAction("audio.edit", z.object({}), async () => {
  const result = await syncAll(db());
  revalidatePath(MESSAGES_PATH);
  return result;
});
