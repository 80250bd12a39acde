import { describe, expect, it } from "vitest";
import { enqueueCallSchema } from "./calls";

describe("enqueueCallSchema", () => {
  const base = { kind: "campaign" as const, destination: "+441234567890" };

  it("accepts ordinary calls", () => {
    expect(enqueueCallSchema.safeParse({ ...base, displayName: "Jane Smith", callerId: '"Front desk" <100>' }).success).toBe(
      true,
    );
  });

  it.each([
    ["displayName", "Eve\r\nApplication: System"],
    ["channel", "PJSIP/1\nApplication: System"],
    ["callerId", "x\u2028y"],
    ["destination", "+44\u0000123"],
  ])("refuses a %s with a line break or control character, naming the field", (field, value) => {
    const r = enqueueCallSchema.safeParse({ ...base, [field]: value });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual([field]);
    expect(r.error?.issues[0]?.message).toMatch(/^must not contain /);
  });
});
