import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTransport } from "@/lib/spool";
import { createSftpTransport, probeHostKey, type SftpTransportOptions } from "@/lib/spool/sftp";
import type { SpoolTransport } from "@/lib/spool/types";
import { startSshd, type SshdServer } from "./support/sshd-server";
import { FILE, failure, ls } from "@/tests/support/spool-fixtures";

let sshd: SshdServer;
let spool: string;
let n = 0;
const transports: SpoolTransport[] = [];
const mounts: string[] = [];

beforeAll(async () => {
  sshd = await startSshd();
});
afterAll(async () => {
  await sshd?.stop();
});
beforeEach(() => {
  spool = path.join(sshd.root, `spool${++n}`);
  mkdirSync(path.join(spool, "outgoing"), { recursive: true });
});
afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
  for (const m of mounts.splice(0).toReversed()) execFileSync("umount", ["-l", m]);
});

function transport(extra: Partial<SftpTransportOptions> = {}): SpoolTransport {
  const t = createSftpTransport({
    host: sshd.host,
    port: sshd.port,
    username: sshd.username,
    privateKey: sshd.privateKey,
    hostKeySha256: sshd.hostKeySha256,
    spoolDir: spool,
    ...extra,
  });
  transports.push(t);
  return t;
}

const outgoing = () => path.join(spool, "outgoing");
const ownershipCheck = async () => (await transport({}).health()).checks.find((c) => c.name === "file ownership");
const tmpDir = () => path.join(spool, ".spoolcast-tmp");

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
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

describe("SFTP spool transport against a real OpenSSH sshd", () => {
  it("places the exact bytes with owner, mode and the schedule as mtime via posix-rename", async () => {
    const t = transport({ uid: 4242, gid: 4343 });
    await t.write(FILE);
    const file = path.join(outgoing(), FILE.name);
    expect(readFileSync(file, "utf8")).toBe(FILE.content);
    const st = statSync(file);
    expect(st.mtime.getTime()).toBe(FILE.scheduledAt.getTime());
    expect([st.uid, st.gid, st.mode & 0o777]).toEqual([4242, 4343, 0o660]);
    expect(ls(outgoing())).toEqual([FILE.name]);
    expect(ls(tmpDir())).toEqual([]);
  });

  it("builds the transport from an AsteriskHost row", async () => {
    const t = createTransport({
      transport: "sftp",
      spoolDir: spool,
      sftpHost: sshd.host,
      sftpPort: sshd.port,
      sftpUser: sshd.username,
      sftpPrivateKey: sshd.privateKey,
      sftpHostKey: sshd.hostKeySha256,
      fileUid: null,
      fileGid: null,
    });
    transports.push(t);
    await t.write(FILE);
    expect(ls(outgoing())).toEqual([FILE.name]);
    expect(() => createTransport({ transport: "sftp", spoolDir: spool, sftpHost: "h" })).toThrow(
      /sftpUser, sftpPrivateKey, sftpHostKey/,
    );
  });

  it("refuses a host whose key does not match the pinned fingerprint", async () => {
    const wrong = "SHA256:" + "A".repeat(43);
    const err = await failure(transport({ hostKeySha256: wrong }).write(FILE));
    expect([err.code, err.placed]).toEqual(["HOSTKEY", false]);
    expect(err.message).toContain(sshd.hostKeySha256);
    expect(ls(outgoing())).toEqual([]);
    expect(await probeHostKey({ host: sshd.host, port: sshd.port })).toBe(sshd.hostKeySha256);
    expect(() => transport({ hostKeySha256: "" })).toThrow(/pinned host key/);
  });

  it("never overwrites a file in outgoing/ or outgoing_done/", async () => {
    const t = transport();
    await t.write(FILE);
    const again = await failure(t.write({ ...FILE, content: "evil\n" }));
    expect([again.code, again.placed]).toEqual(["EEXIST", false]);
    expect(readFileSync(path.join(outgoing(), FILE.name), "utf8")).toBe(FILE.content);
    mkdirSync(path.join(spool, "outgoing_done"));
    writeFileSync(path.join(spool, "outgoing_done", "spoolcast-ck1-2.call"), "x");
    const archived = await failure(t.write({ ...FILE, name: "spoolcast-ck1-2.call" }));
    expect(archived.message).toMatch(/outgoing_done/);
    expect(ls(tmpDir())).toEqual([]);
  });

  it("writes many files concurrently over the pool", async () => {
    const t = transport({ poolSize: 3 });
    await Promise.all(Array.from({ length: 150 }, (_, i) => t.write({ ...FILE, name: `spoolcast-ck${i}-1.call` })));
    expect(ls(outgoing())).toHaveLength(150);
    expect((await t.listOutgoing()).every((e) => e.mtime.getTime() === FILE.scheduledAt.getTime())).toBe(true);
    expect(ls(tmpDir())).toEqual([]);
  });

  it("cancels, lists, reads and applies retention", async () => {
    const t = transport();
    await t.write(FILE);
    await t.write({ ...FILE, name: "spoolcast-ck2-1.call" });
    appendFileSync(path.join(outgoing(), "spoolcast-ck2-1.call"), "\nStartRetry: 4242 1 (1700000300)\n");
    expect(await t.readOutgoing("spoolcast-ck2-1.call")).toMatch(/StartRetry/);
    expect(await t.cancel(FILE.name)).toBe(true);
    expect(await t.cancel("spoolcast-ck2-1.call")).toBe(false);
    expect(await t.cancel("spoolcast-gone-1.call")).toBe(false);
    expect((await t.listOutgoing()).map((e) => e.name)).toEqual(["spoolcast-ck2-1.call"]);

    expect(await t.listArchived()).toEqual([]);
    const done = path.join(spool, "outgoing_done");
    mkdirSync(path.join(done, "sub"), { recursive: true });
    writeFileSync(path.join(done, "a.call"), "Status: Completed\n");
    writeFileSync(path.join(done, "b.call"), "Status: Expired\n");
    expect((await t.listArchived()).map((e) => [e.name, e.size])).toEqual([
      ["a.call", 18],
      ["b.call", 16],
    ]);
    expect(await t.readArchived("a.call")).toBe("Status: Completed\n");
    expect(await t.readArchived("zzz.call")).toBeNull();
    await t.removeArchived("a.call", "delete");
    await t.removeArchived("b.call", { moveTo: "2031/01" });
    expect(ls(done)).toEqual(["2031", "sub"]);
    expect(readFileSync(path.join(done, "2031", "01", "b.call"), "utf8")).toBe("Status: Expired\n");
  });

  it("logged in as root with no uid configured, warns about root-owned files only when outgoing/ is not root's", async () => {
    execFileSync("chown", ["0:0", outgoing()]);
    expect(await ownershipCheck()).toBeUndefined();
    execFileSync("chown", ["4242:4242", outgoing()]);
    expect(await ownershipCheck()).toMatchObject({ ok: false, severity: "warning", detail: expect.stringContaining("uid 4242") });
  });

  it("reports health: connection, directories, same filesystem, ownership, free space, clock skew", async () => {
    execFileSync("chown", ["4242:4242", outgoing()]);
    const report = await transport({ uid: 4242, gid: 4242 }).health();
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.clockSkewMs).toBe(0);
    expect(report.freeBytes).toBeGreaterThan(0);
    expect(report.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        "connection",
        "outgoing directory",
        "same filesystem",
        "file ownership",
        "free space",
        "clock skew",
      ]),
    );
    const bad = await transport({ hostKeySha256: "SHA256:" + "B".repeat(43) }).health();
    expect(bad.ok).toBe(false);
    expect(bad.checks[0]).toMatchObject({ name: "connection", ok: false });
  });

  it("outgoing/ vanished: ENOENT, not placed, temp removed", async () => {
    const t = transport();
    await t.write(FILE);
    rmSync(outgoing(), { recursive: true });
    const err = await failure(t.write({ ...FILE, name: "spoolcast-ck2-1.call" }));
    expect([err.code, err.placed]).toEqual(["ENOENT", false]);
    expect(ls(tmpDir())).toEqual([]);
  });

  it("connection dropped mid-write: not placed, then reconnects and removes the temp file", async () => {
    let cut = false;
    const t = transport({
      beforeStep: async (step) => {
        if (step === "write" && !cut) {
          cut = true;
          sshd.killSessions();
          // Let the client notice the dead socket before it pipelines the data.
          await new Promise((r) => setTimeout(r, 50));
        }
      },
    });
    const err = await failure(t.write(FILE));
    expect(err.placed).toBe(false);
    expect(err.message).toMatch(/not placed/);
    expect(ls(outgoing())).toEqual([]);
    await t.write({ ...FILE, name: "spoolcast-ck2-1.call" });
    expect(ls(outgoing())).toEqual(["spoolcast-ck2-1.call"]);
    await until(() => ls(tmpDir()).length === 0);
  });

  it("connection dropped just before the rename: the outcome is checked on a new connection", async () => {
    let cut = false;
    const t = transport({
      beforeStep: (step) => {
        if (step === "rename" && !cut) {
          cut = true;
          sshd.killSessions();
        }
      },
    });
    const err = await failure(t.write(FILE));
    expect(err.placed).toBe(false);
    expect(ls(outgoing())).toEqual([]);
    await t.write(FILE); // the same name can be written again once it was certainly not placed
    expect(readFileSync(path.join(outgoing(), FILE.name), "utf8")).toBe(FILE.content);
    await until(() => ls(tmpDir()).length === 0);
  });

  it("connection lost after the server renamed the file: the write is confirmed on a new connection", async () => {
    let cut = false;
    const t = transport({
      beforeStep: (step, name) => {
        if (step === "rename" && !cut) {
          cut = true;
          // Stand in for a server that performs the rename and dies before replying.
          renameSync(path.join(tmpDir(), name), path.join(outgoing(), name));
          sshd.killSessions();
        }
      },
    });
    await t.write(FILE);
    expect(readFileSync(path.join(outgoing(), FILE.name), "utf8")).toBe(FILE.content);
    expect(ls(tmpDir())).toEqual([]);
  });

  it("host gone for good after the rename was sent: placed is unknown", async () => {
    const doomed = await startSshd();
    const doomedSpool = path.join(doomed.root, "spool");
    mkdirSync(path.join(doomedSpool, "outgoing"), { recursive: true });
    const t = createSftpTransport({
      ...doomed,
      spoolDir: doomedSpool,
      connectTimeoutMs: 1_000,
      beforeStep: (step) => {
        if (step === "rename") doomed.kill();
      },
    });
    transports.push(t);
    try {
      const err = await failure(t.write(FILE));
      expect(err.placed).toBe("unknown");
      expect(err.message).toMatch(/may or may not be in outgoing/);
    } finally {
      await doomed.stop();
    }
  });

  it("a full remote filesystem (tmpfs): clear error, temp removed, not placed", async () => {
    // Runs as root (CI and the dev container); mounting a tiny tmpfs gives a real ENOSPC.
    expect(tryMount(spool, "size=64k")).toBe(true);
    mkdirSync(outgoing());
    const t = transport();
    await t.write(FILE);
    try {
      for (let i = 0; i < 64; i++) appendFileSync(path.join(spool, "filler"), Buffer.alloc(4096));
    } catch {
      // full now
    }
    const err = await failure(
      t.write({ ...FILE, name: "spoolcast-ck3-1.call", content: FILE.content + "Set: PAD=" + "x".repeat(900) + "\n" }),
    );
    expect(err.placed).toBe(false);
    expect(err.message).toMatch(/not placed/);
    expect(ls(outgoing())).toEqual([FILE.name]);
    expect(ls(tmpDir())).toEqual([]);
  });

  it("the server is gone: connection refused, not placed", async () => {
    const other = await startSshd();
    await other.stop();
    const t = createSftpTransport({ ...other, spoolDir: spool, connectTimeoutMs: 2_000 });
    transports.push(t);
    const err = await failure(t.write(FILE));
    expect([err.code, err.placed]).toEqual(["ECONNREFUSED", false]);
  });
});
