"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { db } from "@/lib/db";
import { saveSiteSettings, siteSettingsSchema } from "@/lib/settings/site-settings";

export const saveSiteSettingsAction = authorizedAction("settings.edit", siteSettingsSchema, async (input, ctx) => {
  const saved = await saveSiteSettings(db(), input, ctx);
  revalidatePath("/settings/site");
  return saved;
});
