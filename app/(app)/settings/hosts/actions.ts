"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { db } from "@/lib/db";
import { hostIdSchema, hostInputSchema, probeHostKeySchema } from "@/lib/hosts/host.schema";
import { deleteHost, saveHost } from "@/lib/hosts/save-host";
import { fetchHostKey, testHostConnection } from "@/lib/hosts/test-host";

export const saveHostAction = authorizedAction("settings.edit", hostInputSchema, async (input, ctx) => {
  const result = await saveHost(db(), input, ctx);
  revalidatePath("/settings");
  revalidatePath(`/settings/hosts/${result.id}`);
  return result;
});

export const deleteHostAction = authorizedAction("settings.edit", hostIdSchema, async (input, ctx) => {
  await deleteHost(db(), input.id, ctx);
  revalidatePath("/settings");
  return null;
});

export const testHostConnectionAction = authorizedAction(
  "settings.edit",
  hostIdSchema,
  async (input) => await testHostConnection(db(), input.id),
);

export const fetchHostKeyAction = authorizedAction("settings.edit", probeHostKeySchema, async (input) => ({
  fingerprint: await fetchHostKey(input),
}));
