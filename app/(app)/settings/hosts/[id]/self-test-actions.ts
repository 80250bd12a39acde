"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { hostIdSchema } from "@/lib/hosts/host.schema";
import { runSelfTest } from "@/lib/hosts/self-test";

/** "Test the PBX": places the self-test calls and returns the checklist (admins: settings.edit). */
export const runSelfTestAction = authorizedAction("settings.edit", hostIdSchema, async (input, ctx) => {
  const result = await runSelfTest(db(), input.id, { ivrPublicAddress: env().ivrPublicAddress, actor: ctx.actor, ip: ctx.ip });
  revalidatePath(`/settings/hosts/${input.id}`);
  return result;
});
