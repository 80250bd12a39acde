/**
 * Local-filesystem spool transport. A call file is written to `<spoolDir>/.spoolcast-tmp/<name>`
 * (same filesystem as outgoing/, checked by st_dev), fsynced, chowned to the Asterisk user,
 * given its schedule as mtime, then renamed into outgoing/ (Asterisk queues it on
 * IN_MOVED_TO, docs/asterisk.md#pickup-and-scheduling) and the directory is fsynced. Nothing partial is ever visible in
 * outgoing/, and an existing outgoing/ or outgoing_done/ file of the same name is never replaced.
 *
 * No-clobber guarantee: the temp file is created with O_EXCL under the final name, so two
 * Spoolcast writers of one name cannot both pass that step; the survivor then refuses if
 * outgoing/<name> or outgoing_done/<name> exists and renames. rename(2) itself would replace
 * a file that a writer outside Spoolcast creates between that check and the rename; Node
 * has no renameat2(RENAME_NOREPLACE), and link(2) would make Asterisk wait 2–3 s (docs/asterisk.md#pickup-and-scheduling).
 */
import { randomBytes } from "node:crypto";
import { close as closeCb, open as openCbRaw, read as readCbRaw, rename as renameCb, stat as statCb, type Stats } from "node:fs";
import * as nodeFs from "node:fs/promises";
import { promisify } from "node:util";
import path from "node:path";
import { readManyOrNull, statManyOrNull } from "@/lib/spool/batched-fs";
import {
  DEFAULT_FILE_MODE,
  STALE_TEMP_MS,
  TEMP_DIR_NAME,
  assertSchedule,
  assertSpoolName,
  assertSubdir,
  canWriteDir,
  errorCode,
  finishReport,
  freeSpaceCheck,
  isInside,
  isPickedUp,
  skewCheck,
  toSpoolError,
} from "./common";
import { SpoolError, type HealthCheck, type HealthReport, type SpoolEntry, type SpoolTransport } from "./types";

/** The filesystem calls the transport makes; tests substitute failing versions (ENOSPC, EACCES, …). */
export type SpoolFs = Pick<
  typeof nodeFs,
  "open" | "lstat" | "stat" | "rename" | "unlink" | "mkdir" | "readdir" | "readFile" | "statfs" | "access" | "rm"
>;

export type LocalTransportOptions = {
  /** Directory holding outgoing/ and outgoing_done/ (Asterisk's astspooldir). */
  spoolDir: string;
  /** Owner given to each file: the Asterisk user, so it can append retry lines (docs/asterisk.md#file-ownership). */
  uid?: number;
  gid?: number;
  /** Where files are prepared; default `<spoolDir>/.spoolcast-tmp`. Must be on outgoing/'s filesystem and not inside it. */
  tmpDir?: string;
  fileMode?: number;
  /** Fault-injection seam for tests. */
  fs?: SpoolFs;
};

// Filesystems on which Asterisk's inotify does not see files written by another host.
const NETWORK_FS: Record<number, string> = {
  0x6969: "NFS",
  0x517b: "SMB",
  0xff534d42: "CIFS",
  0xfe534d42: "SMB2",
  0x65735546: "FUSE (e.g. sshfs)",
};

/**
 * Reads and stats through the callback API: for the small files the engine reads by the
 * thousand (reconcile, listings) it costs about half of the FileHandle-based promise API
 * (measured: 5,000 reads at 32 in flight, ~200 ms vs ~400 ms). A read is open + read (+ more
 * reads only for a file larger than the buffer); close is not waited for. Each of those is a
 * thread-pool round trip, which dominates on a busy machine.
 */
const openCb = promisify(openCbRaw);
const readCb = promisify(readCbRaw);
const fastFs = {
  async readFile(p: string): Promise<string> {
    const fd = await openCb(p, "r");
    try {
      const chunks: Buffer[] = [];
      for (;;) {
        const buf = Buffer.allocUnsafe(chunks.length === 0 ? 16_384 : 262_144);
        const { bytesRead } = await readCb(fd, buf, 0, buf.length, null);
        chunks.push(buf.subarray(0, bytesRead));
        if (bytesRead === 0 || (chunks.length === 1 && bytesRead < buf.length)) break;
      }
      return Buffer.concat(chunks).toString("utf8");
    } finally {
      closeCb(fd, () => undefined);
    }
  },
  stat: promisify(statCb) as (p: string) => Promise<Stats>,
  rename: promisify(renameCb),
};

export function createLocalTransport(opts: LocalTransportOptions): SpoolTransport {
  const fs = opts.fs ?? nodeFs;
  // Tests that inject faults keep seeing every call through their `fs`.
  const readFast = opts.fs ? (p: string) => opts.fs!.readFile(p, "utf8") : fastFs.readFile;
  const statFast = opts.fs ? (p: string) => opts.fs!.stat(p) : fastFs.stat;
  // Retention moves every archive: the callback API's rename costs the loop less than the promise one.
  const renameFast = opts.fs ? (a: string, b: string) => opts.fs!.rename(a, b) : fastFs.rename;
  const spoolDir = path.resolve(opts.spoolDir);
  const outgoing = path.join(spoolDir, "outgoing");
  const done = path.join(spoolDir, "outgoing_done");
  const tmp = path.resolve(opts.tmpDir ?? path.join(spoolDir, TEMP_DIR_NAME));
  const mode = opts.fileMode ?? DEFAULT_FILE_MODE;
  if (isInside(tmp, outgoing, path)) {
    throw new SpoolError(
      `Temp dir ${tmp} is inside ${outgoing}: Asterisk would read half-written files from it`,
      "EINVAL",
      false,
    );
  }

  let prepared: Promise<void> | null = null;
  /** Creates the temp dir and proves it shares a filesystem with outgoing/ (rename cannot cross filesystems). */
  const prepare = () => {
    prepared ??= (async () => {
      await fs.mkdir(tmp, { recursive: true, mode: 0o700 });
      const [t, o] = await Promise.all([fs.stat(tmp), fs.stat(outgoing)]);
      if (!o.isDirectory()) throw Object.assign(new Error(`${outgoing} is not a directory`), { code: "ENOTDIR" });
      if (t.dev !== o.dev) {
        throw new SpoolError(
          `Temp dir ${tmp} is on a different filesystem (st_dev ${t.dev}) than ${outgoing} (st_dev ${o.dev}); an atomic rename is impossible. Put the temp dir on the spool filesystem.`,
          "EXDEV",
          false,
        );
      }
    })().catch((e: unknown) => {
      prepared = null;
      throw e;
    });
    return prepared;
  };
  const syncOutgoing = createDirSyncer(fs, outgoing);

  let attrsKnown: Promise<{ needChmod: boolean; needChown: boolean }> | null = null;
  /**
   * Whether fchmod/fchown would change anything, decided once: open(2) gives `mode & ~umask`,
   * and a new file's owner is our euid and our egid (or the temp dir's group when it is
   * setgid). With a fault-injecting fs (tests) every step is always made.
   */
  const attrs = () => {
    attrsKnown ??= (async () => {
      if (opts.fs) return { needChmod: true, needChown: opts.uid !== undefined || opts.gid !== undefined };
      const umask = process.umask();
      const dir = await fs.stat(tmp);
      const newGid = dir.mode & 0o2000 ? dir.gid : process.getegid?.();
      return {
        needChmod: (mode & ~umask) !== mode,
        needChown:
          (opts.uid !== undefined && opts.uid !== process.geteuid?.()) || (opts.gid !== undefined && opts.gid !== newGid),
      };
    })().catch((e: unknown) => {
      attrsKnown = null;
      throw e;
    });
    return attrsKnown;
  };
  const archiveDirs = new Set<string>();

  async function exists(p: string): Promise<boolean> {
    try {
      await fs.lstat(p);
      return true;
    } catch (e) {
      if (errorCode(e) === "ENOENT") return false;
      throw e;
    }
  }

  async function removeTemp(p: string): Promise<string | undefined> {
    try {
      await fs.unlink(p);
      return undefined;
    } catch (e) {
      return errorCode(e) === "ENOENT" ? undefined : `temp file ${p} could not be removed: ${errorCode(e)}`;
    }
  }

  /** O_EXCL create; a leftover from a crashed writer (old ctime) is removed once. */
  async function openExclusive(p: string, retried = false): Promise<nodeFs.FileHandle> {
    try {
      return await fs.open(p, "wx", mode);
    } catch (e) {
      const code = errorCode(e);
      if (retried) throw e;
      if (code === "ENOENT") {
        prepared = null; // the temp dir vanished: recreate it once
        await prepare();
        return openExclusive(p, true);
      }
      if (code === "EEXIST") {
        const st = await fs.lstat(p).catch(() => null);
        if (st && Date.now() - st.ctimeMs > STALE_TEMP_MS) {
          await fs.unlink(p).catch(() => undefined);
          return openExclusive(p, true);
        }
        throw new SpoolError(`Another write of ${path.basename(p)} is in progress; the file was not placed`, "EEXIST", false, {
          cause: e,
        });
      }
      throw e;
    }
  }

  async function readOrNull(p: string): Promise<string | null> {
    try {
      return await readFast(p);
    } catch (e) {
      if (errorCode(e) === "ENOENT") return null;
      throw toSpoolError(e, `reading ${p}`, false);
    }
  }

  async function list(dir: string, missingOk: boolean): Promise<SpoolEntry[]> {
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch (e) {
      if (missingOk && errorCode(e) === "ENOENT") return [];
      throw toSpoolError(e, `listing ${dir}`, false);
    }
    const stats = opts.fs
      ? await Promise.all(names.map((name) => statFast(path.join(dir, name)).catch(() => null)))
      : // dir is resolved and a directory entry holds no "/": plain concatenation, not path.join
        // (which normalises each of 100,000 paths again).
        await statManyOrNull(names.map((name) => `${dir}/${name}`));
    // A file that vanished meanwhile (null) is skipped.
    const entries = names.map((name, i) => {
      const st = stats[i];
      return st?.isFile() ? { name, mtime: st.mtime, size: st.size } : null;
    });
    // Code-unit order: names are ASCII, and localeCompare costs ~1 s on 100,000 archived names.
    return entries.filter((e): e is SpoolEntry => e !== null).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  return {
    async write({ name, content, scheduledAt }) {
      assertSpoolName(name);
      assertSchedule(scheduledAt);
      if (typeof content !== "string") throw new SpoolError("content must be a string", "EINVAL", false);
      try {
        await prepare();
      } catch (e) {
        throw toSpoolError(e, `preparing ${tmp}`, false);
      }
      const tmpPath = path.join(tmp, name);
      const dest = path.join(outgoing, name);

      let handle: nodeFs.FileHandle | undefined;
      try {
        handle = await openExclusive(tmpPath);
      } catch (e) {
        throw toSpoolError(e, `creating temp file ${tmpPath}`, false);
      }
      // Name checks start once our O_EXCL temp file exists (so no other Spoolcast writer of
      // this name can be between its check and its rename) and overlap with the writing.
      // outgoing/ is checked before outgoing_done/ so a file Asterisk is archiving meanwhile
      // is seen in one of them.
      const clash = (async () =>
        (await exists(dest)) ? "outgoing/" : (await exists(path.join(done, name))) ? "outgoing_done/" : null)();
      clash.catch(() => undefined);
      let step = "writing";
      try {
        await handle.writeFile(content, "utf8");
        // Each step is a thread-pool round trip; on a busy machine those dominate a write, so
        // steps that would change nothing (open already set the mode; the owner is already
        // the one asked for) are skipped — see `attrs`.
        const { needChmod, needChown } = await attrs();
        if (needChmod) {
          step = "setting the mode of";
          await handle.chmod(mode);
        }
        if (needChown) {
          step = "changing the owner of";
          await handle.chown(opts.uid ?? -1, opts.gid ?? -1);
        }
        step = "setting the schedule (mtime) of";
        // Whole seconds, as Asterisk reads st_mtime and as SFTP can carry it.
        await handle.utimes(new Date(), Math.floor(scheduledAt.getTime() / 1000));
        step = "fsyncing";
        await handle.sync();
        step = "closing (and checking for an existing file named)";
        const h = handle;
        handle = undefined;
        // The data is on disk: closing and the name check overlap.
        const [, existing] = await Promise.all([h.close(), clash]);
        step = "checking for an existing file named";
        if (existing) {
          throw new SpoolError(`${name} already exists in ${existing}; call-file names are never reused`, "EEXIST", false);
        }
        step = "renaming into outgoing/";
        await fs.rename(tmpPath, dest);
      } catch (e) {
        await handle?.close().catch(() => undefined);
        const cleanup = await removeTemp(tmpPath);
        if (e instanceof SpoolError) {
          throw cleanup ? new SpoolError(`${e.message} (${cleanup})`, e.code, false, { cause: e.cause }) : e;
        }
        throw toSpoolError(e, step.endsWith("/") ? `${step} (${name})` : `${step} ${tmpPath}`, false, cleanup);
      }
      try {
        await syncOutgoing();
      } catch (e) {
        throw new SpoolError(
          `${name} was renamed into outgoing/ but fsync of the directory failed (${errorCode(e)}); it may not survive a crash`,
          errorCode(e),
          "unknown",
          { cause: e },
        );
      }
    },

    async cancel(name) {
      assertSpoolName(name);
      const p = path.join(outgoing, name);
      const content = await readOrNull(p);
      // Once Asterisk has started dialling, removing the file would not stop the call and
      // would make its outcome unknowable (docs/asterisk.md#file-ownership): leave it.
      if (content === null || isPickedUp(content)) return false;
      try {
        await fs.unlink(p);
        return true;
      } catch (e) {
        if (errorCode(e) === "ENOENT") return false;
        throw toSpoolError(e, `removing ${p}`, "unknown");
      }
    },

    listOutgoing: () => list(outgoing, false),
    readOutgoing(name) {
      assertSpoolName(name);
      return readOrNull(path.join(outgoing, name));
    },
    listArchived: () => list(done, true),
    readArchived(name) {
      assertSpoolName(name);
      return readOrNull(path.join(done, name));
    },
    async readArchivedMany(names) {
      for (const name of names) assertSpoolName(name);
      const paths = names.map((name) => `${done}/${name}`); // names checked above: no separators
      if (opts.fs) return Promise.all(paths.map((p) => readOrNull(p)));
      try {
        return await readManyOrNull(paths);
      } catch (e) {
        throw toSpoolError(e, `reading ${(e as { path?: string }).path ?? done}`, false);
      }
    },

    async removeArchived(name, how) {
      assertSpoolName(name);
      const src = path.join(done, name);
      try {
        if (how === "delete") {
          await fs.unlink(src).catch((e: unknown) => {
            if (errorCode(e) !== "ENOENT") throw e;
          });
          return;
        }
        assertSubdir(how.moveTo);
        const dir = path.join(done, how.moveTo);
        // mkdir once per directory, not once per file (reconcile moves 100,000s of files);
        // a directory removed behind our back is recreated on ENOENT.
        if (!archiveDirs.has(dir)) {
          await fs.mkdir(dir, { recursive: true });
          archiveDirs.add(dir);
        }
        try {
          await renameFast(src, path.join(dir, name));
        } catch (e) {
          if (errorCode(e) !== "ENOENT" || (await exists(src)) === false) throw e;
          archiveDirs.delete(dir);
          await fs.mkdir(dir, { recursive: true });
          archiveDirs.add(dir);
          await renameFast(src, path.join(dir, name));
        }
      } catch (e) {
        throw toSpoolError(e, `removing archived ${name}`, false);
      }
    },

    async health(): Promise<HealthReport> {
      const checks: HealthCheck[] = [];
      const add = (name: string, ok: boolean, severity: HealthCheck["severity"], detail: string) =>
        checks.push({ name, ok, severity: ok ? "info" : severity, detail });
      let clockSkewMs: number | undefined;
      let freeBytes: number | undefined;

      const outSt = await fs.stat(outgoing).catch((e: unknown) => e as Error);
      if (outSt instanceof Error) {
        add("outgoing directory", false, "error", `${outgoing}: ${errorCode(outSt)} (is the spool directory right?)`);
        return finishReport(checks, {});
      }
      add(
        "outgoing directory",
        outSt.isDirectory(),
        "error",
        `${outgoing} ${outSt.isDirectory() ? "exists" : "is not a directory"}`,
      );
      const doneSt = await fs.stat(done).catch(() => null);
      add(
        "archive directory",
        true,
        "info",
        doneSt ? `${done} exists` : `${done} does not exist yet; Asterisk creates it when it archives the first call`,
      );

      try {
        await fs.access(outgoing, nodeFs.constants.W_OK);
        add("outgoing writable", true, "error", `Spoolcast can rename files into ${outgoing}`);
      } catch (e) {
        add("outgoing writable", false, "error", `Spoolcast cannot write to ${outgoing}: ${errorCode(e)}`);
      }

      try {
        await prepare();
        add(
          "same filesystem",
          true,
          "error",
          `${tmp} and ${outgoing} are on one filesystem, so placing a file is an atomic rename`,
        );
      } catch (e) {
        add("same filesystem", false, "error", e instanceof Error ? e.message : String(e));
      }

      const asteriskUid = opts.uid ?? process.getuid?.() ?? 0;
      add(
        "Asterisk can remove files",
        canWriteDir(outSt, asteriskUid, opts.gid),
        "error",
        `${outgoing} is owned by ${outSt.uid}:${outSt.gid} mode ${(outSt.mode & 0o777).toString(8)}; file owner is uid ${asteriskUid}`,
      );
      if (opts.uid === undefined && process.getuid?.() === 0) {
        // Files would be root's. That is right exactly when Asterisk runs as root, which its
        // spool shows: outgoing/ belongs to the user Asterisk runs as (packages create it so).
        const writable = outSt.uid === 0;
        add(
          "file ownership",
          writable,
          "warning",
          writable
            ? `${outgoing} belongs to root, so Asterisk runs as root here and can append to the root-owned files Spoolcast writes`
            : `Spoolcast runs as root and no Asterisk uid is configured: files would be owned by root, but ${outgoing} belongs to uid ${outSt.uid} (the user Asterisk runs as), which could not append its retry lines. Set the host's file owner uid to ${outSt.uid}`,
        );
      }

      // Probe: a real temp file proves the temp dir is writable, chown works, and shows the
      // filesystem's clock (an NFS server stamps mtime with its own time).
      const probe = path.join(tmp, `.probe-${process.pid}-${randomBytes(4).toString("hex")}`);
      try {
        const before = Date.now();
        const h = await fs.open(probe, "wx", 0o600);
        try {
          await h.writeFile("probe\n");
          if (opts.uid !== undefined || opts.gid !== undefined) await h.chown(opts.uid ?? -1, opts.gid ?? -1);
          await h.sync();
        } finally {
          await h.close();
        }
        const after = Date.now();
        const st = await fs.stat(probe);
        add("temp directory", true, "error", `${tmp} is writable`);
        if (opts.uid !== undefined || opts.gid !== undefined) {
          const ok = (opts.uid === undefined || st.uid === opts.uid) && (opts.gid === undefined || st.gid === opts.gid);
          add(
            "file ownership",
            ok,
            "error",
            `files are given owner ${opts.uid ?? "-"}:${opts.gid ?? "-"}; probe got ${st.uid}:${st.gid}`,
          );
        }
        clockSkewMs = st.mtimeMs < before - 1000 || st.mtimeMs > after + 1000 ? Math.round(st.mtimeMs - (before + after) / 2) : 0;
        checks.push(skewCheck(clockSkewMs, "from the mtime of a freshly written file"));
      } catch (e) {
        add("temp directory", false, "error", `cannot write a probe file in ${tmp}: ${errorCode(e)}`);
      } finally {
        await fs.unlink(probe).catch(() => undefined);
      }

      try {
        const sf = await fs.statfs(outgoing);
        freeBytes = sf.bavail * sf.bsize;
        checks.push(freeSpaceCheck(freeBytes));
        const network = NETWORK_FS[sf.type];
        if (network) {
          add(
            "local filesystem",
            false,
            "warning",
            `outgoing/ is on ${network}: Asterisk's inotify may not see files written by another host`,
          );
        }
      } catch (e) {
        add("free space", false, "warning", `statfs failed: ${errorCode(e)}`);
      }

      if (opts.uid !== undefined) {
        const entries = await fs.readdir(outgoing).catch(() => [] as string[]);
        const foreign: string[] = [];
        for (const n of entries.slice(0, 500)) {
          const st = await fs.lstat(path.join(outgoing, n)).catch(() => null);
          if (st?.isFile() && st.uid !== opts.uid) foreign.push(n);
        }
        add(
          "files in outgoing/",
          foreign.length === 0,
          "warning",
          foreign.length === 0
            ? `all ${entries.length} files are owned by uid ${opts.uid}`
            : `${foreign.length} file(s) not owned by uid ${opts.uid} (e.g. ${foreign[0]}); Asterisk cannot append retry lines to them`,
        );
      }

      const stale = await staleTemps(fs, tmp);
      add(
        "leftover temp files",
        stale.length === 0,
        "warning",
        stale.length === 0 ? "none" : `${stale.length} temp file(s) older than a minute in ${tmp}, e.g. ${stale[0]}`,
      );

      return finishReport(checks, { clockSkewMs, freeBytes });
    },

    async close() {
      // Nothing to release: no handles are kept open between calls.
    },
  };
}

async function staleTemps(fs: SpoolFs, tmp: string): Promise<string[]> {
  const names = await fs.readdir(tmp).catch(() => [] as string[]);
  const out: string[] = [];
  for (const n of names) {
    const st = await fs.lstat(path.join(tmp, n)).catch(() => null);
    if (st && Date.now() - st.ctimeMs > STALE_TEMP_MS) out.push(n);
  }
  return out;
}

/**
 * Group commit for directory fsyncs: a caller gets an fsync that *started after* its call,
 * and all callers that arrive while one is running share the next one.
 */
export function createDirSyncer(fs: Pick<SpoolFs, "open">, dir: string): () => Promise<void> {
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  const run = async () => {
    const h = await fs.open(dir, "r");
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  };
  const sync = (): Promise<void> => {
    if (!running) {
      running = run().finally(() => {
        running = null;
      });
      return running;
    }
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = null;
        return sync();
      });
    return queued;
  };
  return sync;
}
