/**
 * The do-not-call list: admin-managed destinations (capability dnc.edit) of any kind
 * (lib/destinations: an extension "101", an endpoint "PJSIP/101", an E.164 number), stored in
 * canonical form so "+44 20 7946 0000" typed here matches the contact's "020 7946 0000".
 * Importable from a CSV (first column, or a column named number/phone/e164/extension/
 * destination; optional reason column). Checked
 * when a campaign is planned and again right before each call is released. A contact's own
 * "do not call" flag counts too (checked at planning, lib/campaigns/plan-targets.ts).
 */
import Papa from "papaparse";
import type { Db } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { UserError } from "@/lib/errors";
import { parseDestination } from "@/lib/destinations/destination";
import { getDestinationRules } from "@/lib/destinations/destination-rules";
import { unneutralizeFormula } from "@/lib/csv/csv-cells";
import { dncEntrySchema, type DncEntryInput } from "@/lib/campaigns/campaign.schema";

/** The subset of `destinations` (canonical) on the DNC list. */
export async function loadDncSet(db: Db, destinations: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < destinations.length; i += 1000) {
    const rows = await db.dncEntry.findMany({
      where: { destination: { in: destinations.slice(i, i + 1000) } },
      select: { destination: true },
    });
    for (const r of rows) out.add(r.destination);
  }
  return out;
}

export async function listDnc(db: Db, { q = "", take = 200 }: { q?: string; take?: number } = {}) {
  // Digits find numbers and extensions; text with a slash finds endpoints (PJSIP/1…).
  const needle = q.includes("/") ? q.trim() : q.replace(/[^0-9+*#]/g, "");
  const where = needle ? { destination: { contains: needle } } : {};
  const [rows, total] = await Promise.all([
    db.dncEntry.findMany({ where, orderBy: { createdAt: "desc" }, take }),
    db.dncEntry.count({ where }),
  ]);
  return { rows, total };
}

export async function addDncEntry(
  db: Db,
  input: DncEntryInput,
  actor: AuditActor,
): Promise<{ id: string; destination: string; kind: string }> {
  const data = dncEntrySchema.parse(input);
  const n = parseDestination(data.number, await getDestinationRules(db));
  if (!n.ok) throw new UserError(n.error, { field: "number" });
  const existing = await db.dncEntry.findUnique({ where: { destination: n.value } });
  if (existing) throw new UserError(`${n.value} is already on the do-not-call list`, { field: "number" });
  return db.$transaction(async (tx) => {
    const row = await tx.dncEntry.create({
      data: { destination: n.value, kind: n.kind, reason: data.reason },
      select: { id: true, destination: true, kind: true },
    });
    await recordAudit(tx, {
      actor,
      action: "dnc.add",
      targetType: "dnc",
      targetId: row.id,
      summary: `Added ${n.value} to the do-not-call list${data.reason ? ` (${data.reason})` : ""}`,
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
      summary: `Removed ${row.destination} from the do-not-call list`,
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
  let numberCol = header.findIndex((h) =>
    ["number", "phone", "e164", "phone number", "extension", "destination", "endpoint"].includes(h),
  );
  const reasonCol = header.findIndex((h) => h === "reason");
  const hasHeader = numberCol >= 0 || reasonCol >= 0;
  if (numberCol < 0) numberCol = 0;
  const rules = await getDestinationRules(db);
  const errors: DncImportResult["errors"] = [];
  const wanted = new Map<string, { kind: string; reason: string }>();
  rows.slice(hasHeader ? 1 : 0).forEach((cells, i) => {
    const value = unneutralizeFormula((cells[numberCol] ?? "").trim());
    const n = parseDestination(value, rules);
    if (!n.ok) errors.push({ row: i + (hasHeader ? 2 : 1), value, error: n.error });
    else if (!wanted.has(n.value))
      wanted.set(n.value, {
        kind: n.kind,
        reason: reasonCol >= 0 ? unneutralizeFormula((cells[reasonCol] ?? "").trim()).slice(0, 200) : "",
      });
  });
  const existing = await loadDncSet(db, [...wanted.keys()]);
  const fresh = [...wanted].filter(([e]) => !existing.has(e));
  await db.$transaction(
    async (tx) => {
      for (let i = 0; i < fresh.length; i += 1000) {
        await tx.dncEntry.createMany({
          data: fresh.slice(i, i + 1000).map(([destination, { kind, reason }]) => ({ destination, kind, reason })),
        });
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
