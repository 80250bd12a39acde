import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PROVIDERS, createTestDb, type TestDb } from "./support/test-db";
import { listAuditEvents } from "@/lib/audit/record-audit";
import { createFirstAdmin } from "@/lib/auth/setup";
import type { MutationContext } from "@/lib/auth/users";
import { getUserTimeZone, setTimeZoneSchema, setUserTimeZone } from "@/lib/time/viewer-zone";

describe("the time zone field", () => {
  it("accepts an IANA zone or empty, and names the field otherwise", () => {
    expect(setTimeZoneSchema.safeParse({ timeZone: "America/New_York" }).success).toBe(true);
    expect(setTimeZoneSchema.safeParse({ timeZone: "" }).success).toBe(true);
    const bad = setTimeZoneSchema.safeParse({ timeZone: "Eastern" });
    expect(bad.error?.issues[0]).toMatchObject({ path: ["timeZone"], message: expect.stringContaining("America/New_York") });
  });
});

describe.each(PROVIDERS)("a user's time zone on %s", (provider) => {
  let t: TestDb;
  let ctx: MutationContext;
  let adminId: string;
  beforeEach(async () => {
    t = await createTestDb(provider);
    adminId = (await createFirstAdmin(t.db, { name: "Ada", email: "ada@example.org", password: "correct horse battery" })).id;
    ctx = { actor: { type: "user", id: adminId, name: "Ada" }, ip: null };
  });
  afterEach(async () => t.drop());

  it("is the browser's until chosen, is stored, cleared, and audited only on a change", async () => {
    expect(await getUserTimeZone(t.db, adminId)).toBeNull();
    await setUserTimeZone(t.db, { userId: adminId, timeZone: "Asia/Tokyo" }, ctx);
    await setUserTimeZone(t.db, { userId: adminId, timeZone: "Asia/Tokyo" }, ctx);
    expect(await getUserTimeZone(t.db, adminId)).toBe("Asia/Tokyo");
    expect(await setUserTimeZone(t.db, { userId: adminId, timeZone: "" }, ctx)).toEqual({ timeZone: null });
    expect(await getUserTimeZone(t.db, adminId)).toBeNull();
    const events = await listAuditEvents(t.db, { action: "user.time-zone.change" });
    expect(events.events.map((e) => e.summary)).toEqual([
      "Time zone of Ada: Asia/Tokyo → the browser's",
      "Time zone of Ada: the browser's → Asia/Tokyo",
    ]);
  });

  it("refuses an unknown zone without storing it", async () => {
    await expect(setUserTimeZone(t.db, { userId: adminId, timeZone: "Mars/Olympus" }, ctx)).rejects.toThrow(
      'Unknown time zone "Mars/Olympus".',
    );
    expect(await getUserTimeZone(t.db, adminId)).toBeNull();
  });
});
