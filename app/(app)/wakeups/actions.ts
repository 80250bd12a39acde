"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { db } from "@/lib/db";
import { cancelWakeUp } from "@/lib/wakeups/cancel-wakeup";
import { acknowledgeAlertSchema, acknowledgeWakeUpAlert } from "@/lib/wakeups/acknowledge-alert";
import { createWakeUp } from "@/lib/wakeups/create-wakeup";
import { updateWakeUp } from "@/lib/wakeups/update-wakeup";
import { cancelWakeUpSchema, createWakeUpSchema, updateWakeUpSchema } from "@/lib/wakeups/wakeup.schema";

export const createWakeUpAction = authorizedAction("wakeups.edit", createWakeUpSchema, async (input, ctx) => {
  const w = await createWakeUp(db(), input, ctx.actor);
  revalidatePath("/wakeups");
  return { id: w.id, room: w.room, localTime: w.localTime, startDate: w.startDate };
});

export const updateWakeUpAction = authorizedAction("wakeups.edit", updateWakeUpSchema, async (input, ctx) => {
  const w = await updateWakeUp(db(), input, ctx.actor);
  revalidatePath("/wakeups");
  return { id: w.id, room: w.room };
});

export const cancelWakeUpAction = authorizedAction("wakeups.edit", cancelWakeUpSchema, async (input, ctx) => {
  const r = await cancelWakeUp(db(), input, ctx.actor);
  revalidatePath("/wakeups");
  return r;
});

/** Takes a front-desk alert off the banner (wake-ups page and dashboard). */
export const acknowledgeWakeUpAlertAction = authorizedAction("wakeups.edit", acknowledgeAlertSchema, async (input, ctx) => {
  const r = await acknowledgeWakeUpAlert(db(), input, ctx.actor);
  revalidatePath("/wakeups");
  revalidatePath("/");
  return r;
});
