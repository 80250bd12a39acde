"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorizedAction, type ActionResult } from "@/lib/actions/authorized-action";
import { db } from "@/lib/db";
import { sqlitePath } from "@/lib/db/migrate";
import { env } from "@/lib/env";
import { ContactValidationError, contactFormSchema } from "@/lib/contacts/contact.schema";
import { createContact } from "@/lib/contacts/create-contact";
import { deleteContact } from "@/lib/contacts/delete-contact";
import { updateContact } from "@/lib/contacts/update-contact";
import { columnMappingSchema } from "@/lib/csv/column-mapping";
import { decodeCsv } from "@/lib/csv/decode-csv";
import { importContacts, previewImport } from "@/lib/csv/import-contacts";
import { UserError } from "@/lib/errors";

const CONTACTS_PATH = "/contacts";

type Saved = { id: string; fieldErrors?: undefined } | { id?: undefined; fieldErrors: Record<string, string> };

/** ContactValidationError carries every field's messages; the form shows the first of each. */
function firstMessages(errors: Record<string, string[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, v[0] ?? ""]));
}

async function catchValidation(run: () => Promise<{ id: string }>): Promise<Saved> {
  try {
    return { id: (await run()).id };
  } catch (error) {
    if (error instanceof ContactValidationError) return { fieldErrors: firstMessages(error.fieldErrors) };
    throw error;
  }
}

/** Turns a handler's field errors back into the wrapper's failure shape. */
function unwrap(result: ActionResult<Saved>): ActionResult<{ id: string }> {
  if (!result.ok) return result;
  if (result.data.fieldErrors) return { ok: false, error: "Some fields need attention.", fieldErrors: result.data.fieldErrors };
  return { ok: true, data: { id: result.data.id! } };
}

const create = authorizedAction("contacts.edit", contactFormSchema, async (input, ctx) => {
  const saved = await catchValidation(() => createContact(db(), { input, actor: ctx.actor, ip: ctx.ip }));
  if (saved.id) revalidatePath(CONTACTS_PATH);
  return saved;
});

const update = authorizedAction(
  "contacts.edit",
  contactFormSchema.extend({ id: z.string().min(1).max(40) }),
  async ({ id, ...input }, ctx) => {
    const saved = await catchValidation(() => updateContact(db(), { id, input, actor: ctx.actor, ip: ctx.ip }));
    if (saved.id) revalidatePath(CONTACTS_PATH);
    return saved;
  },
);

export async function createContactAction(input: z.input<typeof contactFormSchema>) {
  return unwrap(await create(input));
}

export async function updateContactAction(input: z.input<typeof contactFormSchema> & { id: string }) {
  return unwrap(await update(input));
}

export const deleteContactAction = authorizedAction(
  "contacts.edit",
  z.object({ id: z.string().min(1).max(40) }),
  async ({ id }, ctx) => {
    const deleted = await deleteContact(db(), { id, actor: ctx.actor, ip: ctx.ip });
    revalidatePath(CONTACTS_PATH);
    return { name: deleted.name };
  },
);

const importFieldsSchema = z.object({
  file: z.instanceof(File, { message: "Choose a CSV file" }),
  mapping: z.string().optional(),
  groupId: z.string().max(40).optional(),
});

/** The upload arrives as FormData (files cannot travel as JSON); its fields are then checked. */
const importFormSchema = z.instanceof(FormData, { message: "Choose a CSV file" }).transform((form, ctx) => {
  const fields = importFieldsSchema.safeParse({
    file: form.get("file"),
    mapping: form.get("mapping")?.toString() || undefined,
    groupId: form.get("groupId")?.toString() || undefined,
  });
  if (fields.success) return fields.data;
  for (const issue of fields.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
  return z.NEVER;
});

async function readUpload(input: z.output<typeof importFieldsSchema>) {
  const text = decodeCsv(new Uint8Array(await input.file.arrayBuffer()));
  let mapping;
  if (input.mapping) {
    let raw: unknown;
    try {
      raw = JSON.parse(input.mapping);
    } catch {
      raw = null;
    }
    const parsed = columnMappingSchema.safeParse(raw);
    if (!parsed.success) throw new UserError("The column choices are invalid; pick them again", { field: "mapping" });
    mapping = parsed.data;
  }
  return { text, mapping };
}

/** Upload → column mapping and per-row problems, nothing written. FormData: file, mapping?. */
export const previewImportAction = authorizedAction("contacts.edit", importFormSchema, async (input) => {
  const { text, mapping } = await readUpload(input);
  return previewImport(db(), { text, mapping });
});

/** Imports the valid rows. FormData: file, mapping?, groupId?. */
export const importContactsAction = authorizedAction("contacts.edit", importFormSchema, async (input, ctx) => {
  const { text, mapping } = await readUpload(input);
  const url = env().databaseUrl;
  const result = await importContacts(db(), {
    text,
    mapping,
    groupId: input.groupId ?? null,
    fileName: input.file.name.slice(0, 200),
    actor: ctx.actor,
    ip: ctx.ip,
    sqliteFile: url.startsWith("file:") ? sqlitePath(url) : undefined,
  });
  revalidatePath(CONTACTS_PATH);
  return result;
});
