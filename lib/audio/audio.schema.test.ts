import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { audioNameSchema, audioTagsSchema, parseStoredTags, serializeTags } from "@/lib/audio/audio.schema";
import { hasForbiddenChars } from "@/lib/text/plain-text";

const tagChar = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789éü".split(""));
const validTag = fc
  .tuple(tagChar, fc.array(fc.oneof(tagChar, fc.constantFrom(" ", "_", ".", "-")), { maxLength: 20 }))
  .map(([first, rest]) => (first + rest.join("")).trim());

describe("tags", () => {
  it("round-trips any valid tag list through the stored form", () => {
    fc.assert(
      fc.property(fc.uniqueArray(validTag, { maxLength: 20 }), (tags) => {
        const parsed = audioTagsSchema.parse(tags);
        expect(parseStoredTags(serializeTags(parsed))).toEqual(parsed);
        // Stored as ",a,b," so an exact-tag search is `contains ",a,"`.
        for (const t of parsed) expect(serializeTags(parsed)).toContain(`,${t},`);
      }),
    );
  });

  it("reads typed tags: trims, lower-cases, drops empties and duplicates", () => {
    expect(audioTagsSchema.parse(" Fire, drill ,,fire, Évacuation ")).toEqual(["fire", "drill", "évacuation"]);
    expect(audioTagsSchema.parse("")).toEqual([]);
  });

  it("refuses a tag it cannot store faithfully rather than altering it", () => {
    expect(audioTagsSchema.safeParse(["<b>"]).success).toBe(false);
    expect(audioTagsSchema.safeParse(["a\nb"]).success).toBe(false);
    expect(audioTagsSchema.safeParse(["x".repeat(41)]).success).toBe(false);
    expect(audioTagsSchema.safeParse(Array.from({ length: 21 }, (_, i) => `t${i}`)).success).toBe(false);
  });
});

describe("names", () => {
  it("refuses control characters anywhere and accepts any other text", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 90 }), (name) => {
        const result = audioNameSchema.safeParse(name);
        // Checked before trimming: a trailing line break is refused, not trimmed away.
        const expected = name.trim().length > 0 && !hasForbiddenChars(name);
        expect(result.success).toBe(expected);
      }),
    );
    expect(audioNameSchema.safeParse("Fire\u0085alarm").success).toBe(false);
    expect(audioNameSchema.parse("  Fire alarm ")).toBe("Fire alarm");
  });

  it("allows line breaks only where asked", () => {
    expect(hasForbiddenChars("one\ntwo")).toBe(true);
    expect(hasForbiddenChars("one\ntwo\r\nthree", { allowLineBreaks: true })).toBe(false);
    expect(hasForbiddenChars("one\ttab", { allowLineBreaks: true })).toBe(true);
    expect(hasForbiddenChars("bell\u0007", { allowLineBreaks: true })).toBe(true);
  });
});
