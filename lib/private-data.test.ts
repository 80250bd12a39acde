import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkPrivateData, ensurePrivateDir, ensurePrivateFile, ensurePrivateSqlite } from "./private-data";

const modeOf = (p: string) => statSync(p).mode & 0o7777;
let root: string;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "spoolcast-private-"));
  chmodSync(root, 0o755);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("private data files", () => {
  it("creates the data directory 0700 and tightens one left 0755, saying what it changed", () => {
    const fresh = path.join(root, "fresh", "data");
    expect(ensurePrivateDir(fresh)).toEqual([]);
    expect(modeOf(fresh)).toBe(0o700);

    const old = path.join(root, "old");
    mkdirSync(old, { mode: 0o755 });
    chmodSync(old, 0o755);
    expect(ensurePrivateDir(old)).toEqual([{ path: old, from: "0755", to: "0700" }]);
    expect(modeOf(old)).toBe(0o700);
    expect(ensurePrivateDir(old)).toEqual([]);
  });

  it("never tightens a shared sticky directory such as /tmp", () => {
    const shared = path.join(root, "shared");
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    expect(ensurePrivateDir(shared)).toEqual([]);
    expect(modeOf(shared)).toBe(0o1777);
  });

  it("creates a missing file 0600 only when asked, and tightens an existing one without touching its content", () => {
    const file = path.join(root, "secret");
    expect(ensurePrivateFile(file)).toEqual([]);
    expect(() => statSync(file)).toThrow("ENOENT");
    writeFileSync(file, "keep me\n", { mode: 0o644 });
    chmodSync(file, 0o644);
    expect(ensurePrivateFile(file)).toEqual([{ path: file, from: "0644", to: "0600" }]);
    expect(modeOf(file)).toBe(0o600);
    expect(ensurePrivateFile(path.join(root, "new.db"), { create: true })).toEqual([]);
    expect(modeOf(path.join(root, "new.db"))).toBe(0o600);
  });

  it("a SQLite database made private before it is opened keeps its WAL and SHM files private too", () => {
    const file = path.join(root, "data", "spoolcast.db");
    ensurePrivateSqlite(file);
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.exec("create table t (x integer); insert into t values (1);");
    for (const f of [file, `${file}-wal`, `${file}-shm`]) expect({ f, mode: modeOf(f) }).toEqual({ f, mode: 0o600 });
    db.close();
  });

  it("tightens the companions an older install left readable", () => {
    const file = path.join(root, "spoolcast.db");
    for (const f of [file, `${file}-wal`, `${file}-shm`]) {
      writeFileSync(f, "");
      chmodSync(f, 0o644);
    }
    expect(ensurePrivateSqlite(file).map((c) => path.basename(c.path))).toEqual([
      "spoolcast.db",
      "spoolcast.db-wal",
      "spoolcast.db-shm",
    ]);
    expect(modeOf(root)).toBe(0o755); // the database's folder is not the data directory: left alone
  });

  it("the health check names each path open to others and how to fix it", () => {
    const file = path.join(root, "spoolcast.db");
    writeFileSync(file, "");
    chmodSync(file, 0o644);
    const report = checkPrivateData({ dataDir: root, files: [file, path.join(root, "missing")] });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      `The data directory ${root} is open to other users (mode 0755); run: chmod 700 ${root}`,
      `The file ${file} is open to other users (mode 0644); run: chmod 600 ${file}`,
    ]);
    chmodSync(root, 0o700);
    chmodSync(file, 0o600);
    expect(checkPrivateData({ dataDir: root, files: [file] })).toEqual({ ok: true, problems: [] });
  });
});
