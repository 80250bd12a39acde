import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HOSTILE_TEXT } from "@/tests/support/hostile-text";
import { findForbiddenChar, hasForbiddenChars, plainText } from "./plain-text";

/** The code points the rule lists (a plain restatement, so the property checks the implementation). */
const listed = (c: number) => c <= 0x1f || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029;

describe("one text rule for names and free text", () => {
  it("refuses every hostile string, naming what it found", () => {
    for (const s of HOSTILE_TEXT) expect({ s, refused: hasForbiddenChars(s) }).toEqual({ s, refused: true });
    expect(findForbiddenChar("a\u2028b")).toEqual({ index: 1, name: "a line separator (U+2028)" });
    expect(findForbiddenChar("x\u0000")?.name).toBe("a NUL character");
    expect(findForbiddenChar("\ud83d")?.name).toBe("a broken character (lone surrogate U+D83D)");
  });

  it("accepts ordinary text in any script, emoji included, and line breaks where allowed", () => {
    for (const s of ["Zoë O'Brien-Müller", "東京 本社", "Évacuation 🔥 bâtiment B", "# 12 \\ back", ""]) {
      expect({ s, refused: hasForbiddenChars(s) }).toEqual({ s, refused: false });
    }
    expect(hasForbiddenChars("line one\r\nline two", { allowLineBreaks: true })).toBe(false);
    expect(hasForbiddenChars("line one\ttab", { allowLineBreaks: true })).toBe(true);
  });

  it("a field schema names the field and never trims a refused character away", () => {
    const name = plainText("Campaign name", { max: 10, min: 1 });
    expect(name.safeParse(" Drill ").data).toBe("Drill");
    expect(name.safeParse("Drill\n").error?.issues[0]?.message).toBe("Campaign name must not contain a line break");
    expect(name.safeParse("Drill\u0000").error?.issues).toHaveLength(1);
    expect(name.safeParse("   ").error?.issues[0]?.message).toBe("Enter the campaign name");
    expect(name.safeParse("x".repeat(11)).error?.issues[0]?.message).toBe("Campaign name is too long (at most 10 characters)");
  });

  it("any string without the listed code points passes (property)", () => {
    const allowed = fc.string({ unit: "grapheme" }).filter((s) => ![...s].some((ch) => listed(ch.codePointAt(0)!)));
    fc.assert(fc.property(allowed, (s) => !hasForbiddenChars(s)));
  });
});
