"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { db } from "@/lib/db";
import {
  campaignIdSchema,
  createCampaignFormSchema,
  dncEntrySchema,
  updateCampaignSchema,
} from "@/lib/campaigns/campaign.schema";
import { createCampaign } from "@/lib/campaigns/create-campaign";
import { updateCampaign } from "@/lib/campaigns/update-campaign";
import { startCampaign } from "@/lib/campaigns/start-campaign";
import { pauseCampaign } from "@/lib/campaigns/pause-campaign";
import { resumeCampaign } from "@/lib/campaigns/resume-campaign";
import { cancelCampaign } from "@/lib/campaigns/cancel-campaign";
import { retryUnreached } from "@/lib/campaigns/retry-unreached";
import { addDncEntry, importDncCsv, removeDncEntry } from "@/lib/campaigns/dnc";
import { decodeCsv } from "@/lib/csv/decode-csv";
import { listContacts } from "@/lib/contacts/list-contacts";

const PATH = "/campaigns";

/** Creates the draft and, when asked, starts it at once (the wizard's "Create and start"). */
export const createCampaignAction = authorizedAction(
  "campaigns.edit",
  createCampaignFormSchema,
  async ({ start, ...input }, ctx) => {
    const { id } = await createCampaign(db(), input, ctx.actor);
    if (start) await startCampaign(db(), { id }, ctx.actor);
    revalidatePath(PATH);
    return { id };
  },
);

export const updateCampaignAction = authorizedAction("campaigns.edit", updateCampaignSchema, async (input, ctx) => {
  const r = await updateCampaign(db(), input, ctx.actor);
  revalidatePath(`${PATH}/${input.id}`);
  return r;
});

export const startCampaignAction = authorizedAction("campaigns.edit", campaignIdSchema, async (input, ctx) => {
  const r = await startCampaign(db(), input, ctx.actor);
  revalidatePath(`${PATH}/${input.id}`);
  return r;
});

export const pauseCampaignAction = authorizedAction("campaigns.edit", campaignIdSchema, async (input, ctx) => {
  const r = await pauseCampaign(db(), input, ctx.actor);
  revalidatePath(`${PATH}/${input.id}`);
  return r;
});

export const resumeCampaignAction = authorizedAction("campaigns.edit", campaignIdSchema, async (input, ctx) => {
  const r = await resumeCampaign(db(), input, ctx.actor);
  revalidatePath(`${PATH}/${input.id}`);
  return r;
});

export const cancelCampaignAction = authorizedAction("campaigns.edit", campaignIdSchema, async (input, ctx) => {
  const r = await cancelCampaign(db(), input, ctx.actor);
  revalidatePath(`${PATH}/${input.id}`);
  return r;
});

export const retryUnreachedAction = authorizedAction("campaigns.edit", campaignIdSchema, async (input, ctx) => {
  const r = await retryUnreached(db(), input, ctx.actor);
  revalidatePath(PATH);
  return r;
});

export const addDncAction = authorizedAction("dnc.edit", dncEntrySchema, async (input, ctx) => {
  const r = await addDncEntry(db(), input, ctx.actor);
  revalidatePath(`${PATH}/dnc`);
  return r;
});

export const removeDncAction = authorizedAction("dnc.edit", z.object({ id: z.string().min(1).max(40) }), async (input, ctx) => {
  await removeDncEntry(db(), input, ctx.actor);
  revalidatePath(`${PATH}/dnc`);
  return { id: input.id };
});

/** The wizard's contact picker: up to 20 matches by name or number. */
export const searchContactsAction = authorizedAction("campaigns.edit", z.object({ q: z.string().max(100) }), async ({ q }) => {
  const page = await listContacts(db(), { q, pageSize: 25 });
  return page.rows.slice(0, 20).map((c) => ({ id: c.id, name: c.name, phone: c.phones[0]?.destination ?? "" }));
});

export const importDncAction = authorizedAction("dnc.edit", z.instanceof(FormData), async (form, ctx) => {
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0)
    return { added: 0, alreadyListed: 0, errors: [{ row: 0, value: "", error: "Choose a CSV file" }] };
  const text = decodeCsv(new Uint8Array(await file.arrayBuffer()));
  const r = await importDncCsv(db(), text, ctx.actor);
  revalidatePath(`${PATH}/dnc`);
  return { ...r, errors: r.errors.slice(0, 50) };
});
