/**
 * CSV import of contacts: parse (papaparse, record by record), map columns, validate every row
 * with the same contact schema the form uses, find duplicates inside the file and against the
 * database by E.164, then insert the valid rows. The preview and the import run the same
 * analysis on the server; the browser's preview is never trusted.
 *
 * The import is one transaction written in batches of IMPORT_BATCH rows: a file is imported
 * entirely or, if the database fails midway, not at all — never half.
 */
import Papa from "papaparse";
import { randomBytes } from "node:crypto";
import type { Db, Tx } from "@/lib/db";
import type { AuditActor } from "@/lib/audit/record-audit";
import { recordAudit } from "@/lib/audit/record-audit";
import { UserError } from "@/lib/errors";
import { getDefaultCountry } from "@/lib/contacts/default-country";
import { contactSchema, joinTags, toNameKey, type ContactInput } from "@/lib/contacts/contact.schema";
import { CSV_FIELD_LABELS, detectMapping, type ColumnMapping, type CsvField } from "@/lib/csv/column-mapping";
import { toCsvLine, unneutralizePhone } from "@/lib/csv/csv-cells";

export const IMPORT_BATCH = 1000;
export const MAX_IMPORT_ROWS = 200_000;
const LOOKUP_CHUNK = 500;

/** One data row after validation. `row` is the spreadsheet row number (header = row 1). */
export type AnalyzedRow = { row: number; cells: string[]; contact: ContactInput | null; errors: string[] };

export type ImportAnalysis = { headers: string[]; mapping: ColumnMapping; rows: AnalyzedRow[] };

export type ImportPreview = {
  headers: string[];
  mapping: ColumnMapping;
  total: number;
  valid: number;
  invalid: number;
  /** The first rows, good and bad, for the preview table. */
  sample: { row: number; name: string; phones: string; errors: string[] }[];
  /** Every rejected row as CSV: the original cells plus an `error` column. */
  errorReport: string;
};

export type ImportResult = { imported: number; skipped: number; errorReport: string };

function cell(cells: string[], index: number | null): string {
  return index === null ? "" : (cells[index] ?? "").trim();
}

function toRawContact(cells: string[], headers: string[], mapping: ColumnMapping) {
  const phones: { number: string; label: string }[] = [];
  const pushPhone = (value: string, label: string) => {
    if (value !== "") phones.push({ number: unneutralizePhone(value), label: label.slice(0, 40) });
  };
  pushPhone(cell(cells, mapping.phone), mapping.phone === null ? "" : (headers[mapping.phone] ?? "").trim().toLowerCase());
  pushPhone(cell(cells, mapping.phone2), mapping.phone2 === null ? "" : (headers[mapping.phone2] ?? "").trim().toLowerCase());
  for (const extra of cell(cells, mapping.otherPhones).split(";")) pushPhone(extra.trim(), "");
  let name = cell(cells, mapping.name);
  if (name === "") name = [cell(cells, mapping.firstName), cell(cells, mapping.lastName)].filter((p) => p !== "").join(" ");
  return {
    name,
    phones,
    deskEndpoint: cell(cells, mapping.deskEndpoint),
    timeZone: cell(cells, mapping.timeZone),
    language: cell(cells, mapping.language),
    tags: cell(cells, mapping.tags),
    notes: mapping.notes === null ? "" : (cells[mapping.notes] ?? ""),
  };
}

/** Human name of an issue path for a row error: "Name", the phone column's header, … */
function fieldLabel(path: PropertyKey[], headers: string[], mapping: ColumnMapping): string {
  const [head, index] = path;
  if (head === "phones") {
    if (index === 0 && mapping.phone !== null) return headers[mapping.phone] ?? "Phone";
    return "Phone";
  }
  return CSV_FIELD_LABELS[head as CsvField] ?? String(head ?? "Row");
}

/** Parses and validates `text`; `mapping` defaults to the one detected from the header row. */
export async function analyzeCsv(client: Db | Tx, { text, mapping }: { text: string; mapping?: ColumnMapping }): Promise<ImportAnalysis> {
  const schema = contactSchema(await getDefaultCountry(client));
  let headers: string[] | null = null;
  let resolved: ColumnMapping | undefined = mapping;
  const rows: AnalyzedRow[] = [];
  let record = 0;
  let tooMany = false;
  Papa.parse<string[]>(text, {
    header: false,
    skipEmptyLines: "greedy",
    step(result, parser) {
      record += 1;
      const cells = result.data;
      if (headers === null) {
        headers = cells.map((h) => h.trim());
        resolved ??= detectMapping(headers);
        return;
      }
      if (rows.length >= MAX_IMPORT_ROWS) {
        tooMany = true;
        parser.abort();
        return;
      }
      const errors = result.errors.map((e) => `Malformed CSV: ${e.message}`);
      if (errors.length > 0) {
        rows.push({ row: record, cells, contact: null, errors });
        return;
      }
      const raw = toRawContact(cells, headers, resolved!);
      if (raw.name === "") errors.push("Missing name");
      if (raw.phones.length === 0) errors.push("Missing phone number");
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          if ((issue.path[0] === "name" && raw.name === "") || (issue.path[0] === "phones" && raw.phones.length === 0)) continue;
          errors.push(`${fieldLabel(issue.path, headers, resolved!)}: ${issue.message}`);
        }
      }
      rows.push({ row: record, cells, contact: errors.length === 0 && parsed.success ? parsed.data : null, errors });
    },
  });
  if (tooMany) throw new UserError(`The file has more than ${MAX_IMPORT_ROWS.toLocaleString("en")} rows; split it into smaller files`, { field: "file" });
  if (headers === null) throw new UserError("The file has no header row", { field: "file" });
  const finalMapping = resolved!;
  if (finalMapping.name === null && finalMapping.firstName === null && finalMapping.lastName === null) {
    throw new UserError("Choose which column holds the name", { field: "mapping.name" });
  }
  if (finalMapping.phone === null && finalMapping.phone2 === null && finalMapping.otherPhones === null) {
    throw new UserError("Choose which column holds the phone number", { field: "mapping.phone" });
  }
  await markDuplicates(client, rows);
  return { headers, mapping: finalMapping, rows };
}

/** Flags rows whose number appeared in an earlier valid row, or already belongs to a contact. */
async function markDuplicates(client: Db | Tx, rows: AnalyzedRow[]): Promise<void> {
  const firstRowOf = new Map<string, number>();
  for (const r of rows) {
    if (!r.contact) continue;
    const clash = r.contact.phones.find((p) => firstRowOf.has(p.number));
    if (clash) {
      r.errors.push(`Duplicate in file: ${clash.number} is also on row ${firstRowOf.get(clash.number)}`);
      r.contact = null;
      continue;
    }
    for (const p of r.contact.phones) firstRowOf.set(p.number, r.row);
  }
  const numbers = [...firstRowOf.keys()];
  const owners = new Map<string, string>();
  for (let i = 0; i < numbers.length; i += LOOKUP_CHUNK) {
    const found = await client.contactPhone.findMany({
      where: { e164: { in: numbers.slice(i, i + LOOKUP_CHUNK) } },
      select: { e164: true, contact: { select: { name: true } } },
    });
    for (const f of found) owners.set(f.e164, f.contact.name);
  }
  if (owners.size === 0) return;
  for (const r of rows) {
    const clash = r.contact?.phones.find((p) => owners.has(p.number));
    if (clash) {
      r.errors.push(`Already in contacts: ${clash.number} belongs to ${owners.get(clash.number)}`);
      r.contact = null;
    }
  }
}

/** The rejected rows as CSV (original columns, then `row` and `error`), for download. */
export function buildErrorReport(analysis: ImportAnalysis): string {
  const bad = analysis.rows.filter((r) => r.contact === null);
  if (bad.length === 0) return "";
  let out = toCsvLine([...analysis.headers, "row", "error"]);
  for (const r of bad) {
    const cells = analysis.headers.map((_, i) => r.cells[i] ?? "");
    out += toCsvLine([...cells, String(r.row), r.errors.join("; ")]);
  }
  return out;
}

export async function previewImport(client: Db, params: { text: string; mapping?: ColumnMapping; sampleSize?: number }): Promise<ImportPreview> {
  const analysis = await analyzeCsv(client, params);
  const valid = analysis.rows.filter((r) => r.contact !== null).length;
  const size = params.sampleSize ?? 50;
  // Show the first rows and, after them, the first rejected rows, so errors are visible even deep in the file.
  const shown = new Set(analysis.rows.slice(0, size));
  for (const r of analysis.rows) {
    if (shown.size >= size * 2) break;
    if (r.contact === null) shown.add(r);
  }
  return {
    headers: analysis.headers,
    mapping: analysis.mapping,
    total: analysis.rows.length,
    valid,
    invalid: analysis.rows.length - valid,
    sample: [...shown]
      .sort((a, b) => a.row - b.row)
      .map((r) => ({
        row: r.row,
        name: r.contact?.name ?? toRawContact(r.cells, analysis.headers, analysis.mapping).name,
        phones: r.contact ? r.contact.phones.map((p) => p.number).join(", ") : toRawContact(r.cells, analysis.headers, analysis.mapping).phones.map((p) => p.number).join(", "),
        errors: r.errors,
      })),
    errorReport: buildErrorReport(analysis),
  };
}

let idCounter = 0;
/** Collision-resistant ids for bulk inserts (createMany cannot return generated ids everywhere). */
function newId(): string {
  idCounter = (idCounter + 1) % 1_679_616;
  return `c${Date.now().toString(36)}${idCounter.toString(36).padStart(4, "0")}${randomBytes(8).toString("hex")}`.slice(0, 25);
}

export type ImportParams = { text: string; mapping?: ColumnMapping; groupId?: string | null; fileName?: string; actor: AuditActor };

/** Imports the valid rows of `text`; rejected rows come back in `errorReport`. */
export async function importContacts(client: Db, { text, mapping, groupId, fileName, actor }: ImportParams): Promise<ImportResult> {
  if (groupId) {
    const group = await client.contactGroup.findUnique({ where: { id: groupId }, select: { id: true } });
    if (!group) throw new UserError("The chosen group no longer exists", { field: "groupId" });
  }
  return client.$transaction(
    async (tx) => {
      // Analysed inside the transaction so the duplicate check sees exactly what it inserts against.
      const analysis = await analyzeCsv(tx, { text, mapping });
      const good = analysis.rows.flatMap((r) => (r.contact ? [r.contact] : []));
      const now = new Date();
      for (let i = 0; i < good.length; i += IMPORT_BATCH) {
        const contacts: { id: string; name: string; nameKey: string; deskEndpoint: string | null; timeZone: string | null; language: string | null; tags: string; notes: string; createdAt: Date }[] = [];
        const phones: { id: string; contactId: string; e164: string; label: string; position: number }[] = [];
        const members: { groupId: string; contactId: string }[] = [];
        for (const c of good.slice(i, i + IMPORT_BATCH)) {
          const id = newId();
          contacts.push({ id, name: c.name, nameKey: toNameKey(c.name), deskEndpoint: c.deskEndpoint, timeZone: c.timeZone, language: c.language, tags: joinTags(c.tags), notes: c.notes, createdAt: now });
          c.phones.forEach((p, position) => phones.push({ id: newId(), contactId: id, e164: p.number, label: p.label, position }));
          if (groupId) members.push({ groupId, contactId: id });
        }
        await tx.contact.createMany({ data: contacts });
        await tx.contactPhone.createMany({ data: phones });
        if (members.length > 0) await tx.groupMember.createMany({ data: members });
      }
      const skipped = analysis.rows.length - good.length;
      await recordAudit(tx, {
        actor,
        action: "contact.import",
        targetType: groupId ? "group" : "contact",
        targetId: groupId ?? null,
        summary: `Imported ${good.length} contact(s) from ${fileName ?? "CSV"}; ${skipped} row(s) rejected`,
      });
      return { imported: good.length, skipped, errorReport: buildErrorReport(analysis) };
    },
    { timeout: 300_000, maxWait: 30_000 },
  );
}
