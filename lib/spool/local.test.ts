import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as nodeFs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLocalTransport, type SpoolFs } from "./local";
import { FILE, failure, ls } from "@/tests/support/spool-fixtures";

let root: string;
let spool: string;
const mounts: string[] = [];

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "spool-local-"));
  spool = path.join(root, "spool");
  mkdirSync(path.join(spool, "outgoing"), { recursive: true });
});
afterEach(() => {
  for (const m of mounts.splice(0).toReversed()) execFileSync("umount", ["-l", m]);
  rmSync(root, { recursive: true, force: true });
});

const outgoing = () => path.join(spool, "outgoing");
const tmpDir = () => path.join(spool, ".spoolcast-tmp");
const ownershipCheck = async () =>
  (await createLocalTransport({ spoolDir: spool }).health()).checks.find((c) => c.name === "file ownership");

/** Real fs with one operation failing with `code` (for paths matching `match`). */
function faultyFs(op: string, code: string, match: (p: string) => boolean = () => true): SpoolFs & { calls: string[] } {
  const calls: string[] = [];
  const fail = () => Object.assign(new Error(`${code}: injected fault`), { code });
  const wrapHandle = (h: nodeFs.FileHandle, p: string) =>
    new Proxy(h, {
      get(target, key) {
        const v: unknown = Reflect.get(target, key);
        if (typeof v !== "function") return v;
        return (...args: unknown[]) => {
          calls.push(`handle.${String(key)} ${p}`);
          if (`handle.${String(key)}` === op && match(p)) return Promise.reject(fail());
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  const fs = { ...nodeFs } as Record<string, unknown>;
  for (const name of ["lstat", "stat", "rename", "unlink", "mkdir", "readdir", "readFile", "statfs", "access", "rm"]) {
    const real = (nodeFs as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]!;
    fs[name] = (p: string, ...rest: unknown[]) => {
      calls.push(`${name} ${p}`);
      return name === op && match(String(p)) ? Promise.reject(fail()) : real(p, ...rest);
    };
  }
  fs.open = async (p: string, ...rest: unknown[]) => {
    calls.push(`open ${p}`);
    if (op === "open" && match(String(p))) throw fail();
    return wrapHandle(await (nodeFs.open as (...a: unknown[]) => Promise<nodeFs.FileHandle>)(p, ...rest), String(p));
  };
  return Object.assign(fs as unknown as SpoolFs, { calls });
}

function tryMount(dir: string, options: string): boolean {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir], { stdio: "ignore" });
    mounts.push(dir);
    return true;
  } catch {
    return false;
  }
}
const canMount = (() => {
  const probe = mkdtempSync(path.join(os.tmpdir(), "mount-probe-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", probe], { stdio: "ignore" });
    execFileSync("umount", [probe]);
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
})();

describe("local spool transport: placing files", () => {
  it("places the exact bytes with owner, mode and the schedule as mtime, via the temp dir", async () => {
    const t = createLocalTransport({ spoolDir: spool, uid: 4242, gid: 4343 });
    const before = Date.now();
    await t.write(FILE);
    const p = path.join(outgoing(), FILE.name);
    expect(readFileSync(p, "utf8")).toBe(FILE.content);
    const st = statSync(p);
    expect(st.mtime.getTime()).toBe(FILE.scheduledAt.getTime());
    expect(st.atimeMs).toBeGreaterThanOrEqual(before - 1000);
    expect([st.uid, st.gid, st.mode & 0o777]).toEqual([4242, 4343, 0o660]);
    expect(ls(outgoing())).toEqual([FILE.name]);
    expect(ls(tmpDir())).toEqual([]);
  });

  it("sets the schedule in whole seconds, as Asterisk reads it", async () => {
    const t = createLocalTransport({ spoolDir: spool });
    await t.write({ ...FILE, scheduledAt: new Date("2031-01-02T03:04:05.999Z") });
    expect(statSync(path.join(outgoing(), FILE.name)).mtime.toISOString()).toBe("2031-01-02T03:04:05.000Z");
  });

  it("renames from a temp file (never writes in place)", async () => {
    const fs = faultyFs("none", "");
    await createLocalTransport({ spoolDir: spool, fs }).write(FILE);
    const opened = fs.calls.filter((c) => c.startsWith("open ") && c.endsWith(FILE.name));
    expect(opened).toEqual([`open ${path.join(tmpDir(), FILE.name)}`]);
    expect(fs.calls).toContain(`rename ${path.join(tmpDir(), FILE.name)}`);
    expect(fs.calls.indexOf("handle.sync " + path.join(tmpDir(), FILE.name))).toBeLessThan(
      fs.calls.indexOf(`rename ${path.join(tmpDir(), FILE.name)}`),
    );
    expect(fs.calls).toContain(`handle.sync ${outgoing()}`);
  });

  it("never overwrites a file of the same name in outgoing/ or outgoing_done/", async () => {
    const t = createLocalTransport({ spoolDir: spool });
    await t.write(FILE);
    const again = await failure(t.write({ ...FILE, content: "Channel: Local/666@evil\nExtension: s\n" }));
    expect([again.code, again.placed]).toEqual(["EEXIST", false]);
    expect(readFileSync(path.join(outgoing(), FILE.name), "utf8")).toBe(FILE.content);

    mkdirSync(path.join(spool, "outgoing_done"));
    writeFileSync(path.join(spool, "outgoing_done", "spoolcast-ck1-2.call"), "archived\n");
    const archived = await failure(t.write({ ...FILE, name: "spoolcast-ck1-2.call" }));
    expect(archived.message).toMatch(/outgoing_done/);
    expect(archived.placed).toBe(false);
    expect(ls(outgoing())).toEqual([FILE.name]);
    expect(ls(tmpDir())).toEqual([]);
  });

  it("lets exactly one of two concurrent writers of one name win", async () => {
    const t = createLocalTransport({ spoolDir: spool });
    const results = await Promise.allSettled([t.write(FILE), t.write({ ...FILE, content: "other\n" })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: "EEXIST", placed: false });
    expect(ls(outgoing())).toEqual([FILE.name]);
  });

  it("places many files concurrently and fsyncs the directory fewer times than files", async () => {
    const fs = faultyFs("none", "");
    const t = createLocalTransport({ spoolDir: spool, fs });
    await Promise.all(Array.from({ length: 60 }, (_, i) => t.write({ ...FILE, name: `spoolcast-ck${i}-1.call` })));
    expect(ls(outgoing())).toHaveLength(60);
    const dirSyncs = fs.calls.filter((c) => c === `handle.sync ${outgoing()}`).length;
    expect(dirSyncs).toBeGreaterThanOrEqual(1);
    expect(dirSyncs).toBeLessThan(60);
  });

  it.each(["../evil.call", "a/b.call", ".hidden", "", "x\n.call", "a..b"])("refuses the file name %j", async (name) => {
    const err = await failure(createLocalTransport({ spoolDir: spool }).write({ ...FILE, name }));
    expect([err.code, err.placed]).toEqual(["EINVAL", false]);
    expect(ls(outgoing())).toEqual([]);
  });

  it("refuses an invalid schedule", async () => {
    const err = await failure(createLocalTransport({ spoolDir: spool }).write({ ...FILE, scheduledAt: new Date(Number.NaN) }));
    expect(err.code).toBe("EINVAL");
  });

  it("refuses a temp dir inside outgoing/", () => {
    expect(() => createLocalTransport({ spoolDir: spool, tmpDir: path.join(spool, "outgoing", "tmp") })).toThrow(/inside/);
  });

  it("refuses a temp dir on another filesystem (st_dev differs)", async () => {
    const realStat = nodeFs.stat;
    const fs = {
      ...nodeFs,
      stat: (async (p: string) => {
        const st = await realStat(p);
        return p === tmpDir() ? Object.assign(st, { dev: st.dev + 1 }) : st;
      }) as typeof nodeFs.stat,
    };
    const err = await failure(createLocalTransport({ spoolDir: spool, fs }).write(FILE));
    expect([err.code, err.placed]).toEqual(["EXDEV", false]);
    expect(err.message).toMatch(/different filesystem/);
  });

  it.skipIf(!canMount)("refuses a temp dir on a real other filesystem", async () => {
    const other = path.join(root, "othertmp");
    expect(tryMount(other, "size=64k")).toBe(true);
    const err = await failure(createLocalTransport({ spoolDir: spool, tmpDir: other }).write(FILE));
    expect([err.code, err.placed]).toEqual(["EXDEV", false]);
    expect(ls(other)).toEqual([]);
  });
});

describe("local spool transport: faults leave nothing partial", () => {
  it.each([
    ["handle.writeFile", "ENOSPC"],
    ["handle.sync", "EIO"],
    ["handle.chown", "EPERM"],
    ["handle.utimes", "EACCES"],
    ["rename", "EACCES"],
    ["lstat", "EACCES"],
  ])("%s failing with %s: clear error, temp removed, not placed", async (op, code) => {
    const fs = faultyFs(op, code, (p) => !p.startsWith(outgoing()) || op === "lstat");
    const err = await failure(createLocalTransport({ spoolDir: spool, uid: 1, fs }).write(FILE));
    expect(err.code).toBe(code);
    expect(err.placed).toBe(false);
    expect(err.message).toMatch(/the file was not placed/);
    expect(ls(outgoing())).toEqual([]);
    expect(ls(tmpDir())).toEqual([]);
  });

  it("reports EACCES when the temp file cannot be created", async () => {
    const fs = faultyFs("open", "EACCES", (p) => p.startsWith(tmpDir()));
    const err = await failure(createLocalTransport({ spoolDir: spool, fs }).write(FILE));
    expect([err.code, err.placed]).toEqual(["EACCES", false]);
    expect(ls(outgoing())).toEqual([]);
  });

  it("reports a failed directory fsync after the rename as possibly placed", async () => {
    const fs = faultyFs("handle.sync", "EIO", (p) => p === outgoing());
    const err = await failure(createLocalTransport({ spoolDir: spool, fs }).write(FILE));
    expect([err.code, err.placed]).toEqual(["EIO", "unknown"]);
    expect(ls(outgoing())).toEqual([FILE.name]);
  });

  it("outgoing/ vanished: ENOENT, temp removed, not placed", async () => {
    const t = createLocalTransport({ spoolDir: spool });
    await t.write(FILE);
    rmSync(outgoing(), { recursive: true });
    const err = await failure(t.write({ ...FILE, name: "spoolcast-ck2-1.call" }));
    expect([err.code, err.placed]).toEqual(["ENOENT", false]);
    expect(ls(tmpDir())).toEqual([]);
  });

  it("temp dir vanished: it is recreated and the write succeeds", async () => {
    const t = createLocalTransport({ spoolDir: spool });
    await t.write(FILE);
    rmSync(tmpDir(), { recursive: true });
    await t.write({ ...FILE, name: "spoolcast-ck2-1.call" });
    expect(ls(outgoing())).toEqual([FILE.name, "spoolcast-ck2-1.call"]);
  });

  it("removes a stale temp file left by a crashed writer, but not a fresh one", async () => {
    mkdirSync(tmpDir());
    writeFileSync(path.join(tmpDir(), FILE.name), "half");
    const fresh = await failure(createLocalTransport({ spoolDir: spool }).write(FILE));
    expect([fresh.code, fresh.placed]).toEqual(["EEXIST", false]);
    const fs = {
      ...nodeFs,
      lstat: (async (p: string) =>
        Object.assign(await nodeFs.lstat(p), { ctimeMs: Date.now() - 3_600_000 })) as typeof nodeFs.lstat,
    };
    await createLocalTransport({ spoolDir: spool, fs }).write(FILE);
    expect(readFileSync(path.join(outgoing(), FILE.name), "utf8")).toBe(FILE.content);
  });

  it.skipIf(!canMount)("a full filesystem (real tmpfs ENOSPC): temp removed, not placed", async () => {
    expect(tryMount(spool, "size=64k")).toBe(true);
    mkdirSync(outgoing());
    const t = createLocalTransport({ spoolDir: spool });
    await t.write(FILE);
    let fillError: unknown;
    try {
      for (let i = 0; i < 64; i++) appendFileSync(path.join(spool, "filler"), Buffer.alloc(4096));
    } catch (e) {
      fillError = e;
    }
    expect(fillError).toMatchObject({ code: "ENOSPC" });
    const err = await failure(
      t.write({ ...FILE, name: "spoolcast-ck3-1.call", content: FILE.content + "Set: PAD=" + "x".repeat(900) + "\n" }),
    );
    expect([err.code, err.placed]).toEqual(["ENOSPC", false]);
    expect(ls(outgoing())).toEqual([FILE.name]);
    expect(ls(tmpDir())).toEqual([]);
  });

  it.skipIf(!canMount)("a read-only spool (real EROFS): clear error, not placed", async () => {
    expect(tryMount(spool, "size=64k")).toBe(true);
    mkdirSync(outgoing());
    mkdirSync(tmpDir());
    execFileSync("mount", ["-o", "remount,ro", spool]);
    const err = await failure(createLocalTransport({ spoolDir: spool }).write(FILE));
    expect([err.code, err.placed]).toEqual(["EROFS", false]);
    expect(ls(outgoing())).toEqual([]);
  });
});

describe("local spool transport: reading, cancelling, retention, health", () => {
  it("cancels a file Asterisk has not picked up, and leaves one it is dialling", async () => {
    const t = createLocalTransport({ spoolDir: spool });
    await t.write(FILE);
    await t.write({ ...FILE, name: "spoolcast-ck2-1.call" });
    appendFileSync(path.join(outgoing(), "spoolcast-ck2-1.call"), "\nStartRetry: 4242 1 (1700000300)\n");
    expect(await t.cancel(FILE.name)).toBe(true);
    expect(await t.cancel("spoolcast-ck2-1.call")).toBe(false);
    expect(await t.cancel("spoolcast-nothere-1.call")).toBe(false);
    expect(ls(outgoing())).toEqual(["spoolcast-ck2-1.call"]);
  });

  it("lists and reads outgoing/ and outgoing_done/, and applies retention", async () => {
    const t = createLocalTransport({ spoolDir: spool });
    expect(await t.listArchived()).toEqual([]);
    await t.write(FILE);
    const listed = await t.listOutgoing();
    expect(listed).toEqual([{ name: FILE.name, mtime: FILE.scheduledAt, size: Buffer.byteLength(FILE.content) }]);
    expect(await t.readOutgoing(FILE.name)).toBe(FILE.content);
    expect(await t.readOutgoing("spoolcast-none-1.call")).toBeNull();

    const doneDir = path.join(spool, "outgoing_done");
    mkdirSync(path.join(doneDir, "already"), { recursive: true });
    writeFileSync(path.join(doneDir, "a.call"), "Status: Completed\n");
    writeFileSync(path.join(doneDir, "b.call"), "Status: Expired\n");
    expect((await t.listArchived()).map((e) => e.name)).toEqual(["a.call", "b.call"]);
    expect(await t.readArchived("b.call")).toBe("Status: Expired\n");
    await t.removeArchived("a.call", "delete");
    await t.removeArchived("a.call", "delete"); // idempotent
    await t.removeArchived("b.call", { moveTo: "2031/01" });
    expect(ls(doneDir)).toEqual(["2031", "already"]);
    expect(readFileSync(path.join(doneDir, "2031", "01", "b.call"), "utf8")).toBe("Status: Expired\n");
    await expect(t.removeArchived("b.call", { moveTo: "../../etc" })).rejects.toMatchObject({ code: "EINVAL" });
  });

  it("reads many archives at once, in order, past a slice of the batched reader, with null for a file gone", async () => {
    const t = createLocalTransport({ spoolDir: spool });
    const doneDir = path.join(spool, "outgoing_done");
    mkdirSync(path.join(doneDir, "spoolcast-archive"), { recursive: true });
    const names = Array.from({ length: 150 }, (_, i) => `spoolcast-c${String(i).padStart(3, "0")}-1.call`);
    for (const [i, name] of names.entries()) writeFileSync(path.join(doneDir, name), `Status: Completed\n;${i}\n`);
    const listed = await t.listArchived();
    // Sub-directories (retention's archive) are not archives; every file is, with its mtime and size.
    expect(listed.map((e) => e.name)).toEqual(names);
    expect(listed[149]).toMatchObject({ size: Buffer.byteLength("Status: Completed\n;149\n") });
    expect(listed[149]!.mtime.getTime()).toBe(statSync(path.join(doneDir, names[149]!)).mtime.getTime());

    const asked = [names[149]!, "spoolcast-gone-1.call", ...names.slice(0, 100)];
    const contents = await t.readArchivedMany!(asked);
    expect(contents).toHaveLength(102);
    expect(contents[0]).toBe("Status: Completed\n;149\n");
    expect(contents[1]).toBeNull();
    expect(contents.slice(2)).toEqual(names.slice(0, 100).map((_, i) => `Status: Completed\n;${i}\n`));

    await expect(t.readArchivedMany!(["../outgoing/x.call"])).rejects.toMatchObject({ code: "EINVAL" });
    // Not a file: an error naming the path, not a silent null.
    mkdirSync(path.join(doneDir, "spoolcast-dir-1.call"));
    await expect(t.readArchivedMany!(["spoolcast-dir-1.call"])).rejects.toMatchObject({
      code: "EISDIR",
      message: expect.stringContaining("spoolcast-dir-1.call"),
    });
  });

  it("reports a healthy spool with owner, free space and no clock skew", async () => {
    execFileSync("chown", ["4242:4242", outgoing()]);
    const t = createLocalTransport({ spoolDir: spool, uid: 4242, gid: 4242 });
    const report = await t.health();
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.clockSkewMs).toBe(0);
    expect(report.freeBytes).toBeGreaterThan(0);
    const byName = Object.fromEntries(report.checks.map((c) => [c.name, c]));
    expect(byName["same filesystem"]?.ok).toBe(true);
    expect(byName["file ownership"]).toMatchObject({ ok: true, detail: expect.stringContaining("4242:4242") });
    expect(ls(tmpDir())).toEqual([]);
  });

  it("as root with no uid configured, warns about root-owned files only when Asterisk is not root", async () => {
    // The test suite runs as root (CI); the rule reads the owner of outgoing/ as Asterisk's user.
    expect(process.getuid?.()).toBe(0);
    execFileSync("chown", ["0:0", outgoing()]);
    expect(await ownershipCheck()).toMatchObject({ ok: true, detail: expect.stringContaining("Asterisk runs as root here") });
    execFileSync("chown", ["4242:4242", outgoing()]);
    expect(await ownershipCheck()).toMatchObject({
      ok: false,
      severity: "warning",
      detail: expect.stringContaining("belongs to uid 4242 (the user Asterisk runs as)"),
    });
  });

  it("reports a missing outgoing/ and files Asterisk could not append to", async () => {
    rmSync(outgoing(), { recursive: true });
    const missing = await createLocalTransport({ spoolDir: spool }).health();
    expect(missing.ok).toBe(false);
    expect(missing.checks[0]).toMatchObject({ name: "outgoing directory", ok: false, severity: "error" });

    mkdirSync(outgoing());
    writeFileSync(path.join(outgoing(), "root-owned.call"), "x");
    const report = await createLocalTransport({ spoolDir: spool, uid: 4242 }).health();
    expect(report.checks.find((c) => c.name === "files in outgoing/")).toMatchObject({ ok: false, severity: "warning" });
    // outgoing/ is root-owned 0755 here: uid 4242 could not remove files from it.
    expect(report.checks.find((c) => c.name === "Asterisk can remove files")).toMatchObject({ ok: false, severity: "error" });
    expect(report.ok).toBe(false);
  });
});
