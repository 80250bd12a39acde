"use server";

import { authorizedAction } from "@/lib/actions/authorized-action";
import { getCurrentSessionId } from "@/lib/auth/current-user";
import { changeOwnPasswordSchema } from "@/lib/auth/user.schema";
import { changeOwnPassword } from "@/lib/auth/users";
import { db } from "@/lib/db";

/** Any signed-in user changes their own password; the user id comes from the session only. */
export const changeOwnPasswordAction = authorizedAction("account.edit", changeOwnPasswordSchema, async (input, ctx) => {
  await changeOwnPassword(
    db(),
    { userId: ctx.user.id, ...input, keepSessionId: (await getCurrentSessionId()) ?? undefined },
    ctx,
  );
  return null;
});
