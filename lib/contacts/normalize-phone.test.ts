import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isE164, normalizePhone, phoneSearchDigits } from "@/lib/contacts/normalize-phone";

describe("normalizePhone", () => {
  it("reads national numbers in the default country and keeps international ones", () => {
    expect(normalizePhone("(212) 555-0100", "US")).toEqual({ ok: true, e164: "+12125550100" });
    expect(normalizePhone("020 7946 0958", "GB")).toEqual({ ok: true, e164: "+442079460958" });
    expect(normalizePhone("+44 20 7946 0958", "US")).toEqual({ ok: true, e164: "+442079460958" });
    expect(normalizePhone("01 42 68 53 00", "FR")).toEqual({ ok: true, e164: "+33142685300" });
  });

  it("rejects numbers that are not a real number plan, with a message", () => {
    const results = ["12", "555-123-4567", "+999999", "+1 000 000 0000", "0000000000000000000"].map((bad) =>
      normalizePhone(bad, "US"),
    );
    for (const r of results)
      expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/not a valid phone number|too long/) });
  });

  it("rejects letters, control characters and extensions instead of stripping them", () => {
    const accepted = [
      "212-555-0100\n",
      "212\t555 0100",
      "212\u0000555 0100",
      "212 555 0100 ext 12",
      "tel:+12125550100",
      "+1 212 555 0100;x",
    ].filter((bad) => normalizePhone(bad, "US").ok);
    expect(accepted).toEqual([]);
    expect(normalizePhone("", "US")).toEqual({ ok: false, error: "Enter a phone number" });
  });

  it("only ever accepts numbers whose result is E.164 (property)", () => {
    expect(() =>
      fc.assert(
        fc.property(fc.string({ maxLength: 30 }), fc.constantFrom("US", "GB", "FR", "DE", "IN", "BR"), (input, country) => {
          const r = normalizePhone(input, country);
          // accepted → E.164, and normalising the normalised number is the identity
          return (
            !r.ok ||
            (isE164(r.e164) &&
              normalizePhone(r.e164, country).ok &&
              (normalizePhone(r.e164, country) as { e164: string }).e164 === r.e164)
          );
        }),
        { numRuns: 2000 },
      ),
    ).not.toThrow();
    expect(() =>
      fc.assert(
        fc.property(fc.stringMatching(/^\+?[0-9 ()-]{7,20}$/), (input) => {
          const r = normalizePhone(input, "US");
          return !r.ok || /^\+[1-9][0-9]{6,14}$/.test(r.e164);
        }),
        { numRuns: 2000 },
      ),
    ).not.toThrow();
  });

  it("extracts search digits only from number-like queries", () => {
    expect(phoneSearchDigits("(212) 555")).toBe("212555");
    expect(phoneSearchDigits("smith 212")).toBe("");
  });
});
