/**
 * On SQLite, every Prisma transaction takes the write lock at its start (ImmediateSQLite3 in
 * lib/db.ts). A deferred transaction reads first and fails on its first write with
 * SQLITE_BUSY_SNAPSHOT when another connection committed in between. With BEGIN IMMEDIATE the
 * other connection cannot write until the transaction ends (here it is refused at once: busy
 * timeout 0), and the transaction commits.
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

  /** A fresh SQLite database, and a second connection that never waits for a lock. */
  async function twoConnections() {
    t = await createTestDb("sqlite");
    const conn = new Database(sqlitePath(t.url));
    other = conn;
    conn.pragma("busy_timeout = 0");
    const insert = conn.prepare(
      `INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES (?, '1', '2026-01-01T00:00:00.000+00:00')`,
    );
    return { db: t.db, otherWrite: (key: string) => sqliteCode(() => insert.run(key)) };
  }

  it("holds the write lock from the first statement, so a read-then-write transaction cannot go stale", async () => {
    const { db, otherWrite } = await twoConnections();

    let codeInside: string | undefined;
    await db.$transaction(async (tx) => {
      expect(await tx.setting.count()).toBe(0);
      // A deferred transaction holds only a read snapshot here: this write would succeed and
      // the transaction's own write below would then fail with SQLITE_BUSY_SNAPSHOT.
      codeInside = otherWrite("other");
      await tx.setting.create({ data: { key: "mine", value: "1" } });
    });

    expect(codeInside).toBe("SQLITE_BUSY");
    expect((await db.setting.findMany()).map((s) => s.key)).toEqual(["mine"]);
    // Once the transaction has committed, the other connection writes normally.
    expect(otherWrite("other")).toBeUndefined();
    expect((await db.setting.findMany({ orderBy: { key: "asc" } })).map((s) => s.key)).toEqual(["mine", "other"]);
  });

  it("releases the lock when a transaction rolls back", async () => {
    const { db, otherWrite } = await twoConnections();
    await expect(
      db.$transaction(async (tx) => {
        await tx.setting.create({ data: { key: "gone", value: "1" } });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(otherWrite("after")).toBeUndefined();
    expect((await db.setting.findMany()).map((s) => s.key)).toEqual(["after"]);
  });
});
