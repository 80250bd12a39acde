"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { rotateIvrSecret } from "@/lib/ivr/ivr-secret";
import { saveSiteSettings, siteSettingsSchema } from "@/lib/settings/site-settings";
import { callWindowSettingsSchema } from "@/lib/settings/call-window-fields";
import { saveCallWindowSettings } from "@/lib/settings/call-windows";

export const saveSiteSettingsAction = authorizedAction("settings.edit", siteSettingsSchema, async (input, ctx) => {
  const saved = await saveSiteSettings(db(), input, ctx);
  revalidatePath("/settings/site");
  return saved;
});

/** How late a wake-up or a PA may still be dialled (calls queued from now on). */
export const saveCallWindowSettingsAction = authorizedAction("settings.edit", callWindowSettingsSchema, async (input, ctx) => {
  const saved = await saveCallWindowSettings(db(), input, ctx);
  revalidatePath("/settings/site");
  revalidatePath("/wakeups");
  return saved;
});

/** New IVR token secret; calls already spooled keep working through the grace period. */
export const rotateIvrSecretAction = authorizedAction("settings.edit", z.object({}), async (_input, ctx) => {
  const r = await rotateIvrSecret(db(), { ...ctx, siteSecret: env().secret, envManaged: !!process.env.SPOOLCAST_SECRET });
  revalidatePath("/settings/site");
  return { rotatedAt: r.rotatedAt.toISOString(), previousUntil: r.previousUntil.toISOString() };
});
