"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { getCurrentSessionId } from "@/lib/auth/current-user";
import { changeOwnPasswordSchema, setDeskEndpointSchema } from "@/lib/auth/user.schema";
import { changeOwnPassword, setDeskEndpoint } from "@/lib/auth/users";
import { db } from "@/lib/db";
import { setTimeZoneSchema, setUserTimeZone } from "@/lib/time/viewer-zone";

/** Any signed-in user changes their own password; the user id comes from the session only. */
export const changeOwnPasswordAction = authorizedAction("account.edit", changeOwnPasswordSchema, async (input, ctx) => {
  await changeOwnPassword(
    db(),
    { userId: ctx.user.id, ...input, keepSessionId: (await getCurrentSessionId()) ?? undefined },
    ctx,
  );
  return null;
});

/** Any signed-in user sets their own desk phone for click-to-call. */
export const setOwnDeskEndpointAction = authorizedAction("account.edit", setDeskEndpointSchema, async (input, ctx) => {
  const result = await setDeskEndpoint(db(), { userId: ctx.user.id, deskEndpoint: input.deskEndpoint }, ctx);
  revalidatePath("/account");
  return result;
});

/** Any signed-in user chooses the zone their times are shown in ("" = the browser's). */
export const setOwnTimeZoneAction = authorizedAction("account.edit", setTimeZoneSchema, async (input, ctx) => {
  const result = await setUserTimeZone(db(), { userId: ctx.user.id, timeZone: input.timeZone }, ctx);
  // Every page shows times; the layout reads the zone.
  revalidatePath("/", "layout");
  return result;
});
