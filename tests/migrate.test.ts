import { afterEach, describe, expect, it } from "vitest";
import { PROVIDERS, createTestDb, type TestDb } from "./support/test-db";
import { migrate } from "@/lib/db/migrate";

describe.each(PROVIDERS)("migrations on %s", (provider) => {
  let t: TestDb | undefined;
  afterEach(async () => {
    await t?.drop();
    t = undefined;
  });

  it("creates every table, and a second run applies nothing", async () => {
    t = await createTestDb(provider);
    const again = await migrate(t.url);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBeGreaterThan(0);
    const user = await t.db.user.create({ data: { email: "a@example.org", name: "A", passwordHash: "x" } });
    expect(user.role).toBe("viewer");
    expect(await t.db.call.count()).toBe(0);
  });
});
