/**
 * The one Prisma client (STYLE.md rule 1). The provider follows DATABASE_URL: SQLite through
 * better-sqlite3 (WAL, busy timeout) or PostgreSQL through pg. Both generated clients come
 * from schemas with identical models (tests/schema-sync.test.ts), so one type serves both.
 * Secret columns are omitted from every query unless a caller asks for them explicitly.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "@/lib/generated/sqlite/client";
import { PrismaClient as PgClient } from "@/lib/generated/postgresql/client";
import { env } from "@/lib/env";
import { sqlitePath } from "@/lib/db/migrate";

const OMIT = {
  user: { passwordHash: true },
  asteriskHost: { sftpPrivateKey: true },
  apiToken: { tokenHash: true },
} as const;

function create(url: string) {
  if (url.startsWith("file:")) {
    const file = sqlitePath(url);
    mkdirSync(path.dirname(file), { recursive: true });
    return new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: file, timeout: 15000 }), omit: OMIT });
  }
  const client = new PgClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }), omit: OMIT });
  // The generated model types are identical (schema-sync test); only the provider differs.
  return client as unknown as ReturnType<typeof createSqlite>;
}

function createSqlite(url: string) {
  return new SqliteClient({ adapter: new PrismaBetterSQLite3({ url }), omit: OMIT });
}

/** The Prisma client type used throughout lib/. */
export type Db = ReturnType<typeof createSqlite>;
/** A transaction client as passed to `db.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * At most this many ids in one `in` filter that sits beside another condition. Prisma splits a
 * long `in` list by itself only when it is the whole filter; otherwise the statement must stay
 * under SQLite's limit of 999 parameters, with room for the other conditions and the page.
 */
export const MAX_IDS_PER_FILTER = 500;

const globalForDb = globalThis as unknown as { spoolcastDb?: Db; spoolcastDbUrl?: string };

/** The shared client for the configured DATABASE_URL. */
export function db(): Db {
  const url = env().databaseUrl;
  if (!globalForDb.spoolcastDb || globalForDb.spoolcastDbUrl !== url) {
    globalForDb.spoolcastDb = create(url);
    globalForDb.spoolcastDbUrl = url;
  }
  return globalForDb.spoolcastDb;
}

/** A separate client for an explicit URL (tests, tools). The caller disconnects it. */
export function createDb(url: string): Db {
  return create(url);
}

/** True when the active database is SQLite (no SKIP LOCKED, case-sensitive LIKE differs). */
export function isSqlite(): boolean {
  return env().provider === "sqlite";
}
