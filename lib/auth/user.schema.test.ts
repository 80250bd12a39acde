import { describe, expect, it } from "vitest";
import { deskEndpointSchema, emailSchema, personNameSchema } from "@/lib/auth/user.schema";

describe("account input schemas", () => {
  it("refuses desk phones with control characters before the destination rule reads them", () => {
    for (const ok of ["PJSIP/1001", "SIP/reception@office", "1001", " PJSIP/1001 ", ""]) {
      expect(deskEndpointSchema.safeParse(ok).success).toBe(true);
    }
    for (const bad of ["PJSIP/1001\nApplication: System", "Local/1@c\r", "PJSIP/1001\u0000", "x".repeat(101)]) {
      expect(deskEndpointSchema.safeParse(bad).success).toBe(false);
    }
  });

  it("normalises emails and refuses control characters in names", () => {
    expect(emailSchema.parse("  Ann@Example.ORG ")).toBe("ann@example.org");
    expect(emailSchema.safeParse("not-an-email").success).toBe(false);
    expect(emailSchema.safeParse("ann@example.org\n").success).toBe(false);
    expect(personNameSchema.safeParse("Ann\r").success).toBe(false);
    expect(personNameSchema.safeParse("Ann\nAdmin").error?.issues[0]?.message).toBe("Name must not contain a line break");
    expect(personNameSchema.safeParse("Ann\u2028").error?.issues[0]?.message).toBe(
      "Name must not contain a line separator (U+2028)",
    );
    expect(personNameSchema.parse("  Zoë O'Neill ")).toBe("Zoë O'Neill");
  });
});
