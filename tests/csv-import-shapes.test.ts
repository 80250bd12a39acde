/**
 * The contact exports people bring (tests/fixtures/imports/README.md says where each shape comes
 * from) import with their detected columns: every row's name, numbers, labels, tags and notes
 * as stored, the rows skipped with their reason, and the columns not imported.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "./support/test-db";
import { sqlitePath } from "@/lib/db/migrate";
import { decodeCsv } from "@/lib/csv/decode-csv";
import { importContacts, previewImport, type ImportResult } from "@/lib/csv/import-contacts";
import { splitTags } from "@/lib/contacts/contact.schema";
import type { ColumnMapping, ColumnRole } from "@/lib/csv/column-mapping";
import type { AuditActor } from "@/lib/audit/record-audit";

const actor: AuditActor = { type: "user", id: "u1", name: "Olive" };
const FIXTURES = path.join(import.meta.dirname, "fixtures/imports");

/** The fixture as the upload action reads it (BOM dropped, UTF-8 checked). */
function fixture(name: string): string {
  return decodeCsv(new Uint8Array(readFileSync(path.join(FIXTURES, name))));
}

type Stored = { name: string; phones: [string, string][]; tags: string[]; notes: string };

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb("sqlite");
});
afterEach(async () => {
  await t.drop();
});

async function run(name: string, mapping?: ColumnMapping): Promise<{ result: ImportResult; stored: Stored[] }> {
  const result = await importContacts(t.db, { text: fixture(name), mapping, actor, sqliteFile: sqlitePath(t.url) });
  const rows = await t.db.contact.findMany({
    orderBy: { nameKey: "asc" },
    select: {
      name: true,
      tags: true,
      notes: true,
      phones: { orderBy: { position: "asc" }, select: { destination: true, label: true } },
    },
  });
  return {
    result,
    stored: rows.map((r) => ({
      name: r.name,
      phones: r.phones.map((p) => [p.destination, p.label] as [string, string]),
      tags: splitTags(r.tags),
      notes: r.notes,
    })),
  };
}

async function rolesOf(name: string): Promise<Record<string, ColumnRole | null>> {
  const p = await previewImport(t.db, { text: fixture(name) });
  return Object.fromEntries(p.headers.map((h, i) => [h, p.mapping.roles[i] ?? null]));
}

describe("Google Contacts export (current header names)", () => {
  it("imports every number of a row, labels as tags, the company as the name or into notes", async () => {
    const roles = await rolesOf("google-contacts.csv");
    expect(roles).toMatchObject({
      "First Name": "firstName",
      "Middle Name": "middleName",
      "Last Name": "lastName",
      "Organization Name": "company",
      Labels: "tags",
      Notes: "notes",
      "Phone 1 - Label": "phoneLabel",
      "Phone 1 - Value": "phone",
      "Phone 2 - Label": "phoneLabel",
      "Phone 2 - Value": "phone",
      "E-mail 1 - Value": null,
      "Organization Title": null,
    });
    const { result, stored } = await run("google-contacts.csv");
    expect({ imported: result.imported, skipped: result.skipped }).toEqual({ imported: 3, skipped: 2 });
    expect(stored).toEqual([
      { name: "Acme Front Desk", phones: [["+12125550194", "Work"]], tags: [], notes: "" },
      {
        name: "Ada J. Lovelace",
        phones: [
          ["+12125550191", "Mobile"],
          ["+12125550192", "Mobile"],
          ["+442079460961", "Work"],
        ],
        tags: ["staff"],
        notes: "Organization Name: Acme Ltd",
      },
      {
        name: "Margaret Hamilton",
        phones: [["+12125550193", "Mobile"]],
        tags: ["night-shift"],
        notes: "Prefers a call before 9",
      },
    ]);
    expect(result.skippedRows).toEqual([
      { row: 5, errors: ['Phone 1 - Value: "555-12" is not a valid phone number for US'] },
      { row: 6, errors: ["Missing phone number"] },
    ]);
    expect(result.notImported).toEqual(["Organization Title", "E-mail 1 - Label", "E-mail 1 - Value"]);
    expect(result.notices).toEqual([
      `Google's system label "* myContacts" is not imported as a tag (3 row(s))`,
      `Google's system label "* starred" is not imported as a tag (1 row(s))`,
      `"Night Shift" becomes the tag night-shift (1 row(s))`,
      "Rows without a person's name are named after their company (1 row(s))",
    ]);
  });

  it("keeps the columns the user chooses in the notes, middle name included", async () => {
    const p = await previewImport(t.db, { text: fixture("google-contacts.csv") });
    const roles = p.mapping.roles.map((r, i) => {
      const header = p.headers[i]!;
      if (header === "Middle Name") return "keep";
      return r === null && p.columns[i]!.filled > 0 ? "keep" : r;
    });
    const { stored } = await run("google-contacts.csv", { roles });
    expect(stored.find((s) => s.name === "Ada Lovelace")?.notes).toBe(
      "Organization Name: Acme Ltd; Middle Name: J.; Organization Title: Duty officer; E-mail 1 - Label: Work; E-mail 1 - Value: ada@example.org",
    );
  });
});

describe("older Google CSV (Given Name / Family Name / Phone 1 - Type)", () => {
  it("imports names, typed numbers and group memberships", async () => {
    expect(await rolesOf("google-contacts-legacy.csv")).toMatchObject({
      Name: "name",
      "Given Name": "firstName",
      "Additional Name": "middleName",
      "Family Name": "lastName",
      "Group Membership": "tags",
      "Phone 1 - Type": "phoneLabel",
      "Phone 1 - Value": "phone",
      "Organization 1 - Name": "company",
    });
    const { result, stored } = await run("google-contacts-legacy.csv");
    expect(result.skipped).toBe(0);
    expect(stored).toEqual([
      { name: "Dorothy Vaughan", phones: [["+12125550113", "Home"]], tags: [], notes: "" },
      {
        name: "Katherine Johnson",
        phones: [
          ["+16465550110", "Mobile"],
          ["+16465550111", "Mobile"],
          ["+12125550112", "Work"],
        ],
        tags: ["flight-ops"],
        notes: "Organization 1 - Name: NACA",
      },
    ]);
  });
});

describe("Outlook exports", () => {
  it("English: business, mobile and other phones; a repeated primary phone stored once; categories as tags", async () => {
    const { result, stored } = await run("outlook-en.csv");
    expect(result.skipped).toBe(0);
    expect(stored).toEqual([
      { name: "Claude Shannon", phones: [["+12125550122", "home phone"]], tags: [], notes: "Building B" },
      {
        name: "Hedy Lamarr",
        phones: [
          ["+12125550120", "business phone"],
          ["+12125550121", "mobile phone"],
          ["+442079460959", "other phone"],
        ],
        tags: ["staff", "fire-wardens"],
        notes: "Company: Acme Ltd",
      },
    ]);
    expect(result.notImported).toEqual(["E-mail Address", "Business Fax"]);
    expect(result.notices).toContain("A number found twice in one row (e.g. Mobile and Primary phone) is stored once (1 row(s))");
  });

  it("German: Vorname, Weitere Vornamen, Nachname, Telefon geschäftlich, Mobiltelefon, Kategorien, Notizen", async () => {
    const { result, stored } = await run("outlook-de.csv");
    expect(result.skipped).toBe(0);
    expect(stored).toEqual([
      {
        name: "Emmy Amalie Noether",
        phones: [
          ["+493012345678", "telefon geschäftlich"],
          ["+4915123456789", "mobiltelefon"],
        ],
        tags: ["ersthelfer", "geschaftsfuhrung"],
        notes: "Haus 2\nFirma: Beispiel GmbH",
      },
      { name: "Konrad Zuse", phones: [["+49307654321", "telefon privat"]], tags: [], notes: "" },
    ]);
    expect(result.notImported).toEqual(["Anrede", "Fax geschäftlich"]);
  });

  it("French, semicolon-separated with a BOM: Prénom, Nom, Téléphone bureau, Tél. mobile, Catégories", async () => {
    const p = await previewImport(t.db, { text: fixture("outlook-fr.csv") });
    expect(p.delimiter).toBe(";");
    const { result, stored } = await run("outlook-fr.csv");
    expect(result.skipped).toBe(0);
    expect(stored).toEqual([
      {
        name: "Marie Curie",
        phones: [
          ["+33142685300", "téléphone bureau"],
          ["+33612345678", "tél. mobile"],
        ],
        tags: ["securite"],
        notes: "Bâtiment C\nSociété: Exemple SA",
      },
      { name: "Pierre Curie", phones: [["+33142685302", "téléphone domicile"]], tags: [], notes: "" },
    ]);
    expect(result.notImported).toEqual(["Titre", "Télécopie (bureau)"]);
  });
});

describe("PBX and phone phonebooks", () => {
  it("3CX: Mobile, Business, Business2 and Other; a company without a person is the name", async () => {
    const { result, stored } = await run("3cx-phonebook.csv");
    expect(result.skipped).toBe(0);
    expect(stored).toEqual([
      { name: "Acme Security Desk", phones: [["+12125550144", "business"]], tags: [], notes: "" },
      {
        name: "John Bardeen",
        phones: [
          ["+12125550140", "mobile"],
          ["+12125550141", "business"],
          ["+12125550142", "business2"],
          ["+12125550143", "other"],
        ],
        tags: [],
        notes: "Company: Acme Ltd",
      },
    ]);
    expect(result.notImported).toEqual(["Email", "BusinessFax"]);
  });

  it("Yealink: display_name, office/mobile/other numbers, the group as a tag", async () => {
    const { result, stored } = await run("yealink-phonebook.csv");
    expect(result.skipped).toBe(0);
    expect(stored).toEqual([
      {
        name: "Chien-Shiung Wu",
        phones: [
          ["+12125550151", "office_number"],
          ["+12125550152", "mobile_number"],
          ["+12125550153", "other_number"],
        ],
        tags: [],
        notes: "",
      },
      { name: "Reception", phones: [["+12125550150", "office_number"]], tags: ["front-office"], notes: "" },
    ]);
    expect(result.notImported).toEqual(["line", "ring"]);
  });

  it("FreePBX Contact Manager: displayname or fname/lname, numbers separated by ;", async () => {
    const { result, stored } = await run("freepbx-contactmanager.csv");
    expect(result.skipped).toBe(0);
    expect(stored).toEqual([
      {
        name: "Maintenance on call",
        phones: [
          ["+12125550160", "numbers"],
          ["+12125550161", "numbers"],
        ],
        tags: [],
        notes: "company: Acme Ltd",
      },
      { name: "Tim Berners-Lee", phones: [["+12125550162", "numbers"]], tags: [], notes: "" },
    ]);
    expect(result.notImported).toEqual(["title"]);
  });
});

describe("Excel sep= first line", () => {
  it.each([
    ["excel-sep-semicolon.csv", ";", ["Lise Meitner", "Rosalind Franklin"]],
    ["excel-sep-comma.csv", ",", ["Barbara McClintock"]],
  ])("%s: the line is not the header; its delimiter is used", async (name, delimiter, names) => {
    const p = await previewImport(t.db, { text: fixture(name) });
    expect({ delimiter: p.delimiter, headers: p.headers.slice(0, 2), first: p.sample[0]!.row }).toEqual({
      delimiter,
      headers: ["Name", "Phone"],
      first: 2,
    });
    const { result, stored } = await run(name);
    expect(result.skipped).toBe(0);
    expect(stored.map((s) => s.name)).toEqual(names);
  });
});

describe("a file whose columns cannot be detected", () => {
  it("imports after the user chooses the columns, splitting a ' ::: ' cell", async () => {
    const p = await previewImport(t.db, { text: fixture("undetectable.csv") });
    expect(p.mapping.roles).toEqual([null, null, null]);
    expect(p.problems.map((x) => x.field)).toEqual(["mapping.name", "mapping.phone"]);
    const { result, stored } = await run("undetectable.csv", { roles: ["name", "phone", "notes"] });
    expect(result.skipped).toBe(0);
    expect(stored).toEqual([
      {
        name: "Annie Easley",
        phones: [
          ["+12125550171", "durchwahl extern"],
          ["+12125550172", "durchwahl extern"],
        ],
        tags: [],
        notes: "",
      },
      { name: "Mary Jackson", phones: [["+12125550170", "durchwahl extern"]], tags: [], notes: "Wind tunnel" },
    ]);
  });
});

describe("labels that are no tag", () => {
  it("never reject the row: a label without letters or digits is left out with a note", async () => {
    const text = 'Name,Phone,Labels\nAda,212 555 0180,"* myContacts ::: 日本 ::: Ops_Team"\n';
    const r = await importContacts(t.db, { text, actor, sqliteFile: sqlitePath(t.url) });
    expect(r.imported).toBe(1);
    expect(r.notices).toEqual([
      `Google's system label "* myContacts" is not imported as a tag (1 row(s))`,
      `"日本" has no letters or digits a tag can hold; it is not imported as a tag (1 row(s))`,
      `"Ops_Team" becomes the tag ops-team (1 row(s))`,
    ]);
    expect(splitTags((await t.db.contact.findFirstOrThrow()).tags)).toEqual(["ops-team"]);
  });

  it("a label with a control character rejects its row, naming the tags", async () => {
    const text = 'Name,Phone,Labels\nAda,212 555 0180,"Ops\u0007"\n';
    const p = await previewImport(t.db, { text });
    expect(p.sample[0]!.errors[0]).toMatch(/^Tags/);
  });
});
