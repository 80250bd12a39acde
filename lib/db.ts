/**
 * The one Prisma client (docs/architecture.md#conventions). The provider follows DATABASE_URL: SQLite through
 * better-sqlite3 (WAL, busy timeout) or PostgreSQL through pg. Both generated clients come
 * from schemas with identical models (tests/schema-sync.test.ts), so one type serves both.
 * Secret columns are omitted from every query unless a caller asks for them explicitly.
 */
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "@/lib/generated/sqlite/client";
import { PrismaClient as PgClient } from "@/lib/generated/postgresql/client";
import { env } from "@/lib/env";
import { sqlitePath } from "@/lib/db/migrate";
import { log } from "@/lib/log";
import { ensurePrivateDir, ensurePrivateFile, ensurePrivateSqlite, siteSecretFile } from "@/lib/private-data";

const OMIT = {
  user: { passwordHash: true },
  asteriskHost: { sftpPrivateKey: true },
  apiToken: { tokenHash: true },
} as const;

/** The part of better-sqlite3's Database that the adapter's connection is reached through. */
type Preparer = { prepare: (sql: string) => unknown };

/**
 * Prisma's better-sqlite3 adapter opens every transaction with a deferred `BEGIN`. Such a
 * transaction takes the write lock only at its first write. If another connection writes first
 * (a second process, or the engine's direct connection), SQLite refuses the upgrade at once:
 * SQLITE_BUSY if the other connection still holds the lock, SQLITE_BUSY_SNAPSHOT if it has
 * committed since our first read. The busy timeout does not apply to an upgrade, so the whole
 * transaction fails. `BEGIN IMMEDIATE` takes the write lock at the start, where the busy
 * timeout does apply: the transaction waits its turn and then runs on a snapshot that cannot
 * go stale. The adapter issues the statement through `client.prepare("BEGIN")`, so that one
 * statement is rewritten on this connection. tests/sqlite-immediate.test.ts fails if the
 * adapter stops doing it that way.
 */
export class ImmediateSQLite3 extends PrismaBetterSQLite3 {
  override async connect() {
    const adapter = await super.connect();
    const client = (adapter as unknown as { client?: Preparer }).client;
    if (!client || typeof client.prepare !== "function") {
      throw new Error(
        "@prisma/adapter-better-sqlite3 no longer exposes its connection as `client`: see ImmediateSQLite3 in lib/db.ts",
      );
    }
    const prepare = client.prepare.bind(client);
    client.prepare = (sql: string) => prepare(sql === "BEGIN" ? "BEGIN IMMEDIATE" : sql);
    return adapter;
  }
}

/**
 * The data directory 0700, the database and the secret 0600, before anything is opened; what
 * had to be tightened (an install from before this rule, a restored copy) is logged once.
 */
function securePrivateData(sqliteFile: string | null): void {
  const { dataDir } = env();
  const changed = ensurePrivateDir(dataDir);
  ensurePrivateFile(siteSecretFile(dataDir), {}, changed);
  if (sqliteFile) ensurePrivateSqlite(sqliteFile, changed);
  for (const c of changed)
    log.warn({ path: c.path, from: c.from, to: c.to }, "tightened a private data file that other users could read");
}

function create(url: string) {
  if (url.startsWith("file:")) {
    const file = sqlitePath(url);
    securePrivateData(file);
    return new SqliteClient({ adapter: new ImmediateSQLite3({ url: file, timeout: 15000 }), omit: OMIT });
  }
  securePrivateData(null);
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

/** A write refused by a unique constraint (Prisma's P2002, on either provider): someone else got there first. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

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
