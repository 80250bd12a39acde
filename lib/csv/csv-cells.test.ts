import fc from "fast-check";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { neutralizeFormula, toCsvLine, unneutralizeFormula } from "@/lib/csv/csv-cells";
import { decodeCsv, MAX_CSV_BYTES } from "@/lib/csv/decode-csv";
import { detectMapping, mappingProblems } from "@/lib/csv/column-mapping";
import { stripSepLine } from "@/lib/csv/excel-sep-line";
import { toTagSlug } from "@/lib/csv/row-to-contact";

describe("formula neutralisation", () => {
  it("prefixes an apostrophe to cells a spreadsheet would run", () => {
    expect(neutralizeFormula("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
    for (const start of ["=", "+", "-", "@", "\t", "\r"]) expect(neutralizeFormula(`${start}1`)).toBe(`'${start}1`);
    expect(neutralizeFormula("Ada")).toBe("Ada");
    expect(toCsvLine(['=HYPERLINK("x")', "ok"])).toBe(`"'=HYPERLINK(""x"")","ok"\r\n`);
  });

  it("round-trips every cell through CSV with no cell starting a formula (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 5 }), (cells) => {
        const parsed = Papa.parse<string[]>(toCsvLine(cells), { header: false, delimiter: "," }).data[0]!;
        expect(parsed).toHaveLength(cells.length);
        parsed.forEach((c, i) => {
          expect(c).not.toMatch(/^[=+\-@\t\r]/);
          expect(c).toBe(neutralizeFormula(cells[i]!));
        });
      }),
    );
  });

  it("undoes exactly its own escaping on import (property)", () => {
    expect(unneutralizeFormula("'+12125550100")).toBe("+12125550100");
    expect(unneutralizeFormula("'Brien")).toBe("'Brien");
    const cell = fc.tuple(fc.constantFrom("", "'", "''", "=", "'+", "-"), fc.string()).map(([a, b]) => a + b);
    expect(() =>
      fc.assert(
        fc.property(cell, (v) => unneutralizeFormula(neutralizeFormula(v)) === v),
        { numRuns: 2000 },
      ),
    ).not.toThrow();
  });
});

describe("decodeCsv", () => {
  const enc = new TextEncoder();
  it("strips a UTF-8 BOM and keeps accents", () => {
    expect(decodeCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode("name\nZoë")]))).toBe("name\nZoë");
  });
  it("rejects Latin-1, UTF-16, NUL bytes, empty and oversize files with a message naming the problem", () => {
    expect(() => decodeCsv(new Uint8Array([...enc.encode("name\nZo"), 0xeb]))).toThrow(/not valid UTF-8/);
    expect(() => decodeCsv(new Uint8Array([0xff, 0xfe, 0x6e, 0x00]))).toThrow(/UTF-16/);
    expect(() => decodeCsv(enc.encode("a\u0000b"))).toThrow(/NUL/);
    expect(() => decodeCsv(new Uint8Array())).toThrow(/empty/);
    expect(() => decodeCsv(new Uint8Array(MAX_CSV_BYTES + 1))).toThrow(/limit is 20 MB/);
  });
});

describe("detectMapping", () => {
  it("gives each column the role its header suggests, one time zone and one language at most", () => {
    const m = detectMapping(["Full Name", "Mobile", "E-mail", "Home Phone", "Time zone", "Tags", "Lang", "TZ", "Fax"]);
    expect(m.roles).toEqual(["name", "phone", null, "phone", "timeZone", "tags", "language", null, null]);
    expect(detectMapping(["First name", "Surname", "phone"]).roles).toEqual(["firstName", "lastName", "phone"]);
  });

  it("reads localized and punctuated headers the same way", () => {
    expect(detectMapping(["Prénom", "Nom", "Téléphone (bureau)", "Tél. mobile", "Catégories"]).roles).toEqual([
      "firstName",
      "lastName",
      "phone",
      "phone",
      "tags",
    ]);
    expect(detectMapping(["Vorname", "Nachname", "Telefon geschäftlich", "Mobiltelefon", "Fax geschäftlich"]).roles).toEqual([
      "firstName",
      "lastName",
      "phone",
      "phone",
      null,
    ]);
    // A PBX phonebook's "Extension" column holds internal extensions (FreePBX, 3CX, Yealink): a phone.
    expect(detectMapping(["Phone 3 - Label", "Phone 3 - Value", "Phone 1 - Type", "Extension"]).roles).toEqual([
      "phoneLabel",
      "phone",
      "phoneLabel",
      "phone",
    ]);
  });
});

describe("mappingProblems", () => {
  it("names the missing name and phone columns, and a single-column role chosen twice", () => {
    expect(mappingProblems({ roles: [null, null] }, ["a", "b"]).map((p) => p.field)).toEqual(["mapping.name", "mapping.phone"]);
    expect(mappingProblems({ roles: ["company", "phone"] }, ["a", "b"])).toEqual([]);
    expect(mappingProblems({ roles: ["name", "phone", "language", "language"] }, ["a", "b", "c", "d"])).toEqual([
      { field: "mapping.language", message: 'Only one column can be the language; "c" and "d" are both chosen' },
    ]);
    expect(mappingProblems({ roles: ["name"] }, ["a", "b"])[0]!.field).toBe("mapping");
  });
});

describe("stripSepLine", () => {
  it("removes Excel's sep= line and returns its delimiter", () => {
    expect(stripSepLine("sep=;\r\nName;Phone\r\n")).toEqual({ text: "Name;Phone\r\n", delimiter: ";" });
    expect(stripSepLine("SEP=,\nName,Phone")).toEqual({ text: "Name,Phone", delimiter: "," });
    expect(stripSepLine("sep=\t\nName\tPhone")).toEqual({ text: "Name\tPhone", delimiter: "\t" });
    expect(stripSepLine("separator,phone\n")).toEqual({ text: "separator,phone\n", delimiter: undefined });
  });
});

describe("toTagSlug", () => {
  it("turns labels into tag slugs, or null when nothing is left", () => {
    expect(toTagSlug("Night Shift")).toBe("night-shift");
    expect(toTagSlug("Sécurité")).toBe("securite");
    expect(toTagSlug("  --Ops_Team-- ")).toBe("ops-team");
    expect(toTagSlug("日本")).toBeNull();
    expect(toTagSlug("x".repeat(45))).toBe("x".repeat(40));
    // a control character is not removed: the schema rejects the row instead
    expect(toTagSlug("ops\u0007")).toBe("ops\u0007");
  });
});
