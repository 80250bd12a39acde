/**
 * Starts a throwaway PostgreSQL on loopback for integration tests and tools: initdb in a
 * temp dir owned by the postgres user (initdb and pg_ctl refuse to run as root), a free
 * port, pg_ctl start; stop() shuts it down and removes the directory.
 */
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./free-port";

export type PgServer = { url: string; port: number; dir: string; stop: () => void; restart: () => void };

function pgBin(name: string): string {
  const base = "/usr/lib/postgresql";
  if (existsSync(base)) {
    const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const p = path.join(base, v, "bin", name);
      if (existsSync(p)) return p;
    }
  }
  throw new Error(`PostgreSQL ${name} not found; install it with: apt-get install -y postgresql`);
}

function asPostgres(args: string[], opts: { cwd?: string } = {}): string {
  const isRoot = process.getuid?.() === 0;
  const [cmd, ...rest] = isRoot ? ["runuser", "-u", "postgres", "--", ...args] : args;
  return execFileSync(cmd!, rest, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], cwd: opts.cwd ?? os.tmpdir() });
}

/** Starts PostgreSQL and creates database `spoolcast`; returns its URL. */
export async function startPg(): Promise<PgServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "spoolcast-pg-"));
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  const data = path.join(dir, "data");
  const pwfile = path.join(dir, "pw");
  writeFileSync(pwfile, "spoolcast\n");
  if (isRoot) execFileSync("chown", ["postgres:postgres", pwfile]);
  asPostgres([
    pgBin("initdb"),
    "-D",
    data,
    "-U",
    "spoolcast",
    "--pwfile",
    pwfile,
    "-A",
    "scram-sha-256",
    "-E",
    "UTF8",
    "--no-sync",
  ]);
  const port = await freePort();
  const opts = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off -c max_connections=200`;
  const start = () =>
    asPostgres([pgBin("pg_ctl"), "-D", data, "-o", opts, "-l", path.join(dir, "log"), "-w", "-t", "60", "start"]);
  const stopServer = (mode = "fast") => {
    try {
      asPostgres([pgBin("pg_ctl"), "-D", data, "-m", mode, "-w", "stop"]);
    } catch {
      // already stopped
    }
  };
  start();
  execFileSync(pgBin("createdb"), ["-h", "127.0.0.1", "-p", String(port), "-U", "spoolcast", "spoolcast"], {
    env: { ...process.env, PGPASSWORD: "spoolcast" },
  });
  return {
    url: `postgresql://spoolcast:spoolcast@127.0.0.1:${port}/spoolcast`,
    port,
    dir,
    restart: () => {
      stopServer("immediate");
      start();
    },
    stop: () => {
      stopServer();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
