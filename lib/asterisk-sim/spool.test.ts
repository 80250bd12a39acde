import { chmodSync, existsSync, readdirSync, readFileSync, statSync, unlinkSync, utimesSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type CallEvent, type Simulator, startSimulator } from "./index";
import { GOLDEN_CALLEES, type TestSpool, makeTestSpool, moveIn, startVirtualSim } from "./testing/harness";

const T0 = 1_800_000_000;
let spool: TestSpool;
let sims: Simulator[] = [];
afterEach(async () => {
  for (const s of sims) await s.stop();
  sims = [];
  spool?.cleanup();
});

async function setup(extra: Parameters<typeof startVirtualSim>[2] = {}, startMs = T0 * 1000 + 500) {
  spool = makeTestSpool();
  const r = await startVirtualSim(spool, startMs, extra);
  sims.push(r.sim);
  const calls: CallEvent[] = [];
  r.sim.on("call", (e) => calls.push(e));
  return { ...r, calls };
}

const read = (file: string) => readFileSync(file, "latin1");
const done = (name: string) => read(path.join(spool.done, name));
const out = (name: string) => path.join(spool.outgoing, name);

describe("scheduling (docs/asterisk.md#pickup-and-scheduling)", () => {
  it("waits for a future mtime, then ignores later mtime changes", async () => {
    const { sim, clock, calls } = await setup();
    moveIn(spool, "f.call", "Channel: Local/100@callees\nApplication: Wait\nData: 1\n", T0 + 10);
    sim.rescan();
    utimesSync(out("f.call"), T0 + 100, T0 + 100);
    await clock.advance(9000);
    expect(calls).toHaveLength(0);
    expect(read(out("f.call"))).not.toContain("StartRetry");
    await clock.advance(1500);
    expect(read(out("f.call"))).toContain(`StartRetry: 4242 1 (${T0 + 310})`);
  });

  it("dedupes pending entries by (path, time) and processes dotfiles", async () => {
    const { sim, clock, calls } = await setup();
    moveIn(spool, ".hidden", "Channel: Local/200@callees\nApplication: Wait\nWaitTime: 2\n", T0 + 5);
    sim.rescan();
    // A second notification for the same file and time is dropped.
    (sim as unknown as { spool: { queueFile(f: string, w: number): void } }).spool.queueFile(out(".hidden"), 0);
    await clock.advance(10_000);
    expect(calls.map((c) => c.file)).toEqual([".hidden"]);
    expect(existsSync(out(".hidden"))).toBe(false);
  });

  it("cancels a pending call when its file is deleted", async () => {
    const { sim, clock, calls } = await setup();
    moveIn(spool, "gone.call", "Channel: Local/100@callees\nApplication: Wait\n", T0 + 5);
    sim.rescan();
    unlinkSync(out("gone.call"));
    await clock.advance(10_000);
    expect(calls).toHaveLength(0);
    expect(existsSync(spool.done)).toBe(false);
  });

  it("fires a pending entry with the content of a file that replaced the original", async () => {
    const { sim, clock, calls } = await setup();
    moveIn(spool, "r.call", "Channel: Local/100@callees\nApplication: Wait\nArchive: yes\n", T0 + 5);
    sim.rescan();
    // Replaced by a file scheduled much later: the old entry still fires at T0 + 5, with the new content.
    moveIn(spool, "r.call", "Channel: Local/300@callees\nApplication: Wait\nArchive: yes\n", T0 + 1000);
    await clock.advance(6000);
    expect(calls).toMatchObject([{ file: "r.call", reason: 5 }]);
    expect(done("r.call")).toContain("Local/300");
  });

  it("starts a burst of 200 due files at once, with no concurrency limit of its own", async () => {
    const { sim, clock } = await setup();
    for (let i = 0; i < 200; i++)
      moveIn(spool, `b${i}.call`, "Channel: Local/800@callees\nApplication: Wait\nData: 5\nArchive: yes\n", T0);
    sim.rescan();
    await clock.advance(1);
    expect(sim.stats()).toMatchObject({ attempts: 200, active: 200 });
    await clock.advance(10_000);
    expect(readdirSync(spool.done)).toHaveLength(200);
  });

  it("picks up files already present at start-up about a second later", async () => {
    spool = makeTestSpool();
    moveIn(spool, "early.call", "Channel: Local/200@callees\nApplication: Wait\nWaitTime: 1\nArchive: yes\n", T0 - 60);
    const r = await startVirtualSim(spool, T0 * 1000 + 200, {});
    sims.push(r.sim);
    await r.clock.advance(900);
    expect(read(out("early.call"))).not.toContain("StartRetry");
    await r.clock.advance(200);
    expect(read(out("early.call"))).toContain(`StartRetry: 4242 1 (${T0 + 301})`);
  });
});

describe("attempts, retries and removal (docs/asterisk.md#attempts-and-retry-lines)", () => {
  it("makes MaxRetries + 1 attempts R seconds apart, EndRetry between, none after the last", async () => {
    const { sim, clock, calls } = await setup();
    moveIn(spool, "busy.call", "Channel: Local/300@callees\nApplication: Wait\nMaxRetries: 2\nRetryTime: 60\nArchive: yes\n", T0);
    sim.rescan();
    await clock.advance(200_000);
    expect(calls.map((c) => [c.attempt, c.reason])).toEqual([
      [1, 5],
      [2, 5],
      [3, 5],
    ]);
    const s = done("busy.call");
    expect(s.slice(s.indexOf("Archive: yes\n") + 13)).toBe(
      [
        `\nStartRetry: 4242 1 (${T0 + 60})`,
        `\nEndRetry: 4242 1 (${T0})`,
        `\nStartRetry: 4242 2 (${T0 + 120})`,
        `\nEndRetry: 4242 2 (${T0 + 60})`,
        `\nStartRetry: 4242 3 (${T0 + 180})`,
        "Status: Expired\n",
      ].join("\n"),
    );
  });

  it("sets atime to the line time and mtime to time + R after each line", async () => {
    const { sim, clock } = await setup();
    moveIn(spool, "m.call", "Channel: Local/200@callees\nApplication: Wait\nRetryTime: 50\nWaitTime: 10\nMaxRetries: 1\n", T0);
    sim.rescan();
    let st = statSync(out("m.call"));
    expect(Math.floor(st.mtimeMs / 1000)).toBe(T0 + 100);
    expect(Math.floor(st.atimeMs / 1000)).toBe(T0 + 50);
    await clock.advance(10_000);
    st = statSync(out("m.call"));
    expect(Math.floor(st.mtimeMs / 1000)).toBe(T0 + 60);
  });

  it("expires at once, without dialling, when MaxRetries is negative or attempts are used up", async () => {
    const { sim, clock, calls } = await setup();
    moveIn(spool, "neg.call", "Channel: Local/100@callees\nApplication: Wait\nMaxRetries: -1\nArchive: yes", T0);
    sim.rescan();
    await clock.advance(1000);
    expect(calls).toHaveLength(0);
    // No final newline and nothing appended: Status joins the last line.
    expect(done("neg.call")).toBe("Channel: Local/100@callees\nApplication: Wait\nMaxRetries: -1\nArchive: yesStatus: Expired\n");
  });

  it("writes StartRetry without a blank line when the file lacks a final newline", async () => {
    const { sim, clock } = await setup();
    moveIn(spool, "nonl.call", "Channel: Local/400@callees\nApplication: Wait\nArchive: yes", T0);
    sim.rescan();
    await clock.advance(5000);
    expect(done("nonl.call")).toBe(
      `Channel: Local/400@callees\nApplication: Wait\nArchive: yes\nStartRetry: 4242 1 (${T0 + 300})\nStatus: Completed\n`,
    );
  });

  it("deletes instead of archiving without Archive: yes, and deletes unarchived invalid files", async () => {
    const { sim, clock } = await setup();
    moveIn(spool, "ok.call", "Channel: Local/400@callees\nApplication: Wait\n", T0);
    moveIn(spool, "bad.call", "Channel: Local/400@callees\n", T0);
    moveIn(spool, "badarch.call", "Archive: yes\nContext: x\n", T0);
    sim.rescan();
    await clock.advance(5000);
    expect(readdirSync(spool.outgoing)).toEqual([]);
    expect(readdirSync(spool.done)).toEqual(["badarch.call"]);
    expect(done("badarch.call")).toBe("Archive: yes\nContext: x\nStatus: Failed\n");
    expect(sim.stats()).toMatchObject({ completed: 1, failedFiles: 2 });
  });

  it("overwrites an archived file of the same name", async () => {
    const { sim, clock } = await setup();
    moveIn(spool, "same.call", "Channel: Local/400@callees\nApplication: Wait\nArchive: yes\n", T0);
    sim.rescan();
    await clock.advance(2000);
    moveIn(spool, "same.call", "Channel: Local/300@callees\nApplication: Wait\nArchive: yes\n", T0);
    sim.rescan();
    await clock.advance(2000);
    expect(done("same.call")).toContain("Local/300");
    expect(done("same.call")).toContain("Status: Expired");
  });

  it("keeps an AlwaysDelete: no file after success, adding DelayedRetry every R", async () => {
    const { sim, clock } = await setup();
    moveIn(
      spool,
      "keep.call",
      "Channel: Local/400@callees\nApplication: Wait\nAlwaysDelete: no\nRetryTime: 10\nArchive: yes\n",
      T0,
    );
    sim.rescan();
    await clock.advance(25_000);
    const s = read(out("keep.call"));
    expect(s).toContain(`DelayedRetry: 4242 0 (${T0 + 10})`);
    expect(s).toContain(`DelayedRetry: 4242 0 (${T0 + 20})`);
    expect(existsSync(spool.done)).toBe(false);
  });

  it("writes AbortRetry when a restarted Asterisk (new pid) finds a call left running", async () => {
    const { sim, clock } = await setup({ pid: 1111 });
    moveIn(spool, "crash.call", "Channel: Local/100@callees\nApplication: Wait\nData: 30\nArchive: yes\n", T0);
    sim.rescan();
    await clock.advance(2000);
    sim.crash();
    sims = [];
    expect(read(out("crash.call"))).toContain(`StartRetry: 1111 1 (${T0 + 300})`);
    // The file's mtime is start + 2R: the restarted Asterisk queues it for then.
    utimesSync(out("crash.call"), T0, T0);
    const again = await startSimulator({
      spoolDir: spool.spoolDir,
      soundsDir: spool.soundsDir,
      clock,
      pid: 2222,
      watch: false,
      rescanMs: 0,
      // Local/100@callees stands for a phone only through a callee rule (local.ts).
      callees: GOLDEN_CALLEES,
    });
    sims.push(again);
    await clock.advance(1100);
    expect(read(out("crash.call"))).toContain(`\nAbortRetry: 2222 1 (${T0 + 3})\n\nStartRetry: 2222 1 (${T0 + 303})\n`);
  });

  it("writes DelayedRetry when a check comes while the attempt is still running", async () => {
    const { sim, clock } = await setup();
    moveIn(spool, "long.call", "Channel: Local/100@callees\nApplication: Wait\nData: 15\nRetryTime: 5\nArchive: yes\n", T0);
    sim.rescan();
    await clock.advance(30_000);
    const s = done("long.call");
    // Callee 100 hangs up 11.1 s after the dial: checks at +5 and +10 find the call running.
    expect(s.match(/DelayedRetry: 4242 0 \(\d+\)/g)).toEqual([
      `DelayedRetry: 4242 0 (${T0 + 5})`,
      `DelayedRetry: 4242 0 (${T0 + 10})`,
    ]);
    expect(s.endsWith("Status: Completed\n")).toBe(true);
  });

  it("re-creates a stub with only EndRetry when the file vanished during a failing attempt, then drops it as invalid", async () => {
    const { sim, clock } = await setup();
    moveIn(spool, "stub.call", "Channel: Local/200@callees\nApplication: Wait\nWaitTime: 5\nMaxRetries: 1\nRetryTime: 20\n", T0);
    sim.rescan();
    await clock.advance(1000);
    unlinkSync(out("stub.call"));
    await clock.advance(5000);
    expect(read(out("stub.call"))).toBe(`\nEndRetry: 4242 1 (${T0 + 5})\n`);
    await clock.advance(30_000);
    expect(existsSync(out("stub.call"))).toBe(false);
  });

  it.skipIf(process.getuid?.() === 0)("deletes a file it cannot open (no archive)", async () => {
    const { sim, clock } = await setup();
    moveIn(spool, "locked.call", "Channel: Local/100@callees\nApplication: Wait\nArchive: yes\n", T0);
    chmodSync(out("locked.call"), 0);
    sim.rescan();
    await clock.advance(1000);
    expect(existsSync(out("locked.call"))).toBe(false);
    expect(existsSync(spool.done)).toBe(false);
  });
});
