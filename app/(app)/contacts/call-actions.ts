"use server";

import { z } from "zod";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { getClickCallStatus, startClickToCall } from "@/lib/calls/click-to-call";
import { db } from "@/lib/db";

/** The signed-in user's own desk phone is rung: the user id comes from the session only. */
export const startClickToCallAction = authorizedAction(
  "calls.place",
  z.object({ contactId: z.string().min(1).max(40), number: z.string().min(1).max(20) }),
  async (input, ctx) => startClickToCall(db(), { ...input, userId: ctx.user.id }, ctx.actor, { ip: ctx.ip }),
);

export const getClickCallStatusAction = authorizedAction(
  "calls.place",
  z.object({ callId: z.string().min(1).max(40) }),
  async (input) => getClickCallStatus(db(), input.callId),
);
