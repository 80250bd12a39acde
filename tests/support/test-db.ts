/**
 * Fresh, migrated databases for integration tests: `withProviders` runs the same test body
 * against SQLite (temp file) and PostgreSQL (a new schema-less database on the shared server).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { createDb, type Db } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";

export type Provider = "sqlite" | "postgresql";
export const PROVIDERS: Provider[] = ["sqlite", "postgresql"];

export type TestDb = { db: Db; url: string; provider: Provider; drop: () => Promise<void> };

/** A new empty, migrated database of the given provider. */
export async function createTestDb(provider: Provider): Promise<TestDb> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "spoolcast-sqlite-"));
    const url = `file:${path.join(dir, "test.db")}`;
    await migrate(url);
    const db = createDb(url);
    return {
      db,
      url,
      provider,
      drop: async () => {
        await db.$disconnect();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const base = inject("pgUrl");
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = base.replace(/\/[^/?]+(\?|$)/, `/${name}$1`);
  await migrate(url);
  const db = createDb(url);
  return {
    db,
    url,
    provider,
    drop: async () => {
      await db.$disconnect();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
