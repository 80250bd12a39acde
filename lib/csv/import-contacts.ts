/**
 * CSV import of contacts: parse (papaparse, record by record), map columns, validate every row
 * with the same contact schema the form uses, find duplicates inside the file and against the
 * database by canonical destination (E.164, extension or endpoint, lib/destinations), then
 * insert the valid rows. The result lists the rows whose phones became extensions or endpoints. The preview and the import run the same
 * analysis on the server; the browser's preview is never trusted.
 *
 * The write is one transaction: a file is imported entirely or, if the database fails midway,
 * not at all — never half. Duplicates against the database are checked inside it.
 */
import Database from "better-sqlite3";
import Papa from "papaparse";
import { randomBytes } from "node:crypto";
import type { Db, Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/sqlite/client";
import type { AuditActor } from "@/lib/audit/record-audit";
import { recordAudit } from "@/lib/audit/record-audit";
import { UserError } from "@/lib/errors";
import { getDestinationRules } from "@/lib/destinations/destination-rules";
import { describeDestination, type DestinationKind } from "@/lib/destinations/destination";
import { contactSchema, joinTags, toNameKey, type ContactInput } from "@/lib/contacts/contact.schema";
import {
  detectMapping,
  mappingProblems,
  type ColumnMapping,
  type ColumnRole,
  type MappingProblem,
} from "@/lib/csv/column-mapping";
import { toCsvLine } from "@/lib/csv/csv-cells";
import { stripSepLine } from "@/lib/csv/excel-sep-line";
import { planRows, rowToContact, type RawContact } from "@/lib/csv/row-to-contact";

/**
 * Bound parameters per INSERT statement: under SQLite's 32,766 and PostgreSQL's 65,535 limits.
 * Rows are written with multi-row INSERTs through Prisma's raw SQL (placeholders are made per
 * provider by Prisma.sql) because createMany costs ~8× more per row on the JS engine —
 * measured 190 ms vs 25 ms per 1,000 contacts; the bench (scripts/bench) tracks it.
 */
export const MAX_PARAMS_PER_INSERT = 30_000;
export const MAX_IMPORT_ROWS = 200_000;
const LOOKUP_CHUNK = 10_000;
/** Distinct notices kept per file (each label renamed is one); the rest are counted. */
const MAX_NOTICES = 40;
/** Skipped rows listed on the result page; the error report has all of them. */
const MAX_LISTED_SKIPS = 200;

/** One data row after validation. `row` is the spreadsheet row number (header = row 1). */
export type AnalyzedRow = {
  row: number;
  cells: string[];
  raw: RawContact | null;
  contact: ContactInput | null;
  errors: string[];
};

/** A column of the file as the selectors show it: its header, an example value, its role. */
export type ColumnSummary = { index: number; header: string; role: ColumnRole | null; example: string; filled: number };

export type ImportAnalysis = {
  headers: string[];
  mapping: ColumnMapping;
  rows: AnalyzedRow[];
  columns: ColumnSummary[];
  /** Why the column choices cannot import yet; rows are not validated while there are any. */
  problems: MappingProblem[];
  /** What the import changes on the way, with how many rows it concerns. */
  notices: string[];
  delimiter: string;
};

export type ImportPreview = {
  headers: string[];
  mapping: ColumnMapping;
  columns: ColumnSummary[];
  problems: MappingProblem[];
  notices: string[];
  /** Headers of columns that hold data but are not imported. */
  notImported: string[];
  delimiter: string;
  total: number;
  valid: number;
  invalid: number;
  /** The first rows, good and bad, for the preview table. */
  sample: { row: number; name: string; phones: string; errors: string[] }[];
  /** Every rejected row as CSV: the original cells plus an `error` column. */
  errorReport: string;
};

export type ImportResult = {
  imported: number;
  skipped: number;
  errorReport: string;
  /** The first skipped rows with their reasons (all of them are in errorReport). */
  skippedRows: { row: number; errors: string[] }[];
  notImported: string[];
  notices: string[];
  /**
   * Imported rows with a destination that is not an outside number: the row, the value and its
   * kind ("101" → extension, "PJSIP/101" → endpoint), so the administrator sees what the PBX
   * phonebook's short numbers became. The first MAX_LISTED_SKIPS; `internalCount` has them all.
   */
  internalRows: { row: number; destination: string; kind: Exclude<DestinationKind, "external">; words: string }[];
  internalCount: number;
};

/** Human name of an issue path for a row error: "Name", the phone column's header, … */
function fieldLabel(path: PropertyKey[], raw: RawContact): string {
  const [head, index] = path;
  if (head === "phones") return typeof index === "number" ? (raw.phoneSources[index] ?? "Phone") : "Phone";
  const labels: Record<string, string> = {
    name: "Name",
    deskEndpoint: "Desk endpoint",
    timeZone: "Time zone",
    language: "Language",
    tags: "Tags",
    notes: "Notes",
  };
  return labels[String(head)] ?? String(head ?? "Row");
}

function countNotices(counts: Map<string, number>): string[] {
  const out = [...counts].slice(0, MAX_NOTICES).map(([text, n]) => `${text} (${n.toLocaleString("en")} row(s))`);
  if (counts.size > MAX_NOTICES) out.push(`…and ${counts.size - MAX_NOTICES} more changes of the same kind`);
  return out;
}

/**
 * Parses and validates `text`; `mapping` defaults to the one detected from the header row.
 * Column choices that cannot import (no phone column, …) are returned as `problems`, never
 * thrown, so the page can still show every column's selector. `checkDatabase: false` skips
 * the duplicate-against-database check, for callers that make it themselves inside their
 * writing transaction.
 */
export async function analyzeCsv(
  client: Db | Tx,
  { text, mapping, checkDatabase = true }: { text: string; mapping?: ColumnMapping; checkDatabase?: boolean },
): Promise<ImportAnalysis> {
  const rules = await getDestinationRules(client);
  const schema = contactSchema(rules);
  const sep = stripSepLine(text);
  let headers: string[] | null = null;
  let resolved: ColumnMapping = mapping ?? { roles: [] };
  let problems: MappingProblem[] = [];
  let plan: ReturnType<typeof planRows> | null = null;
  let columns: ColumnSummary[] = [];
  const notices = new Map<string, number>();
  const rows: AnalyzedRow[] = [];
  let record = 0;
  let tooMany = false;
  let delimiter = sep.delimiter ?? ",";
  Papa.parse<string[]>(sep.text, {
    header: false,
    skipEmptyLines: "greedy",
    delimiter: sep.delimiter,
    step(result, parser) {
      record += 1;
      const cells = result.data;
      if (headers === null) {
        delimiter = result.meta.delimiter;
        headers = cells.map((h) => h.trim());
        resolved = mapping ?? detectMapping(headers);
        problems = mappingProblems(resolved, headers);
        plan = planRows(headers, resolved, rules);
        columns = headers.map((header, index) => ({
          index,
          header,
          role: resolved.roles[index] ?? null,
          example: "",
          filled: 0,
        }));
        return;
      }
      if (rows.length >= MAX_IMPORT_ROWS) {
        tooMany = true;
        parser.abort();
        return;
      }
      cells.forEach((c, i) => {
        const column = columns[i];
        if (!column || c.trim() === "") return;
        column.filled += 1;
        if (column.example === "") column.example = c.trim().slice(0, 80);
      });
      const errors = result.errors.map((e) => `Malformed CSV: ${e.message}`);
      if (errors.length > 0) {
        rows.push({ row: record, cells, raw: null, contact: null, errors });
        return;
      }
      const rowNotices = new Set<string>();
      const raw = rowToContact(cells, plan!, (n) => rowNotices.add(n));
      if (problems.length > 0) {
        rows.push({ row: record, cells, raw, contact: null, errors: [] });
        return;
      }
      if (raw.name === "") errors.push("Missing name");
      if (raw.phones.length === 0) errors.push("Missing phone number");
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          if ((issue.path[0] === "name" && raw.name === "") || (issue.path[0] === "phones" && raw.phones.length === 0)) continue;
          errors.push(`${fieldLabel(issue.path, raw)}: ${issue.message}`);
        }
      }
      const ok = errors.length === 0 && parsed.success;
      if (ok) for (const n of rowNotices) notices.set(n, (notices.get(n) ?? 0) + 1);
      rows.push({ row: record, cells, raw, contact: ok ? parsed.data : null, errors });
    },
  });
  if (tooMany)
    throw new UserError(`The file has more than ${MAX_IMPORT_ROWS.toLocaleString("en")} rows; split it into smaller files`, {
      field: "file",
    });
  if (headers === null) throw new UserError("The file has no header row", { field: "file" });
  if (problems.length === 0) {
    const firstRows = markFileDuplicates(rows);
    if (checkDatabase) rejectStoredNumbers(rows, await findOwners(client, [...firstRows.keys()]));
  }
  return { headers, mapping: resolved, rows, columns, problems, notices: countNotices(notices), delimiter };
}

/** Headers of the columns that hold data but feed nothing. */
function notImportedColumns(analysis: ImportAnalysis): string[] {
  return analysis.columns.filter((c) => c.role === null && c.filled > 0).map((c) => c.header || `Column ${c.index + 1}`);
}

/**
 * Which of `numbers` already belong to a contact: destination → contact name. Reads the phone index
 * in chunks of LOOKUP_CHUNK (under every provider's bound-parameter limit), then the names of
 * the owners found — usually none.
 */
async function findOwners(client: Db | Tx, numbers: string[]): Promise<Map<string, string>> {
  const hits: { destination: string; contactId: string }[] = [];
  for (let i = 0; i < numbers.length; i += LOOKUP_CHUNK) {
    hits.push(
      ...(await client.contactPhone.findMany({
        where: { destination: { in: numbers.slice(i, i + LOOKUP_CHUNK) } },
        select: { destination: true, contactId: true },
      })),
    );
  }
  const names = new Map<string, string>();
  const ids = [...new Set(hits.map((h) => h.contactId))];
  for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
    for (const c of await client.contact.findMany({
      where: { id: { in: ids.slice(i, i + LOOKUP_CHUNK) } },
      select: { id: true, name: true },
    }))
      names.set(c.id, c.name);
  }
  return new Map(hits.map((h) => [h.destination, names.get(h.contactId) ?? "another contact"]));
}

/** Flags rows whose number appeared in an earlier valid row; returns destination → first row. */
function markFileDuplicates(rows: AnalyzedRow[]): Map<string, number> {
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
  return firstRowOf;
}

/** Flags rows with a number that already belongs to a contact (`owners`: destination → name). */
function rejectStoredNumbers(rows: AnalyzedRow[], owners: Map<string, string>): void {
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
  if (analysis.problems.length > 0) return "";
  const bad = analysis.rows.filter((r) => r.contact === null);
  if (bad.length === 0) return "";
  let out = toCsvLine([...analysis.headers, "row", "error"]);
  for (const r of bad) {
    const cells = analysis.headers.map((_, i) => r.cells[i] ?? "");
    out += toCsvLine([...cells, String(r.row), r.errors.join("; ")]);
  }
  return out;
}

export async function previewImport(
  client: Db,
  params: { text: string; mapping?: ColumnMapping; sampleSize?: number },
): Promise<ImportPreview> {
  const analysis = await analyzeCsv(client, params);
  const valid = analysis.rows.filter((r) => r.contact !== null).length;
  const checked = analysis.problems.length === 0;
  const size = params.sampleSize ?? 50;
  // Show the first rows and, after them, the first rejected rows, so errors are visible even deep in the file.
  const shown = new Set(analysis.rows.slice(0, size));
  for (const r of analysis.rows) {
    if (shown.size >= size * 2 || !checked) break;
    if (r.contact === null) shown.add(r);
  }
  return {
    headers: analysis.headers,
    mapping: analysis.mapping,
    columns: analysis.columns,
    problems: analysis.problems,
    notices: analysis.notices,
    notImported: notImportedColumns(analysis),
    delimiter: analysis.delimiter,
    total: analysis.rows.length,
    valid,
    invalid: checked ? analysis.rows.length - valid : 0,
    sample: [...shown]
      .sort((a, b) => a.row - b.row)
      .map((r) => ({
        row: r.row,
        name: r.contact?.name ?? r.raw?.name ?? "",
        phones: (r.contact?.phones ?? r.raw?.phones ?? []).map((p) => p.number).join(", "),
        errors: r.errors,
      })),
    errorReport: buildErrorReport(analysis),
  };
}

type SqlValue = string | number | Date | null;
type ContactRowValues = [string, string, string, string | null, string | null, string | null, string, string, Date, Date];
type PhoneRowValues = [string, string, string, string, string, number];

/** Writes `rows` with as few multi-row INSERT statements as the parameter limit allows. */
async function insertRows(tx: Tx, head: string, rows: SqlValue[][]): Promise<void> {
  if (rows.length === 0) return;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS_PER_INSERT / rows[0]!.length));
  for (let i = 0; i < rows.length; i += perStatement) {
    const values = Prisma.join(rows.slice(i, i + perStatement).map((r) => Prisma.sql`(${Prisma.join(r)})`));
    await tx.$executeRaw(Prisma.sql`${Prisma.raw(head)}${values}`);
  }
}

let idCounter = 0;
/** Collision-resistant ids for bulk inserts (createMany cannot return generated ids everywhere). */
function newId(): string {
  idCounter = (idCounter + 1) % 1_679_616;
  return `c${Date.now().toString(36)}${idCounter.toString(36).padStart(4, "0")}${randomBytes(8).toString("hex")}`.slice(0, 25);
}

export type ImportParams = {
  text: string;
  mapping?: ColumnMapping;
  groupId?: string | null;
  fileName?: string;
  actor: AuditActor;
  ip?: string | null;
  /**
   * The SQLite file behind `client`, when it is SQLite: rows are then written through a
   * better-sqlite3 connection of their own (~15× faster than Prisma for 100k rows, see the
   * bench). Omit on PostgreSQL.
   */
  sqliteFile?: string;
};

type Prepared = { contacts: ContactRowValues[]; phones: PhoneRowValues[]; members: [string, string, Date][] };

function prepareRows(analysis: ImportAnalysis, groupId: string | null | undefined): Prepared {
  const now = new Date();
  const prepared: Prepared = { contacts: [], phones: [], members: [] };
  for (const r of analysis.rows) {
    const c = r.contact;
    if (!c) continue;
    const id = newId();
    prepared.contacts.push([
      id,
      c.name,
      toNameKey(c.name),
      c.deskEndpoint,
      c.timeZone,
      c.language,
      joinTags(c.tags),
      c.notes,
      now,
      now,
    ]);
    c.phones.forEach((p, position) => prepared.phones.push([newId(), id, p.number, p.kind, p.label, position]));
    if (groupId) prepared.members.push([groupId, id, now]);
  }
  return prepared;
}

function auditSummary(imported: number, skipped: number, fileName?: string): string {
  return `Imported ${imported} contact(s) from ${fileName ?? "CSV"}; ${skipped} row(s) rejected`;
}

const CONTACT_INSERT = `INSERT INTO "Contact" ("id","name","nameKey","deskEndpoint","timeZone","language","tags","notes","createdAt","updatedAt") VALUES `;
const PHONE_INSERT = `INSERT INTO "ContactPhone" ("id","contactId","destination","kind","label","position") VALUES `;
const MEMBER_INSERT = `INSERT INTO "GroupMember" ("groupId","contactId","addedAt") VALUES `;

/** Writes through Prisma in one interactive transaction (PostgreSQL, or SQLite without a file). */
async function writeWithPrisma(client: Db, analysis: ImportAnalysis, params: ImportParams): Promise<number> {
  return client.$transaction(
    async (tx) => {
      const numbers = analysis.rows.flatMap((r) => r.contact?.phones.map((p) => p.number) ?? []);
      rejectStoredNumbers(analysis.rows, await findOwners(tx, numbers));
      const rows = prepareRows(analysis, params.groupId);
      await insertRows(tx, CONTACT_INSERT, rows.contacts);
      await insertRows(tx, PHONE_INSERT, rows.phones);
      await insertRows(tx, MEMBER_INSERT, rows.members);
      await recordAudit(tx, {
        actor: params.actor,
        ip: params.ip ?? null,
        action: "contact.import",
        targetType: params.groupId ? "group" : "contact",
        targetId: params.groupId ?? null,
        summary: auditSummary(rows.contacts.length, analysis.rows.length - rows.contacts.length, params.fileName),
      });
      return rows.contacts.length;
    },
    { timeout: 300_000, maxWait: 30_000 },
  );
}

/** Prisma's SQLite adapter stores DateTime as ISO text with "+00:00"; written the same way. */
function sqliteDate(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

/** Writes through better-sqlite3 in one BEGIN IMMEDIATE transaction (holds the write lock). */
function writeWithSqlite(file: string, analysis: ImportAnalysis, params: ImportParams): number {
  const conn = new Database(file);
  try {
    conn.pragma("busy_timeout = 15000");
    const run = conn.transaction(() => {
      const numbers = analysis.rows.flatMap((r) => r.contact?.phones.map((p) => p.number) ?? []);
      const taken = new Map<string, string>();
      const lookup = conn.prepare(
        `SELECT p."destination" AS destination, c."name" AS name FROM "ContactPhone" p JOIN "Contact" c ON c."id" = p."contactId" WHERE p."destination" = ?`,
      );
      for (const n of numbers) {
        const hit = lookup.get(n) as { destination: string; name: string } | undefined;
        if (hit) taken.set(hit.destination, hit.name);
      }
      rejectStoredNumbers(analysis.rows, taken);
      const rows = prepareRows(analysis, params.groupId);
      const contact = conn.prepare(`${CONTACT_INSERT}(?,?,?,?,?,?,?,?,?,?)`);
      for (const c of rows.contacts)
        contact.run(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], sqliteDate(c[8]), sqliteDate(c[9]));
      const phone = conn.prepare(`${PHONE_INSERT}(?,?,?,?,?,?)`);
      for (const p of rows.phones) phone.run(...p);
      const member = conn.prepare(`${MEMBER_INSERT}(?,?,?)`);
      for (const m of rows.members) member.run(m[0], m[1], sqliteDate(m[2]));
      const now = sqliteDate(new Date());
      conn
        .prepare(
          `INSERT INTO "AuditEvent" ("id","at","actorType","actorId","actorName","action","targetType","targetId","summary","ip") VALUES (?,?,?,?,?,?,?,?,?,?)`,
        )
        .run(
          newId(),
          now,
          params.actor.type,
          params.actor.id,
          params.actor.name.slice(0, 200),
          "contact.import",
          params.groupId ? "group" : "contact",
          params.groupId ?? null,
          auditSummary(rows.contacts.length, analysis.rows.length - rows.contacts.length, params.fileName),
          params.ip?.slice(0, 100) ?? null,
        );
      return rows.contacts.length;
    });
    return run.immediate();
  } finally {
    conn.close();
  }
}

/** Imports the valid rows of `text`; rejected rows come back in `errorReport`. */
export async function importContacts(client: Db, params: ImportParams): Promise<ImportResult> {
  const { text, mapping, groupId } = params;
  if (groupId) {
    const group = await client.contactGroup.findUnique({ where: { id: groupId }, select: { id: true } });
    if (!group) throw new UserError("The chosen group no longer exists", { field: "groupId" });
  }
  // The database check is made by the writer, inside its transaction, so nothing slips in between.
  const analysis = await analyzeCsv(client, { text, mapping, checkDatabase: false });
  const [problem] = analysis.problems;
  if (problem) throw new UserError(problem.message, { field: problem.field });
  const imported = params.sqliteFile
    ? writeWithSqlite(params.sqliteFile, analysis, params)
    : await writeWithPrisma(client, analysis, params);
  return {
    imported,
    skipped: analysis.rows.length - imported,
    errorReport: buildErrorReport(analysis),
    skippedRows: analysis.rows
      .filter((r) => r.contact === null)
      .slice(0, MAX_LISTED_SKIPS)
      .map((r) => ({ row: r.row, errors: r.errors })),
    notImported: notImportedColumns(analysis),
    notices: analysis.notices,
    ...internalRowsOf(analysis),
  };
}

/** The imported rows whose phones are extensions or endpoints (ImportResult.internalRows). */
function internalRowsOf(analysis: ImportAnalysis): Pick<ImportResult, "internalRows" | "internalCount"> {
  const all = analysis.rows.flatMap((r) =>
    (r.contact?.phones ?? []).flatMap((p) =>
      p.kind === "external"
        ? []
        : [
            {
              row: r.row,
              destination: p.number,
              kind: p.kind as Exclude<DestinationKind, "external">,
              words: describeDestination(p.number, p.kind),
            },
          ],
    ),
  );
  return { internalRows: all.slice(0, MAX_LISTED_SKIPS), internalCount: all.length };
}
