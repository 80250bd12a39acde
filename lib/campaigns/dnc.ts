/**
 * The do-not-call list: admin-managed E.164 numbers (capability dnc.edit), importable from a
 * CSV (first column, or a column named number/phone/e164; optional reason column). Checked
 * when a campaign is planned and again right before each call is released. A contact's own
 * "do not call" flag counts too (checked at planning, lib/campaigns/plan-targets.ts).
 */
import Papa from "papaparse";
import type { Db } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { UserError } from "@/lib/errors";
import { normalizePhone } from "@/lib/contacts/normalize-phone";
import { getDefaultCountry } from "@/lib/contacts/default-country";
import { unneutralizeFormula } from "@/lib/csv/csv-cells";
import { dncEntrySchema, type DncEntryInput } from "@/lib/campaigns/campaign.schema";

/** The subset of `numbers` on the DNC list. */
export async function loadDncSet(db: Db, numbers: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < numbers.length; i += 1000) {
    const rows = await db.dncEntry.findMany({ where: { e164: { in: numbers.slice(i, i + 1000) } }, select: { e164: true } });
    for (const r of rows) out.add(r.e164);
  }
  return out;
}

export async function listDnc(db: Db, { q = "", take = 200 }: { q?: string; take?: number } = {}) {
  const digits = q.replace(/[^0-9+]/g, "");
  const where = digits ? { e164: { contains: digits } } : {};
  const [rows, total] = await Promise.all([
    db.dncEntry.findMany({ where, orderBy: { createdAt: "desc" }, take }),
    db.dncEntry.count({ where }),
  ]);
  return { rows, total };
}

export async function addDncEntry(db: Db, input: DncEntryInput, actor: AuditActor): Promise<{ id: string; e164: string }> {
  const data = dncEntrySchema.parse(input);
  const n = normalizePhone(data.number, await getDefaultCountry(db));
  if (!n.ok) throw new UserError(n.error, { field: "number" });
  const existing = await db.dncEntry.findUnique({ where: { e164: n.e164 } });
  if (existing) throw new UserError(`${n.e164} is already on the do-not-call list`, { field: "number" });
  return db.$transaction(async (tx) => {
    const row = await tx.dncEntry.create({ data: { e164: n.e164, reason: data.reason }, select: { id: true, e164: true } });
    await recordAudit(tx, {
      actor,
      action: "dnc.add",
      targetType: "dnc",
      targetId: row.id,
      summary: `Added ${n.e164} to the do-not-call list${data.reason ? ` (${data.reason})` : ""}`,
    });
    return row;
  });
}

export async function removeDncEntry(db: Db, input: { id: string }, actor: AuditActor): Promise<void> {
  const row = await db.dncEntry.findUnique({ where: { id: input.id } });
  if (!row) throw new UserError("That number is no longer on the list", { field: "id" });
  await db.$transaction(async (tx) => {
    await tx.dncEntry.delete({ where: { id: row.id } });
    await recordAudit(tx, {
      actor,
      action: "dnc.remove",
      targetType: "dnc",
      targetId: row.id,
      summary: `Removed ${row.e164} from the do-not-call list`,
    });
  });
}

export type DncImportResult = { added: number; alreadyListed: number; errors: { row: number; value: string; error: string }[] };

/** Imports numbers from CSV text. Bad rows are reported by row number; good rows are added. */
export async function importDncCsv(db: Db, text: string, actor: AuditActor): Promise<DncImportResult> {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { skipEmptyLines: true });
  const rows = parsed.data;
  if (rows.length === 0) throw new UserError("The file is empty", { field: "file" });
  if (rows.length > 200_001) throw new UserError("At most 200,000 numbers per file", { field: "file" });
  const header = rows[0]!.map((h) => h.trim().toLowerCase());
  let numberCol = header.findIndex((h) => ["number", "phone", "e164", "phone number"].includes(h));
  const reasonCol = header.findIndex((h) => h === "reason");
  const hasHeader = numberCol >= 0 || reasonCol >= 0;
  if (numberCol < 0) numberCol = 0;
  const country = await getDefaultCountry(db);
  const errors: DncImportResult["errors"] = [];
  const wanted = new Map<string, string>();
  rows.slice(hasHeader ? 1 : 0).forEach((cells, i) => {
    const value = unneutralizeFormula((cells[numberCol] ?? "").trim());
    const n = normalizePhone(value, country);
    if (!n.ok) errors.push({ row: i + (hasHeader ? 2 : 1), value, error: n.error });
    else if (!wanted.has(n.e164))
      wanted.set(n.e164, reasonCol >= 0 ? unneutralizeFormula((cells[reasonCol] ?? "").trim()).slice(0, 200) : "");
  });
  const existing = await loadDncSet(db, [...wanted.keys()]);
  const fresh = [...wanted].filter(([e]) => !existing.has(e));
  await db.$transaction(
    async (tx) => {
      for (let i = 0; i < fresh.length; i += 1000) {
        await tx.dncEntry.createMany({ data: fresh.slice(i, i + 1000).map(([e164, reason]) => ({ e164, reason })) });
      }
      await recordAudit(tx, {
        actor,
        action: "dnc.import",
        targetType: "dnc",
        summary: `Imported ${fresh.length} numbers to the do-not-call list (${existing.size} already listed, ${errors.length} rejected)`,
      });
    },
    { timeout: 120_000 },
  );
  return { added: fresh.length, alreadyListed: existing.size, errors };
}
