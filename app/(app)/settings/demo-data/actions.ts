"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { db } from "@/lib/db";
import { removalSummary, removeDemoData } from "@/lib/demo/demo-manifest";

/** Removes every record the demo seeded (lib/demo/demo-manifest.ts), nothing a user added. */
export const removeDemoDataAction = authorizedAction("settings.edit", z.object({}), async (_input, ctx) => {
  const removal = await removeDemoData(db(), ctx);
  revalidatePath("/", "layout");
  return { summary: removalSummary(removal) };
});
