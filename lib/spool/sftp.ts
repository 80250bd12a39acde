/**
 * SFTP spool transport for an Asterisk host reached over SSH (key auth, host key pinned by
 * its SHA256 fingerprint). Same guarantees as the local transport: the file is created with
 * O_EXCL in `<spoolDir>/.spoolcast-tmp/`, written, given owner, mode, atime (now) and mtime
 * (the schedule) with one fsetstat, fsynced (fsync@openssh.com), closed, then moved into
 * outgoing/ with posix-rename@openssh.com — a real rename(2), so Asterisk sees IN_MOVED_TO.
 * (Plain SFTP rename is link+unlink on OpenSSH, which Asterisk would only pick up 2–3 s later.)
 *
 * The requests for one file are pipelined (write, setstat, fsync, close and the
 * name checks go out together), so a file costs about three round trips; several files are
 * written concurrently over a small pool of connections that reconnect with backoff.
 *
 * Whether a failed write placed the file: any failure before the rename request is sent
 * means "not placed" (the temp file is removed, on a later connection if this one died).
 * If the connection dies after the rename was sent, the transport reconnects and looks:
 * temp file still there → not placed; gone and the file in outgoing/ → success; otherwise
 * `placed: "unknown"`.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import path from "node:path";
import SftpClient from "ssh2-sftp-client";
import type { SFTPWrapper, Stats } from "ssh2";
import {
  DEFAULT_FILE_MODE,
  STALE_TEMP_MS,
  TEMP_DIR_NAME,
  assertSchedule,
  assertSpoolName,
  assertSubdir,
  canWriteDir,
  finishReport,
  freeSpaceCheck,
  isInside,
  isPickedUp,
  skewCheck,
  toSpoolError,
} from "./common";
import { SpoolError, type HealthCheck, type HealthReport, type SpoolEntry, type SpoolTransport } from "./types";

const p = path.posix;

export type SftpTransportOptions = {
  host: string;
  port?: number;
  username: string;
  /** PEM/OpenSSH private key text. */
  privateKey: string;
  /** Pinned host key, as `ssh-keygen -lf` prints it: `SHA256:<base64>`. A different key is refused. */
  hostKeySha256: string;
  /** Absolute path of the spool dir (holding outgoing/) on the remote host. */
  spoolDir: string;
  uid?: number;
  gid?: number;
  /** Connections kept open; writes are spread over them. Default 2. */
  poolSize?: number;
  tmpDir?: string;
  fileMode?: number;
  connectTimeoutMs?: number;
  /** Test seam: called before each step of a write, e.g. to cut the connection mid-write. */
  beforeStep?: (step: "open" | "write" | "rename", name: string) => void | Promise<void>;
};

/** SFTP status codes (draft-ietf-secsh-filexfer-02). */
const SFTP_NO_SUCH_FILE = 2;
const SFTP_PERMISSION_DENIED = 3;
const SFTP_STATUS_NAMES: Record<number, string> = {
  1: "EOF",
  [SFTP_NO_SUCH_FILE]: "ENOENT",
  [SFTP_PERMISSION_DENIED]: "EACCES",
  4: "SFTP_FAILURE",
  5: "EBADMSG",
  6: "ENOTCONN",
  7: "ECONNRESET",
  8: "EOPNOTSUPP",
};
/** 0xFFFFFFFF is (uid_t)-1: "leave unchanged" for the server's fchown. */
const UNCHANGED_ID = 0xffffffff;
const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 5_000;

type Conn = {
  client: SftpClient;
  sftp: SFTPWrapper;
  alive: boolean;
  inflight: number;
  /** Rejects when the connection drops: requests sent after that would never be answered. */
  dead: Promise<never>;
};
type Slot = { conn?: Conn; connecting?: Promise<Conn>; failures: number; retryAt: number };

/** `SHA256:<unpadded base64>` of a raw SSH public key blob, as OpenSSH prints it. */
export function fingerprintSha256(keyBlob: Buffer): string {
  return `SHA256:${createHash("sha256").update(keyBlob).digest("base64").replace(/=+$/, "")}`;
}

function sameFingerprint(a: string, b: string): boolean {
  const x = Buffer.from(a.trim());
  const y = Buffer.from(b.trim());
  return x.length === y.length && timingSafeEqual(x, y);
}

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === "number") return SFTP_STATUS_NAMES[code] ?? `SFTP_${code}`;
  if (typeof code === "string" && code !== "ERR_GENERIC_CLIENT") return code;
  return "ECONNRESET";
}

/** The server answered with a status: the request was certainly handled (or refused). */
function isServerStatus(e: unknown): boolean {
  return typeof (e as { code?: unknown } | null)?.code === "number";
}

function spoolErr(e: unknown, what: string, placed: false | "unknown", cleanup?: string): SpoolError {
  if (e instanceof SpoolError) return e;
  const detail = e instanceof Error ? e.message : String(e);
  const wrapped = Object.assign(new Error(detail), { code: codeOf(e) });
  return toSpoolError(wrapped, what, placed, cleanup);
}

/** A request on `c` that fails at once if the connection is, or goes, dead. */
function req<T = void>(c: Conn, fn: (cb: (err: Error | null | undefined, res?: T) => void) => void): Promise<T> {
  return Promise.race([call<T>(fn), c.dead]);
}

function call<T = void>(fn: (cb: (err: Error | null | undefined, res?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      fn((err, res) => (err ? reject(err) : resolve(res as T)));
    } catch (e) {
      reject(e);
    }
  });
}

const stat = (c: Conn, file: string) => req<Stats>(c, (cb) => c.sftp.stat(file, cb));
async function exists(c: Conn, file: string): Promise<boolean> {
  try {
    await req<Stats>(c, (cb) => c.sftp.lstat(file, cb));
    return true;
  } catch (e) {
    if ((e as { code?: unknown }).code === SFTP_NO_SUCH_FILE) return false;
    throw e;
  }
}
async function unlinkIfThere(c: Conn, file: string): Promise<boolean> {
  try {
    await req(c, (cb) => c.sftp.unlink(file, cb));
    return true;
  } catch (e) {
    if ((e as { code?: unknown }).code === SFTP_NO_SUCH_FILE) return false;
    throw e;
  }
}
async function readOrNull(c: Conn, file: string): Promise<string | null> {
  try {
    const buf = await req<Buffer>(c, (cb) => c.sftp.readFile(file, cb));
    return buf.toString("utf8");
  } catch (e) {
    if ((e as { code?: unknown }).code === SFTP_NO_SUCH_FILE) return null;
    throw spoolErr(e, `reading ${file}`, false);
  }
}
async function mkdirs(c: Conn, dir: string): Promise<void> {
  let cur = "/";
  for (const part of dir.split("/").filter(Boolean)) {
    cur = p.join(cur, part);
    if (await exists(c, cur)) continue;
    await req(c, (cb) => c.sftp.mkdir(cur, { mode: 0o700 }, cb)).catch(async (e: unknown) => {
      if (!(await exists(c, cur))) throw e; // another writer may have created it meanwhile
    });
  }
}
// ssh2 names the fsid field `f_sid`; values are numbers or, when too large, strings/bigints.
const statvfs = async (c: Conn, dir: string) => {
  const v = await req<Record<string, number | string | bigint>>(c, (cb) => c.sftp.ext_openssh_statvfs(dir, cb));
  return { bavail: Number(v.f_bavail), frsize: Number(v.f_frsize), bsize: Number(v.f_bsize), fsid: String(v.f_sid) };
};

async function settle(c: Conn, tmpPath: string, dest: string, donePath: string): Promise<"placed" | "not-placed" | "unknown"> {
  try {
    const [t, d, a] = await Promise.all([exists(c, tmpPath), exists(c, dest), exists(c, donePath)]);
    if (t && !d) {
      await unlinkIfThere(c, tmpPath);
      return "not-placed";
    }
    return !t && (d || a) ? "placed" : "unknown";
  } catch {
    return "unknown";
  }
}

export function createSftpTransport(opts: SftpTransportOptions): SpoolTransport {
  if (!opts.hostKeySha256 || !/^SHA256:[A-Za-z0-9+/]{43}$/.test(opts.hostKeySha256.trim())) {
    throw new SpoolError(
      "sftpHostKey must be the pinned host key fingerprint, SHA256:<43 base64 chars> as ssh-keygen -lf prints it",
      "EINVAL",
      false,
    );
  }
  const spoolDir = p.resolve("/", opts.spoolDir);
  const outgoing = p.join(spoolDir, "outgoing");
  const done = p.join(spoolDir, "outgoing_done");
  const tmp = p.resolve("/", opts.tmpDir ?? p.join(spoolDir, TEMP_DIR_NAME));
  const mode = opts.fileMode ?? DEFAULT_FILE_MODE;
  if (isInside(tmp, outgoing)) throw new SpoolError(`Temp dir ${tmp} is inside ${outgoing}`, "EINVAL", false);
  const slots: Slot[] = Array.from({ length: Math.max(1, opts.poolSize ?? 2) }, () => ({ failures: 0, retryAt: 0 }));
  let rr = 0;
  let closed = false;
  /** Temp files of writes whose connection died; removed before the next write. */
  const orphans = new Set<string>();
  let prepared: Promise<void> | null = null;

  function connect(slot: Slot): Promise<Conn> {
    slot.connecting ??= (async () => {
      const wait = slot.retryAt - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      let presented: string | undefined;
      let rejectDead: ((e: Error) => void) | undefined;
      const dead = new Promise<never>((_, reject) => {
        rejectDead = reject;
      });
      dead.catch(() => undefined);
      const conn: Conn = {
        client: undefined as unknown as SftpClient,
        sftp: undefined as unknown as SFTPWrapper,
        alive: false,
        inflight: 0,
        dead,
      };
      const markDead = () => {
        conn.alive = false;
        if (slot.conn === conn) slot.conn = undefined;
        rejectDead?.(Object.assign(new Error("SFTP connection lost"), { code: "ECONNRESET" }));
      };
      conn.client = new SftpClient("spoolcast", { error: markDead, end: markDead, close: markDead });
      try {
        conn.sftp = await conn.client.connect({
          host: opts.host,
          port: opts.port ?? 22,
          username: opts.username,
          privateKey: opts.privateKey,
          readyTimeout: opts.connectTimeoutMs ?? 10_000,
          keepaliveInterval: 10_000,
          keepaliveCountMax: 3,
          hostVerifier: (key: Buffer) => {
            presented = fingerprintSha256(key);
            return sameFingerprint(presented, opts.hostKeySha256);
          },
        });
      } catch (e) {
        slot.failures++;
        slot.retryAt =
          Date.now() + Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (slot.failures - 1)) * (0.5 + Math.random() / 2);
        await conn.client.end().catch(() => undefined);
        if (presented && !sameFingerprint(presented, opts.hostKeySha256)) {
          throw new SpoolError(
            `Host key of ${opts.host}:${opts.port ?? 22} is ${presented}, not the pinned ${opts.hostKeySha256}; connection refused`,
            "HOSTKEY",
            false,
            { cause: e },
          );
        }
        throw spoolErr(e, `connecting to ${opts.username}@${opts.host}:${opts.port ?? 22}`, false);
      }
      conn.alive = true;
      slot.failures = 0;
      slot.retryAt = 0;
      // ssh2-sftp-client's own listeners only log; also watch the channel itself.
      conn.sftp.on("close", markDead);
      conn.client.on("close", markDead);
      conn.client.on("end", markDead);
      slot.conn = conn;
      return conn;
    })().finally(() => {
      slot.connecting = undefined;
    });
    return slot.connecting;
  }

  async function acquire(): Promise<Conn> {
    if (closed) throw new SpoolError("transport is closed", "ECLOSED", false);
    let best: Conn | undefined;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[(rr + i) % slots.length]!;
      const c = slot.conn;
      if (c?.alive && (!best || c.inflight < best.inflight)) best = c;
      // Grow the pool in the background while we have work.
      if (!c?.alive && !slot.connecting && best && Date.now() >= slot.retryAt) connect(slot).catch(() => undefined);
    }
    rr = (rr + 1) % slots.length;
    if (best) return best;
    const pending = slots.find((s) => s.connecting);
    return pending ? pending.connecting! : connect(slots[0]!);
  }

  async function withConn<T>(fn: (c: Conn) => Promise<T>): Promise<T> {
    const c = await acquire();
    c.inflight++;
    try {
      return await fn(c);
    } finally {
      c.inflight--;
    }
  }

  function prepare(c: Conn): Promise<void> {
    prepared ??= (async () => {
      const o = await stat(c, outgoing);
      if (!o.isDirectory()) throw Object.assign(new Error(`${outgoing} is not a directory`), { code: "ENOTDIR" });
      await mkdirs(c, tmp);
      const [a, b] = await Promise.all([statvfs(c, tmp), statvfs(c, outgoing)]);
      if (a.fsid !== b.fsid) {
        throw new SpoolError(
          `Temp dir ${tmp} is on a different filesystem than ${outgoing} on ${opts.host}; an atomic rename is impossible`,
          "EXDEV",
          false,
        );
      }
    })().catch((e: unknown) => {
      prepared = null;
      throw e;
    });
    return prepared;
  }

  async function removeOrphans(c: Conn): Promise<void> {
    for (const file of orphans) {
      try {
        await unlinkIfThere(c, file);
      } catch (e) {
        // A refusal by the server will not change on retry: leave the file to the health
        // check's "leftover temp files". A dead connection: try again on the next one.
        if (!isServerStatus(e)) throw e;
      }
      orphans.delete(file);
    }
  }

  async function openExclusive(c: Conn, file: string, retried = false): Promise<Buffer> {
    try {
      return await req<Buffer>(c, (cb) => c.sftp.open(file, "wx", { mode }, cb));
    } catch (e) {
      if (retried || !isServerStatus(e)) throw e;
      // OpenSSH reports EEXIST as a generic failure: look at what is there.
      const st = await req<Stats>(c, (cb) => c.sftp.lstat(file, cb)).catch(() => null);
      if (!st) {
        if ((e as { code?: unknown }).code !== SFTP_NO_SUCH_FILE) throw e;
        prepared = null; // the temp dir vanished: recreate it once
        await prepare(c);
        return openExclusive(c, file, true);
      }
      // atime is set to the write time by every write: an old one is a crashed writer's leftover.
      if (Date.now() - st.atime * 1000 > STALE_TEMP_MS) {
        await unlinkIfThere(c, file);
        return openExclusive(c, file, true);
      }
      throw new SpoolError(`Another write of ${p.basename(file)} is in progress; the file was not placed`, "EEXIST", false, {
        cause: e,
      });
    }
  }

  return {
    async write({ name, content, scheduledAt }) {
      assertSpoolName(name);
      assertSchedule(scheduledAt);
      if (typeof content !== "string") throw new SpoolError("content must be a string", "EINVAL", false);
      const tmpPath = p.join(tmp, name);
      const dest = p.join(outgoing, name);
      const donePath = p.join(done, name);
      const c = await acquire();
      c.inflight++;
      let renameSent = false;
      try {
        try {
          await removeOrphans(c);
          await prepare(c);
        } catch (e) {
          throw spoolErr(e, `preparing ${tmp} on ${opts.host}`, false);
        }
        await opts.beforeStep?.("open", name);
        let handle: Buffer;
        try {
          handle = await openExclusive(c, tmpPath);
        } catch (e) {
          throw spoolErr(e, `creating temp file ${tmpPath} on ${opts.host}`, false);
        }
        await opts.beforeStep?.("write", name);
        const data = Buffer.from(content, "utf8");
        const owner =
          opts.uid !== undefined || opts.gid !== undefined
            ? { uid: opts.uid ?? UNCHANGED_ID, gid: opts.gid ?? UNCHANGED_ID }
            : {};
        const steps: Array<[string, Promise<unknown>]> = [
          ["writing", req(c, (cb) => c.sftp.write(handle, data, 0, data.length, 0, cb))],
          [
            "setting owner, mode and schedule (mtime) of",
            req(c, (cb) =>
              c.sftp.fsetstat(
                handle,
                { mode, atime: Math.floor(Date.now() / 1000), mtime: Math.floor(scheduledAt.getTime() / 1000), ...owner },
                cb,
              ),
            ),
          ],
          ["fsyncing", req(c, (cb) => c.sftp.ext_openssh_fsync(handle, cb))],
          ["closing", req(c, (cb) => c.sftp.close(handle, cb))],
          // After our O_EXCL open (see local.ts): outgoing/ first, then outgoing_done/, so a
          // file Asterisk archives meanwhile is seen in one of them.
          [
            "checking outgoing/ and outgoing_done/ for",
            exists(c, dest).then(async (d) => (d ? "outgoing/" : (await exists(c, donePath)) ? "outgoing_done/" : null)),
          ],
        ];
        const results = await Promise.allSettled(steps.map(([, promise]) => promise));
        const failed = results.findIndex((r) => r.status === "rejected");
        if (failed >= 0) {
          const reason = (results[failed] as PromiseRejectedResult).reason;
          throw await cleanupAfter(c, reason, `${steps[failed]![0]} ${tmpPath} on ${opts.host}`);
        }
        const existing = (results[4] as PromiseFulfilledResult<string | null>).value;
        if (existing) {
          await unlinkIfThere(c, tmpPath).catch(() => orphans.add(tmpPath));
          throw new SpoolError(`${name} already exists in ${existing}; call-file names are never reused`, "EEXIST", false);
        }
        await opts.beforeStep?.("rename", name);
        if (!c.alive)
          throw await cleanupAfter(
            c,
            Object.assign(new Error("connection lost"), { code: "ECONNRESET" }),
            `renaming ${name} into outgoing/`,
          );
        renameSent = true;
        try {
          await req(c, (cb) => c.sftp.ext_openssh_rename(tmpPath, dest, cb));
        } catch (e) {
          if (isServerStatus(e)) throw await cleanupAfter(c, e, `renaming ${name} into outgoing/ on ${opts.host}`);
          // The connection died with the rename in flight: look on a fresh connection.
          const outcome = await acquire().then(
            (fresh) => settle(fresh, tmpPath, dest, donePath),
            () => "unknown" as const,
          );
          if (outcome === "placed") return;
          throw spoolErr(e, `renaming ${name} into outgoing/ on ${opts.host}`, outcome === "not-placed" ? false : "unknown");
        }
      } catch (e) {
        if (e instanceof SpoolError) throw e;
        throw spoolErr(e, `writing ${name} on ${opts.host}`, renameSent ? "unknown" : false);
      } finally {
        c.inflight--;
      }

      async function cleanupAfter(conn: Conn, reason: unknown, what: string): Promise<SpoolError> {
        let cleanup: string | undefined;
        if (conn.alive) {
          try {
            await unlinkIfThere(conn, tmpPath);
          } catch {
            orphans.add(tmpPath);
            cleanup = `temp file ${tmpPath} will be removed on the next write`;
          }
        } else {
          orphans.add(tmpPath);
          cleanup = `connection lost; temp file ${tmpPath} will be removed on the next connection`;
        }
        return spoolErr(reason, what, false, cleanup);
      }
    },

    cancel(name) {
      assertSpoolName(name);
      return withConn(async (c) => {
        const file = p.join(outgoing, name);
        const content = await readOrNull(c, file);
        if (content === null || isPickedUp(content)) return false;
        try {
          return await unlinkIfThere(c, file);
        } catch (e) {
          throw spoolErr(e, `removing ${file}`, "unknown");
        }
      });
    },

    listOutgoing: () => withConn((c) => list(c, outgoing, false)),
    readOutgoing(name) {
      assertSpoolName(name);
      return withConn((c) => readOrNull(c, p.join(outgoing, name)));
    },
    listArchived: () => withConn((c) => list(c, done, true)),
    readArchived(name) {
      assertSpoolName(name);
      return withConn((c) => readOrNull(c, p.join(done, name)));
    },

    removeArchived(name, how) {
      assertSpoolName(name);
      if (how !== "delete") assertSubdir(how.moveTo);
      return withConn(async (c) => {
        const src = p.join(done, name);
        try {
          if (how === "delete") {
            await unlinkIfThere(c, src);
            return;
          }
          const dir = p.join(done, how.moveTo);
          await mkdirs(c, dir);
          await req(c, (cb) => c.sftp.ext_openssh_rename(src, p.join(dir, name), cb));
        } catch (e) {
          throw spoolErr(e, `removing archived ${name}`, false);
        }
      });
    },

    async health(): Promise<HealthReport> {
      const checks: HealthCheck[] = [];
      const add = (n: string, ok: boolean, severity: HealthCheck["severity"], detail: string) =>
        checks.push({ name: n, ok, severity: ok ? "info" : severity, detail });
      let c: Conn;
      try {
        c = await acquire();
        add(
          "connection",
          true,
          "error",
          `connected to ${opts.username}@${opts.host}:${opts.port ?? 22}, host key ${opts.hostKeySha256}`,
        );
      } catch (e) {
        add("connection", false, "error", e instanceof Error ? e.message : String(e));
        return finishReport(checks, {});
      }
      let clockSkewMs: number | undefined;
      let freeBytes: number | undefined;
      c.inflight++;
      try {
        const outSt = await stat(c, outgoing).catch(() => null);
        if (!outSt?.isDirectory()) {
          add("outgoing directory", false, "error", `${outgoing} does not exist on ${opts.host} (is the spool directory right?)`);
          return finishReport(checks, {});
        }
        add("outgoing directory", true, "error", `${outgoing} exists`);
        const doneSt = await stat(c, done).catch(() => null);
        add(
          "archive directory",
          true,
          "info",
          doneSt ? `${done} exists` : `${done} does not exist yet; Asterisk creates it on the first archived call`,
        );
        try {
          await prepare(c);
          add("same filesystem", true, "error", `${tmp} and ${outgoing} are on one filesystem (statvfs fsid)`);
        } catch (e) {
          add("same filesystem", false, "error", e instanceof Error ? e.message : String(e));
        }
        if (opts.uid !== undefined) {
          add(
            "Asterisk can remove files",
            canWriteDir(outSt, opts.uid, opts.gid),
            "error",
            `${outgoing} is owned by ${outSt.uid}:${outSt.gid} mode ${(outSt.mode & 0o777).toString(8)}; files are given uid ${opts.uid}`,
          );
        }

        const probe = p.join(tmp, `.probe-${process.pid}-${randomBytes(4).toString("hex")}`);
        try {
          const before = Date.now();
          const h = await req<Buffer>(c, (cb) => c.sftp.open(probe, "wx", { mode: 0o600 }, cb));
          const data = Buffer.from("probe\n");
          await req(c, (cb) => c.sftp.write(h, data, 0, data.length, 0, cb));
          const owner = opts.uid !== undefined || opts.gid !== undefined;
          let ownerError: unknown;
          if (owner) {
            await req(c, (cb) => c.sftp.fsetstat(h, { uid: opts.uid ?? UNCHANGED_ID, gid: opts.gid ?? UNCHANGED_ID }, cb)).catch(
              (e: unknown) => {
                ownerError = e;
              },
            );
          }
          await req(c, (cb) => c.sftp.ext_openssh_fsync(h, cb));
          await req(c, (cb) => c.sftp.close(h, cb));
          const after = Date.now();
          const st = await stat(c, probe);
          add("temp directory", true, "error", `${tmp} is writable`);
          if (owner) {
            const ok =
              !ownerError && (opts.uid === undefined || st.uid === opts.uid) && (opts.gid === undefined || st.gid === opts.gid);
            add(
              "file ownership",
              ok,
              "error",
              ownerError
                ? `cannot give files owner ${opts.uid ?? "-"}:${opts.gid ?? "-"} (${codeOf(ownerError)}): log in as root or as the Asterisk user`
                : `files are given owner ${opts.uid ?? "-"}:${opts.gid ?? "-"}; probe got ${st.uid}:${st.gid}`,
            );
          } else if (st.uid === 0 && outSt.uid !== 0) {
            // Root-owned files are fine when Asterisk runs as root, which outgoing/'s owner shows.
            add(
              "file ownership",
              false,
              "warning",
              `files will be owned by root (no Asterisk uid configured), but ${outgoing} belongs to uid ${outSt.uid} (the user Asterisk runs as), which could not append its retry lines. Set the host's file owner uid to ${outSt.uid}`,
            );
          }
          // SFTP times are whole seconds: the server clock is within [mtime, mtime + 1 s).
          const serverMs = st.mtime * 1000;
          clockSkewMs =
            serverMs + 1000 < before
              ? Math.round(serverMs + 500 - (before + after) / 2)
              : serverMs > after
                ? Math.round(serverMs + 500 - (before + after) / 2)
                : 0;
          checks.push(skewCheck(clockSkewMs, "from the mtime the server gave a fresh file, ±1 s"));
        } catch (e) {
          add("temp directory", false, "error", `cannot write a probe file in ${tmp}: ${codeOf(e)}`);
        } finally {
          await unlinkIfThere(c, probe).catch(() => undefined);
        }

        try {
          const vfs = await statvfs(c, outgoing);
          freeBytes = vfs.bavail * (vfs.frsize || vfs.bsize);
          checks.push(freeSpaceCheck(freeBytes));
        } catch (e) {
          add("free space", false, "warning", `statvfs@openssh.com failed: ${codeOf(e)}`);
        }

        const entries = await req<Array<{ filename: string; attrs: Stats }>>(c, (cb) => c.sftp.readdir(outgoing, cb)).catch(
          () => [],
        );
        if (opts.uid !== undefined) {
          const foreign = entries.filter((e) => e.attrs.isFile() && e.attrs.uid !== opts.uid);
          add(
            "files in outgoing/",
            foreign.length === 0,
            "warning",
            foreign.length === 0
              ? `all ${entries.length} files are owned by uid ${opts.uid}`
              : `${foreign.length} file(s) not owned by uid ${opts.uid} (e.g. ${foreign[0]!.filename}); Asterisk cannot append retry lines to them`,
          );
        }
        const temps = await req<Array<{ filename: string; attrs: Stats }>>(c, (cb) => c.sftp.readdir(tmp, cb)).catch(() => []);
        const stale = temps.filter((e) => Date.now() - e.attrs.atime * 1000 > STALE_TEMP_MS);
        add(
          "leftover temp files",
          stale.length === 0,
          "warning",
          stale.length === 0 ? "none" : `${stale.length} old temp file(s) in ${tmp}, e.g. ${stale[0]!.filename}`,
        );
      } finally {
        c.inflight--;
      }
      return finishReport(checks, { clockSkewMs, freeBytes });
    },

    async close() {
      closed = true;
      await Promise.all(
        slots.map(async (s) => {
          const conn = s.conn ?? (await s.connecting?.catch(() => undefined));
          s.conn = undefined;
          if (conn) {
            conn.alive = false;
            await conn.client.end().catch(() => undefined);
          }
        }),
      );
    },
  };

  async function list(c: Conn, dir: string, missingOk: boolean): Promise<SpoolEntry[]> {
    try {
      const entries = await req<Array<{ filename: string; attrs: Stats }>>(c, (cb) => c.sftp.readdir(dir, cb));
      return entries
        .filter((e) => e.attrs.isFile())
        .map((e) => ({ name: e.filename, mtime: new Date(e.attrs.mtime * 1000), size: e.attrs.size }))
        .sort((a, b) => a.name.localeCompare(b.name));
    } catch (e) {
      if (missingOk && (e as { code?: unknown }).code === SFTP_NO_SUCH_FILE) return [];
      throw spoolErr(e, `listing ${dir} on ${opts.host}`, false);
    }
  }
}

/** Fetches a host's key fingerprint for the settings page to show before pinning it (no authentication). */
export async function probeHostKey(target: { host: string; port?: number; timeoutMs?: number }): Promise<string> {
  let presented: string | undefined;
  const client = new SftpClient("spoolcast-probe", { error: () => undefined, end: () => undefined, close: () => undefined });
  await client
    .connect({
      host: target.host,
      port: target.port ?? 22,
      username: "spoolcast-hostkey-probe",
      readyTimeout: target.timeoutMs ?? 10_000,
      hostVerifier: (key: Buffer) => {
        presented = fingerprintSha256(key);
        return false;
      },
    })
    .catch(() => undefined);
  await client.end().catch(() => undefined);
  if (!presented) throw new SpoolError(`Could not read the host key of ${target.host}:${target.port ?? 22}`, "EHOSTKEY", false);
  return presented;
}
