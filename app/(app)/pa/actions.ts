"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { db } from "@/lib/db";
import { launchPa } from "@/lib/pa/launch-pa";
import { createPaTemplate, deletePaTemplate, updatePaTemplate } from "@/lib/pa/pa-templates";
import {
  broadcastIdSchema,
  launchPaSchema,
  paTemplateIdSchema,
  paTemplateSchema,
  updatePaTemplateSchema,
} from "@/lib/pa/pa.schema";
import { recallUnreached } from "@/lib/pa/recall-unreached";
import { resolvePaRecipients } from "@/lib/pa/recipients";
import { stopPa } from "@/lib/pa/stop-pa";

const previewSchema = z.object({
  groupIds: z.array(z.string().min(1).max(40)).max(200).default([]),
  everyone: z.boolean().default(false),
  isTest: z.boolean().default(false),
});

/** How many phones a PA to these recipients would ring (shown on the confirm button). */
export const previewPaAction = authorizedAction("pa.launch", previewSchema, async (input) => {
  const r = await resolvePaRecipients(db(), input);
  return { phones: r.recipients.length, withoutNumber: r.withoutNumber, duplicates: r.duplicates };
});

/** The form's launch, with the key of its confirmation (lib/pa/launch-pa.ts: a retry never dials twice). */
const formLaunchSchema = launchPaSchema.safeExtend({ launchKey: z.uuid() });

export const launchPaAction = authorizedAction("pa.launch", formLaunchSchema, async ({ launchKey, ...input }, ctx) => {
  const result = await launchPa(db(), input, ctx.actor, { ip: ctx.ip, launchKey });
  revalidatePath("/pa");
  return result;
});

export const stopPaAction = authorizedAction("pa.launch", broadcastIdSchema, async (input, ctx) => {
  const result = await stopPa(db(), input, ctx.actor, { ip: ctx.ip });
  revalidatePath("/pa");
  return result;
});

export const recallUnreachedAction = authorizedAction("pa.launch", broadcastIdSchema, async (input, ctx) => {
  const result = await recallUnreached(db(), input, ctx.actor, { ip: ctx.ip });
  revalidatePath("/pa");
  return result;
});

/** The board, polled every second by the board page; anyone who may see calls may watch. */

export const createPaTemplateAction = authorizedAction("pa.templates.edit", paTemplateSchema, async (input, ctx) => {
  const r = await createPaTemplate(db(), input, ctx.actor, { ip: ctx.ip });
  revalidatePath("/pa");
  revalidatePath("/pa/templates");
  return r;
});

export const updatePaTemplateAction = authorizedAction("pa.templates.edit", updatePaTemplateSchema, async (input, ctx) => {
  const r = await updatePaTemplate(db(), input, ctx.actor, { ip: ctx.ip });
  revalidatePath("/pa");
  revalidatePath("/pa/templates");
  return r;
});

export const deletePaTemplateAction = authorizedAction("pa.templates.edit", paTemplateIdSchema, async (input, ctx) => {
  await deletePaTemplate(db(), input, ctx.actor, { ip: ctx.ip });
  revalidatePath("/pa");
  revalidatePath("/pa/templates");
  return null;
});
