/**
 * Applies the committed migrations of the active provider (prisma/<provider>/migrations),
 * recording them in Prisma's own `_prisma_migrations` table so `prisma migrate status`
 * agrees. Used instead of `prisma migrate deploy` because the JS schema engine cannot read
 * PostgreSQL catalogs through adapter-pg (prisma/orm#27403); one runner for both providers
 * keeps start-up identical. Idempotent; refuses to run when an applied file was edited.
 */
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { ensurePrivateSqlite } from "@/lib/private-data";

export type MigrateResult = { applied: string[]; alreadyApplied: number };

type Migration = { name: string; sql: string; checksum: string };

const BOOKKEEPING_SQLITE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`;
const BOOKKEEPING_PG = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`;

function loadMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) throw new Error(`No migrations directory at ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

function checkEdited(applied: Map<string, string>, migrations: Migration[]): void {
  for (const m of migrations) {
    const sum = applied.get(m.name);
    if (sum && sum !== m.checksum) {
      throw new Error(`Migration ${m.name} was changed after it was applied; add a new migration instead.`);
    }
  }
}

/** The SQLite file path of a `file:` URL, relative to the working directory. */
export function sqlitePath(url: string): string {
  return path.resolve(/*turbopackIgnore: true*/ url.replace(/^file:/, "").replace(/\?.*$/, ""));
}

function migrateSqlite(url: string, migrations: Migration[]): MigrateResult {
  // Created 0600 before SQLite makes it with the umask's mode (lib/private-data.ts says why).
  ensurePrivateSqlite(sqlitePath(url));
  const db = new Database(sqlitePath(url));
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 10000");
    db.exec(BOOKKEEPING_SQLITE);
    const rows = db
      .prepare(
        `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      )
      .all() as { migration_name: string; checksum: string }[];
    const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    checkEdited(applied, migrations);
    const done: string[] = [];
    for (const m of migrations.filter((x) => !applied.has(x.name))) {
      // One transaction per migration: a crash leaves it either fully applied and recorded or not at all.
      db.transaction(() => {
        db.exec(m.sql);
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count, started_at) VALUES (?, ?, ?, ?, 1, ?)`,
        ).run(randomUUID(), m.checksum, Date.now(), m.name, Date.now());
      }).immediate();
      done.push(m.name);
    }
    return { applied: done, alreadyApplied: applied.size };
  } finally {
    db.close();
  }
}

async function migratePg(url: string, migrations: Migration[]): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Serialise concurrent starters (several workers) on one advisory lock.
    await client.query("SELECT pg_advisory_lock(72707201)");
    await client.query(BOOKKEEPING_PG);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    checkEdited(applied, migrations);
    const done: string[] = [];
    for (const m of migrations.filter((x) => !applied.has(x.name))) {
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw err;
      }
      done.push(m.name);
    }
    return { applied: done, alreadyApplied: applied.size };
  } finally {
    await client.query("SELECT pg_advisory_unlock(72707201)").catch(() => undefined);
    await client.end();
  }
}

/** Brings the database at `url` up to date with the committed migrations. */
export async function migrate(url: string, root = process.cwd()): Promise<MigrateResult> {
  const provider = url.startsWith("file:") ? "sqlite" : "postgresql";
  const migrations = loadMigrations(path.join(root, "prisma", provider, "migrations"));
  return provider === "sqlite" ? migrateSqlite(url, migrations) : migratePg(url, migrations);
}
