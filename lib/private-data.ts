/**
 * Spoolcast's data directory holds what nobody else on the machine may read: the SQLite
 * database (password and token hashes, the SFTP private key to the PBX, IVR signing secrets)
 * with its WAL/SHM files, and the `secret` file. The directory is kept 0700 and those files
 * 0600, whatever the umask was when they were made: created that way, and tightened at start-up
 * when an older install (or a copy) left them readable.
 *
 * SQLite creates its -wal and -shm files with the permissions of the database file (unix VFS,
 * `findCreateFileMode`), so a database created 0600 keeps its companions private too; they
 * are still checked, since one may predate the fix.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from "node:fs";
import path from "node:path";

/** The site secret's file in the data directory (used when SPOOLCAST_SECRET is not set). */
export function siteSecretFile(dataDir: string): string {
  return path.join(dataDir, "secret");
}

/** A SQLite database file and the companions SQLite may create beside it. */
export function sqliteFiles(dbFile: string): string[] {
  return [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, `${dbFile}-journal`];
}

/** A path whose mode was changed, for the start-up log line. */
export type Tightened = { path: string; from: string; to: string };

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;
const OTHERS = 0o077;

const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, "0");

function tighten(target: string, mode: number, out: Tightened[]): void {
  const current = statSync(target).mode;
  if ((current & OTHERS) === 0) return;
  chmodSync(target, mode);
  out.push({ path: target, from: octal(current), to: octal(mode) });
}

const STICKY = 0o1000;

/**
 * Creates `dir` (and parents) with mode 0700 for the leaf, or tightens it. A shared directory
 * (sticky bit, like /tmp) or the root is never tightened: SPOOLCAST_DATA_DIR pointed at one is
 * a configuration mistake that the health check reports instead.
 */
export function ensurePrivateDir(dir: string, out: Tightened[] = []): Tightened[] {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  if (path.resolve(dir) === path.parse(path.resolve(dir)).root || statSync(dir).mode & STICKY) return out;
  tighten(dir, DIR_MODE, out);
  return out;
}

/** Tightens `file` to 0600 when it exists; with `create`, makes it (empty, 0600) first. */
export function ensurePrivateFile(file: string, options: { create?: boolean } = {}, out: Tightened[] = []): Tightened[] {
  if (!existsSync(file)) {
    if (!options.create) return out;
    // "a" never truncates: a database another process created a moment ago stays intact.
    closeSync(openSync(file, "a", FILE_MODE));
  }
  tighten(file, FILE_MODE, out);
  return out;
}

/**
 * The SQLite database and its companion files, made private before the database is opened. Its
 * folder is created 0700 when missing but an existing one is left alone (it may be a shared
 * folder a test or a tool chose); the data directory itself is tightened by ensurePrivateDir.
 */
export function ensurePrivateSqlite(dbFile: string, out: Tightened[] = []): Tightened[] {
  const dir = path.dirname(dbFile);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  const [main, ...companions] = sqliteFiles(dbFile);
  ensurePrivateFile(main!, { create: true }, out);
  for (const file of companions) ensurePrivateFile(file, {}, out);
  return out;
}

/** What the health check says about the data directory and the files in it. */
export type PrivateDataCheck = { ok: boolean; problems: string[] };

/** Paths readable or writable by group or others, each in plain words. */
export function checkPrivateData(paths: { dataDir: string; files: string[] }): PrivateDataCheck {
  const problems: string[] = [];
  const check = (target: string, what: string, fix: string) => {
    if (!existsSync(target)) return;
    const mode = statSync(target).mode;
    if (mode & OTHERS)
      problems.push(`${what} ${target} is open to other users (mode ${octal(mode)}); run: chmod ${fix} ${target}`);
  };
  check(paths.dataDir, "The data directory", "700");
  for (const file of paths.files) check(file, "The file", "600");
  return { ok: problems.length === 0, problems };
}
