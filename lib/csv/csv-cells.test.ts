import fc from "fast-check";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { neutralizeFormula, toCsvLine, unneutralizeFormula } from "@/lib/csv/csv-cells";
import { decodeCsv, MAX_CSV_BYTES } from "@/lib/csv/decode-csv";
import { detectMapping } from "@/lib/csv/column-mapping";

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
  it("recognises common header names", () => {
    const m = detectMapping(["Full Name", "Mobile", "E-mail", "Home Phone", "Time zone", "Tags", "Lang"]);
    expect(m).toMatchObject({ name: 0, phone: 1, phone2: 3, timeZone: 4, tags: 5, language: 6, notes: null });
    expect(detectMapping(["First name", "Surname", "phone"])).toMatchObject({ name: null, firstName: 0, lastName: 1, phone: 2 });
  });
});
