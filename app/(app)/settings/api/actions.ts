"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { createApiTokenSchema, revokeApiTokenSchema } from "@/lib/api/token.schema";
import { createApiToken, revokeApiToken } from "@/lib/api/tokens";
import { db } from "@/lib/db";

const PATH = "/settings/api";

/** Returns the plain token once; it is never readable again. */
export const createApiTokenAction = authorizedAction("tokens.manage", createApiTokenSchema, async (input, ctx) => {
  const { token, view } = await createApiToken(db(), input, ctx);
  revalidatePath(PATH);
  return { token, name: view.name };
});

export const revokeApiTokenAction = authorizedAction("tokens.manage", revokeApiTokenSchema, async (input, ctx) => {
  const view = await revokeApiToken(db(), input.id, ctx);
  revalidatePath(PATH);
  return { name: view.name };
});
