import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Papa from "papaparse";
import { createTestDb, type Provider, type TestDb } from "./support/test-db";
import { sqlitePath } from "@/lib/db/migrate";
import { importContacts, previewImport } from "@/lib/csv/import-contacts";
import { exportContactsCsvText } from "@/lib/csv/export-contacts";
import { createContact } from "@/lib/contacts/create-contact";
import { createGroup } from "@/lib/groups/manage-groups";
import type { AuditActor } from "@/lib/audit/record-audit";

const actor: AuditActor = { type: "user", id: "u1", name: "Olive" };

const FILE = [
  "Full Name,Mobile,Tags,Time zone",
  "Ada Lovelace,(212) 555-0100,vip,Europe/London",
  "Bad Number,555-12,,",
  ",212 555 0102,,",
  "Ada Again,+1 212 555 0100,,",
  "Already Stored,212 555 0199,,",
  '"Formula, Eve","=cmd|\' /C calc\'!A0",,',
  "Eve Formula,212 555 0103,,America/New_York",
  '=HYPERLINK("http://x"),212 555 0104,,',
  "Bad Zone,212 555 0105,,Mars/Olympus",
].join("\r\n");

// SQLite is imported through its fast better-sqlite3 writer (what the app uses) and through Prisma.
const CASES: { label: string; provider: Provider; fast: boolean }[] = [
  { label: "sqlite (better-sqlite3 writer)", provider: "sqlite", fast: true },
  { label: "sqlite (Prisma writer)", provider: "sqlite", fast: false },
  { label: "postgresql", provider: "postgresql", fast: false },
];

describe.each(CASES)("CSV import on $label", ({ provider, fast }) => {
  let t: TestDb;
  const file = (db: TestDb) => (fast ? sqlitePath(db.url) : undefined);
  beforeAll(async () => {
    t = await createTestDb(provider);
    await createContact(t.db, { input: { name: "Stored Person", phones: [{ number: "2125550199" }] }, actor });
  });
  afterAll(async () => {
    await t.drop();
  });

  it("previews every row's problem without writing", async () => {
    const before = await t.db.contact.count();
    const p = await previewImport(t.db, { text: FILE });
    expect(p.mapping.roles).toEqual(["name", "phone", "tags", "timeZone"]);
    expect({ total: p.total, valid: p.valid, invalid: p.invalid }).toEqual({ total: 9, valid: 3, invalid: 6 });
    const byRow = Object.fromEntries(p.sample.map((s) => [s.row, s.errors.join(" | ")]));
    expect(byRow[2]).toBe("");
    expect(byRow[3]).toMatch(/^Mobile: "555-12" is not a valid phone number/);
    expect(byRow[4]).toBe("Missing name");
    expect(byRow[5]).toBe("Duplicate in file: +12125550100 is also on row 2");
    expect(byRow[6]).toBe("Already in contacts: +12125550199 belongs to Stored Person");
    expect(byRow[7]).toMatch(
      /^Mobile: Enter an extension \(3–6 digits, e\.g\. 101\), an endpoint such as PJSIP\/101, or a phone number/,
    );
    expect(byRow[10]).toMatch(/Time zone: Choose a time zone/);
    expect(await t.db.contact.count()).toBe(before);
  });

  it("imports exactly the good rows into a group and reports the bad ones", async () => {
    const group = await createGroup(t.db, { input: { name: "Imported" }, actor });
    const r = await importContacts(t.db, {
      text: FILE,
      groupId: group.id,
      fileName: "staff.csv",
      actor,
      ip: "203.0.113.5",
      sqliteFile: file(t),
    });
    expect(r).toMatchObject({ imported: 3, skipped: 6 });
    const stored = await t.db.contact.findMany({
      select: { name: true, timeZone: true, tags: true, phones: { select: { destination: true, label: true } } },
      orderBy: { nameKey: "asc" },
    });
    expect(stored.map((s) => s.name)).toEqual(['=HYPERLINK("http://x")', "Ada Lovelace", "Eve Formula", "Stored Person"]);
    expect(stored.find((s) => s.name === "Ada Lovelace")).toMatchObject({
      timeZone: "Europe/London",
      tags: ",vip,",
      phones: [{ destination: "+12125550100", label: "mobile" }],
    });
    expect(await t.db.groupMember.count({ where: { groupId: group.id } })).toBe(3);
    const report = Papa.parse<string[]>(r.errorReport, { header: false, skipEmptyLines: true }).data;
    expect(report[0]).toEqual(["Full Name", "Mobile", "Tags", "Time zone", "row", "error"]);
    expect(report.slice(1).map((l) => l[4])).toEqual(["3", "4", "5", "6", "7", "10"]);
    // the injected cell is neutralised in the report too
    expect(report[5]![1]).toBe("'=cmd|' /C calc'!A0");
    expect(await t.db.auditEvent.findFirst({ where: { action: "contact.import" } })).toMatchObject({
      summary: "Imported 3 contact(s) from staff.csv; 6 row(s) rejected",
      actorName: "Olive",
      ip: "203.0.113.5",
      targetType: "group",
      targetId: group.id,
    });

    // importing the same file again finds every good row already stored
    const again = await importContacts(t.db, { text: FILE, actor, sqliteFile: file(t) });
    expect(again).toMatchObject({ imported: 0, skipped: 9 });
  });

  it("exports contacts and a group with formulas neutralised, and the export re-imports", async () => {
    const csv = await exportContactsCsvText(t.db);
    const rows = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ""), { header: false, skipEmptyLines: true }).data;
    expect(rows[0]).toEqual([
      "name",
      "phone",
      "other_phones",
      "desk_endpoint",
      "time_zone",
      "language",
      "tags",
      "notes",
      "created_at",
    ]);
    const hyperlink = rows.find((r) => r[0]!.includes("HYPERLINK"))!;
    expect(hyperlink[0]).toBe('\'=HYPERLINK("http://x")');
    expect(hyperlink[1]).toBe("'+12125550104");
    for (const r of rows) for (const c of r) expect(c).not.toMatch(/^[=+\-@\t\r]/);

    const group = (await t.db.contactGroup.findFirst({ where: { name: "Imported" } }))!;
    const groupCsv = await exportContactsCsvText(t.db, { groupId: group.id });
    expect(Papa.parse<string[]>(groupCsv, { skipEmptyLines: true }).data).toHaveLength(4);

    // Re-import into an empty database yields the same contacts.
    const fresh = await createTestDb(provider);
    try {
      const r = await importContacts(fresh.db, { text: csv.replace(/^\uFEFF/, ""), actor, sqliteFile: file(fresh) });
      expect(r.skipped).toBe(0);
      expect(r.imported).toBe(4);
      expect(await fresh.db.contactPhone.count({ where: { destination: "+12125550104" } })).toBe(1);
      // rows written by either writer read back through Prisma with their dates and sort keys
      const back = await fresh.db.contact.findMany({
        orderBy: [{ createdAt: "asc" }, { nameKey: "asc" }],
        select: { nameKey: true, createdAt: true, tags: true },
      });
      expect(back.map((b) => b.nameKey)).toEqual(['=hyperlink("http://x")', "ada lovelace", "eve formula", "stored person"]);
      expect(back.every((b) => b.createdAt instanceof Date && Math.abs(b.createdAt.getTime() - Date.now()) < 60_000)).toBe(true);
    } finally {
      await fresh.drop();
    }
  });

  it("previews a file whose columns are not detected, with the problem per role; the import refuses it", async () => {
    const none = await previewImport(t.db, { text: "a,b\nAda,212 555 0190" });
    expect(none.problems.map((p) => p.field)).toEqual(["mapping.name", "mapping.phone"]);
    expect(none.columns.map((c) => [c.header, c.role, c.example])).toEqual([
      ["a", null, "Ada"],
      ["b", null, "212 555 0190"],
    ]);
    expect({ valid: none.valid, invalid: none.invalid, errorReport: none.errorReport }).toEqual({
      valid: 0,
      invalid: 0,
      errorReport: "",
    });
    expect(none.notImported).toEqual(["a", "b"]);
    await expect(importContacts(t.db, { text: "name,b\nx,2", actor, sqliteFile: file(t) })).rejects.toThrow(/phone numbers/);
    const chosen = await previewImport(t.db, { text: "a,b\nAda,212 555 0190", mapping: { roles: ["name", "phone"] } });
    expect({ problems: chosen.problems, valid: chosen.valid }).toEqual({ problems: [], valid: 1 });
    const twice = await previewImport(t.db, {
      text: "n,p,z1,z2\nAda,212 555 0190,UTC,UTC",
      mapping: { roles: ["name", "phone", "timeZone", "timeZone"] },
    });
    expect(twice.problems).toEqual([
      { field: "mapping.timeZone", message: 'Only one column can be the time zone; "z1" and "z2" are both chosen' },
    ]);
    const stale = await previewImport(t.db, { text: "n,p\nAda,212 555 0190", mapping: { roles: ["name"] } });
    expect(stale.problems[0]!.field).toBe("mapping");
  });
});
