"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { changeUserRole, createUser, resetUserPassword, setUserDisabled } from "@/lib/auth/users";
import { changeRoleSchema, createUserSchema, resetPasswordSchema, setDisabledSchema } from "@/lib/auth/user.schema";
import { db } from "@/lib/db";

const USERS_PATH = "/settings/users";

export const createUserAction = authorizedAction("users.manage", createUserSchema, async (input, ctx) => {
  const user = await createUser(db(), input, ctx);
  revalidatePath(USERS_PATH);
  return { id: user.id, name: user.name };
});

export const changeUserRoleAction = authorizedAction("users.manage", changeRoleSchema, async (input, ctx) => {
  const user = await changeUserRole(db(), input, ctx);
  revalidatePath(USERS_PATH);
  return { id: user.id, role: user.role };
});

export const setUserDisabledAction = authorizedAction("users.manage", setDisabledSchema, async (input, ctx) => {
  const user = await setUserDisabled(db(), input, ctx);
  revalidatePath(USERS_PATH);
  return { id: user.id, disabled: user.disabled };
});

export const resetUserPasswordAction = authorizedAction("users.manage", resetPasswordSchema, async (input, ctx) => {
  await resetUserPassword(db(), input, ctx);
  revalidatePath(USERS_PATH);
  return null;
});
