/**
 * On SQLite, every Prisma transaction takes the write lock at its start (ImmediateSQLite3 in
 * lib/db.ts). A deferred transaction reads first and fails on its first write with
 * SQLITE_BUSY_SNAPSHOT when another connection committed in between. With BEGIN IMMEDIATE the
 * other connection waits instead, and the transaction commits.
 */
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "./support/test-db";
import { sqlitePath } from "@/lib/db/migrate";

function sqliteCode(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
}

describe("SQLite transactions begin immediate", () => {
  let t: TestDb | undefined;
  let other: Database.Database | undefined;
  afterEach(async () => {
    other?.close();
    other = undefined;
    await t?.drop();
    t = undefined;
  });

  it("holds the write lock from the first statement, so a read-then-write transaction cannot go stale", async () => {
    t = await createTestDb("sqlite");
    const db = t.db;
    other = new Database(sqlitePath(t.url));
    other.pragma("busy_timeout = 0");
    const otherWrite = other.prepare(`INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES ('other', '1', '2026-01-01T00:00:00.000+00:00')`);

    let codeInside: string | undefined;
    await db.$transaction(async (tx) => {
      expect(await tx.setting.count()).toBe(0);
      // A deferred transaction holds only a read snapshot here: this write would succeed and
      // the transaction's own write below would then fail with SQLITE_BUSY_SNAPSHOT.
      codeInside = sqliteCode(() => otherWrite.run());
      await tx.setting.create({ data: { key: "mine", value: "1" } });
    });

    expect(codeInside).toBe("SQLITE_BUSY");
    expect((await db.setting.findMany()).map((s) => s.key)).toEqual(["mine"]);
    // Once the transaction has committed, the other connection writes normally.
    expect(sqliteCode(() => otherWrite.run())).toBeUndefined();
    expect((await db.setting.findMany({ orderBy: { key: "asc" } })).map((s) => s.key)).toEqual(["mine", "other"]);
  });

  it("releases the lock when a transaction rolls back", async () => {
    t = await createTestDb("sqlite");
    const db = t.db;
    other = new Database(sqlitePath(t.url));
    other.pragma("busy_timeout = 0");
    await expect(
      db.$transaction(async (tx) => {
        await tx.setting.create({ data: { key: "gone", value: "1" } });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(sqliteCode(() => other!.prepare(`INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES ('after', '1', '2026-01-01T00:00:00.000+00:00')`).run())).toBeUndefined();
    expect((await db.setting.findMany()).map((s) => s.key)).toEqual(["after"]);
  });
});
