import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
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

describe("a new SQLite database is private from the start", () => {
  it("is created 0600 by the migration, before SQLite could give it the umask's mode", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "spoolcast-migrate-"));
    try {
      const file = path.join(dir, "data", "spoolcast.db");
      await migrate(`file:${file}`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
      const companions = [`${file}-wal`, `${file}-shm`].filter((f) => existsSync(f));
      expect(companions.map((f) => statSync(f).mode & 0o777)).toEqual(companions.map(() => 0o600));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
