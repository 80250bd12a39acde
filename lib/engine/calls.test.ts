import { describe, expect, it } from "vitest";
import { enqueueCallSchema, enqueueCalls, requeueCall } from "./calls";
import { UserError, isUserError } from "@/lib/errors";
import { createTestDb } from "@/tests/support/test-db";

const base = { kind: "campaign" as const, destination: "+441234567890" };

describe("enqueueCallSchema", () => {
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

describe("enqueueCalls and requeueCall errors", () => {
  it("are UserErrors (the one error model) naming the field, with the API's code", async () => {
    const t = await createTestDb("sqlite");
    try {
      const noHost = await enqueueCalls(t.db, [base]).catch((e: unknown) => e);
      expect(noHost).toBeInstanceOf(UserError);
      expect(noHost).toMatchObject({ message: "No Asterisk host is configured", field: "hostId", code: "invalid_request" });
      const bad = await enqueueCalls(t.db, [{ ...base, displayName: "Eve\r\nApplication: System" }]).catch((e: unknown) => e);
      expect(isUserError(bad)).toBe(true);
      expect(bad).toMatchObject({
        field: "displayName",
        message: expect.stringMatching(/^calls\[0\]\.displayName: must not contain /),
      });
      await expect(requeueCall("c_none", { name: "desk" }, { db: t.db })).rejects.toMatchObject({
        name: "UserError",
        field: "callId",
        message: "No such call",
      });
    } finally {
      await t.drop();
    }
  });
});
