/**
 * Picking files up in real time with fs.watch (the inotify approximation in spool.ts):
 * renamed-in files start at once, future mtimes wait, dotfiles count, and a file written in
 * place is read after its writer closed it.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { type Simulator, startSimulator } from "@/lib/asterisk-sim";
import { GOLDEN_CALLEES, type TestSpool, makeTestSpool, moveIn } from "@/lib/asterisk-sim/testing/harness";

let sim: Simulator | undefined;
let spool: TestSpool | undefined;
afterEach(async () => {
  await sim?.stop();
  spool?.cleanup();
});

async function until(check: () => boolean, what: string, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

it("starts renamed-in files at once, waits for a future mtime, and reads in-place files after close", async () => {
  spool = makeTestSpool();
  sim = await startSimulator({ spoolDir: spool.spoolDir, soundsDir: spool.soundsDir, callees: GOLDEN_CALLEES, rescanMs: 0 });
  const started: string[] = [];
  sim.on("line", (e) => {
    if (e.line.startsWith("StartRetry")) started.push(e.file);
  });
  await new Promise((r) => setTimeout(r, 1100)); // past the start-up scan
  const now = Math.floor(Date.now() / 1000);
  const t0 = Date.now();
  moveIn(spool, ".dot", "Channel: Local/400@callees\nApplication: Wait\nArchive: yes\n", now - 30);
  await until(() => started.includes(".dot"), ".dot to start");
  expect(Date.now() - t0).toBeLessThan(1000);

  moveIn(spool, "later.call", "Channel: Local/400@callees\nApplication: Wait\nArchive: yes\n", now + 3);
  writeFileSync(path.join(spool.outgoing, "inplace.call"), "Channel: Local/400@callees\nApplication: Wait\nArchive: yes\n");
  await until(() => started.includes("inplace.call"), "inplace.call to start");
  expect(started).not.toContain("later.call");
  await until(() => started.includes("later.call"), "later.call to start");
  expect(Date.now()).toBeGreaterThanOrEqual((now + 3) * 1000);
  await until(() => existsSync(path.join(spool!.done, "later.call")), "later.call archived");
  expect(readFileSync(path.join(spool.done, "inplace.call"), "latin1")).toMatch(/Status: Completed\n$/);
});
