"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { db } from "@/lib/db";
import { listContacts } from "@/lib/contacts/list-contacts";
import { groupMembersSchema, groupSchema, renameGroupSchema } from "@/lib/groups/group.schema";
import { addGroupMembers, createGroup, deleteGroup, removeGroupMembers, renameGroup } from "@/lib/groups/manage-groups";

const GROUPS_PATH = "/contacts/groups";

export const createGroupAction = authorizedAction("groups.edit", groupSchema, async (input, ctx) => {
  const group = await createGroup(db(), { input, actor: ctx.actor, ip: ctx.ip });
  revalidatePath(GROUPS_PATH);
  return group;
});

export const renameGroupAction = authorizedAction("groups.edit", renameGroupSchema, async (input, ctx) => {
  const group = await renameGroup(db(), { input, actor: ctx.actor, ip: ctx.ip });
  revalidatePath(GROUPS_PATH, "layout");
  return group;
});

export const deleteGroupAction = authorizedAction(
  "groups.edit",
  z.object({ id: z.string().min(1).max(40) }),
  async ({ id }, ctx) => {
    const group = await deleteGroup(db(), { id, actor: ctx.actor, ip: ctx.ip });
    revalidatePath(GROUPS_PATH);
    return group;
  },
);

export const addGroupMembersAction = authorizedAction("groups.edit", groupMembersSchema, async (input, ctx) => {
  const result = await addGroupMembers(db(), { input, actor: ctx.actor, ip: ctx.ip });
  revalidatePath(GROUPS_PATH, "layout");
  return result;
});

export const removeGroupMembersAction = authorizedAction("groups.edit", groupMembersSchema, async (input, ctx) => {
  const result = await removeGroupMembers(db(), { input, actor: ctx.actor, ip: ctx.ip });
  revalidatePath(GROUPS_PATH, "layout");
  return result;
});

/** Contacts matching a search, for the "add members" picker — only people who may add members use it. */
export const searchContactsAction = authorizedAction("groups.edit", z.object({ q: z.string().max(200) }), async ({ q }) => {
  const page = await listContacts(db(), { q, pageSize: 25 });
  return page.rows.map((r) => ({ id: r.id, name: r.name, phone: r.phones[0]?.destination ?? "" }));
});
