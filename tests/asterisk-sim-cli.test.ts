/**
 * `npm run asterisk-sim`: the CLI on a real spool with fs.watch and a compressed real-time
 * clock: a call file renamed into outgoing/ is dialled and archived; SIGTERM stops it cleanly.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { makeTestSpool, moveIn } from "@/lib/asterisk-sim/testing/harness";

const ROOT = path.resolve(import.meta.dirname, "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const CLI = path.join(ROOT, "lib", "asterisk-sim", "cli.ts");

let child: ChildProcess | undefined;
let cleanup: (() => void) | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  cleanup?.();
});

async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

it("dials a renamed-in call file, archives it, and exits 0 on SIGTERM", async () => {
  const spool = makeTestSpool();
  cleanup = spool.cleanup;
  const callees = path.join(spool.root, "callees.json");
  writeFileSync(callees, JSON.stringify([{ exact: "555", behaviour: { kind: "answer", after: 2, hangupAfter: 4 } }]));
  child = spawn(
    TSX,
    [CLI, "--spool", spool.spoolDir, "--sounds", spool.soundsDir, "--speed", "10", "--pid", "5555", "--callees", callees],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout!.on("data", (d) => (output += String(d)));
  child.stderr!.on("data", (d) => (output += String(d)));
  await until(() => output.includes("asterisk-sim: pid 5555"), "start-up", 60_000);
  moveIn(
    spool,
    "cli.call",
    "Channel: PJSIP/555\nApplication: Wait\nData: 10\nArchive: yes\n",
    Math.floor(Date.now() / 1000) - 60,
  );
  const archived = path.join(spool.done, "cli.call");
  await until(() => existsSync(archived) && readFileSync(archived, "latin1").includes("Status:"), "the archived file");
  expect(readFileSync(archived, "latin1")).toMatch(
    /^Channel: PJSIP\/555\nApplication: Wait\nData: 10\nArchive: yes\n\nStartRetry: 5555 1 \(\d{10}\)\nStatus: Completed\n$/,
  );
  expect(output).toMatch(/call cli\.call attempt 1 PJSIP\/555-00000001: answered/);
  const exited = new Promise<number | null>((r) => child!.once("exit", (code) => r(code)));
  child.kill("SIGTERM");
  expect(await exited).toBe(0);
});

it("--crash-after kills the simulated Asterisk mid-call; the restarted one (next pid) writes AbortRetry", async () => {
  const spool = makeTestSpool();
  cleanup = spool.cleanup;
  const callees = path.join(spool.root, "callees.json");
  writeFileSync(callees, JSON.stringify([{ exact: "777", behaviour: { kind: "answer", after: 0.5 } }]));
  moveIn(
    spool,
    "crash.call",
    "Channel: PJSIP/777\nApplication: Wait\nData: 1000\nRetryTime: 1\nArchive: yes\n",
    Math.floor(Date.now() / 1000) - 60,
  );
  child = spawn(
    TSX,
    [
      CLI,
      "--spool",
      spool.spoolDir,
      "--sounds",
      spool.soundsDir,
      "--speed",
      "10",
      "--pid",
      "6000",
      // 3 s of real time: the first Asterisk must have started the call before it crashes. With
      // 0.5 s, a loaded machine's first spool scan sometimes came after the crash, and the
      // restarted one then dialled the file afresh, with no AbortRetry to write.
      "--crash-after",
      "30",
      "--callees",
      callees,
    ],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout!.on("data", (d) => (output += String(d)));
  const file = path.join(spool.outgoing, "crash.call");
  // tsx start-up on a loaded CI machine can take seconds: time the crash from the first boot.
  await until(() => output.includes("asterisk-sim: pid 6000"), "start-up", 60_000);
  // The restarted Asterisk may also finish with the file (its retries are used up) and move it
  // to outgoing_done/ within milliseconds of writing AbortRetry: read it wherever it is now.
  const archived = path.join(spool.done, "crash.call");
  const current = () => [file, archived].filter((f) => existsSync(f)).map((f) => readFileSync(f, "latin1"))[0] ?? "";
  await until(() => current().includes("AbortRetry: 6001 1 ("), "AbortRetry by the restarted pid", 30_000);
  expect(current()).toMatch(/\nStartRetry: 6000 1 \(\d+\)\n[\s\S]*\nAbortRetry: 6001 1 \(\d+\)\n\nStartRetry: 6001 1 \(\d+\)\n/);
  expect(output).toContain("crashing pid 6000");
});

it("refuses a bad flag, naming it", () => {
  const r = spawnSync(TSX, [CLI, "--spool", "/tmp/x", "--speed", "fast"], { cwd: ROOT, encoding: "utf8" });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('--speed: invalid value "fast"');
});

it("--no-core-sounds runs a PBX without silence/*, and --help explains what that does", async () => {
  const help = spawnSync(TSX, [CLI, "--help"], { cwd: ROOT, encoding: "utf8" });
  expect(help.status).toBe(0);
  expect(help.stdout).toMatch(/--no-core-sounds plays a PBX installed without Asterisk's core sounds/);
  expect(help.stdout).toMatch(/no `F` event\s+\* comes/);
  const spool = makeTestSpool();
  cleanup = spool.cleanup;
  child = spawn(TSX, [CLI, "--spool", spool.spoolDir, "--sounds", spool.soundsDir, "--pid", "7000", "--no-core-sounds"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += String(d)));
  await until(() => output.includes("asterisk-sim: pid 7000"), "start-up", 60_000);
  expect(output).toContain(`sounds ${spool.soundsDir} (no core sounds),`);
});
