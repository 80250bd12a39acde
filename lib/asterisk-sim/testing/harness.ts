/**
 * Test helpers for the simulator: a temporary spool with sounds, a virtual-clock simulator,
 * the callee table of the golden README, and "move a call file in" as Spoolcast does it
 * (write elsewhere, set mtime, rename into outgoing/).
 */
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CalleeRule } from "../callees";
import { VirtualClock } from "../clock";
import { type CallEvent, type SimOptions, type Simulator, startSimulator } from "../index";
import { makeSilentWav } from "../sounds";
import { ASTERISK_FIXTURES_DIR } from "../../../tests/fixtures/asterisk";

/** The recorded Asterisk 22.10.1 fixtures (tests/fixtures/asterisk, README there). */
export const GOLDEN_DIR = ASTERISK_FIXTURES_DIR;

/** Callees of the golden README (`Local/<n>@callees`), with the DTMF timing seen in ivr/*.log. */
export const GOLDEN_CALLEES: CalleeRule[] = [
  { exact: "100", behaviour: { kind: "answer", after: 0.1, dtmf: [{ at: 1.2, digits: "1" }], hangupAfter: 11 } },
  { exact: "200", behaviour: { kind: "no-answer" } },
  { exact: "300", behaviour: { kind: "busy", after: 0.2 } },
  { exact: "400", behaviour: { kind: "answer", after: 0.1, hangupAfter: 0 } },
  { exact: "500", behaviour: { kind: "congestion", after: 0.2 } },
  {
    exact: "700",
    behaviour: { kind: "answer", after: 0.1, dtmf: [{ at: 1.2, digits: "12#", interval: 0.352 }], hangupAfter: 6.178 },
  },
  { exact: "800", behaviour: { kind: "answer", after: 0.1, dtmf: [{ at: 1.2, digits: "5" }], hangupAfter: 31 } },
];

/** Sound lengths that reproduce the playback timing of the golden IVR logs. */
export const GOLDEN_SOUNDS: Record<string, number> = { "custom/prompt1": 1160, "custom/prompt2": 3000, "custom/bye": 820 };

export type TestSpool = { root: string; spoolDir: string; soundsDir: string; outgoing: string; done: string; cleanup(): void };

export function makeTestSpool(sounds: Record<string, number> = GOLDEN_SOUNDS): TestSpool {
  const root = mkdtempSync(path.join(os.tmpdir(), "asterisk-sim-"));
  const spoolDir = path.join(root, "spool");
  const soundsDir = path.join(root, "sounds");
  for (const [name, ms] of Object.entries(sounds)) {
    const file = path.join(soundsDir, `${name}.wav`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, makeSilentWav(ms));
  }
  mkdirSync(path.join(spoolDir, "outgoing"), { recursive: true });
  return {
    root,
    spoolDir,
    soundsDir,
    outgoing: path.join(spoolDir, "outgoing"),
    done: path.join(spoolDir, "outgoing_done"),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Writes `content` outside outgoing/, sets its mtime (epoch seconds), renames it in. */
export function moveIn(spool: TestSpool, name: string, content: string | Buffer, mtimeSeconds: number): string {
  const tmp = path.join(spool.root, `tmp-${name}`);
  writeFileSync(tmp, content);
  utimesSync(tmp, mtimeSeconds, mtimeSeconds);
  const target = path.join(spool.outgoing, name);
  renameSync(tmp, target);
  return target;
}

export async function startVirtualSim(
  spool: TestSpool,
  startMs: number,
  extra: Partial<SimOptions> = {},
): Promise<{ sim: Simulator; clock: VirtualClock }> {
  const clock = new VirtualClock(startMs);
  const sim = await startSimulator({
    spoolDir: spool.spoolDir,
    soundsDir: spool.soundsDir,
    clock,
    watch: false,
    rescanMs: 0,
    pid: 4242,
    callees: GOLDEN_CALLEES,
    ...extra,
  });
  return { sim, clock };
}

export type CallFileRun = {
  spool: TestSpool;
  sim: Simulator;
  clock: VirtualClock;
  /** Every call event and log line the simulator emitted, in order. */
  calls: CallEvent[];
  logs: Array<{ level: string; message: string }>;
  /** The Status: line of the archived copy of `name` in outgoing_done/. */
  status(name: string): string | undefined;
  /** Stops the simulator and removes the spool. */
  stop(): Promise<void>;
};

const runs = new Set<CallFileRun>();

/**
 * Runs call files through a fresh spool and virtual-clock simulator the way Spoolcast hands
 * them over: each moved into outgoing/ with mtime `t0` (epoch seconds), one rescan, then
 * `advanceMs` of simulated time. The clock starts half a second past `t0`, so a file is due
 * at once. What it starts is stopped by `stopCallFileRuns()` (the test file's afterEach),
 * even when an assertion fails first.
 */
export async function runCallFiles(
  files: Record<string, string>,
  { t0, advanceMs, ...extra }: { t0: number; advanceMs: number } & Partial<SimOptions>,
): Promise<CallFileRun> {
  const spool = makeTestSpool();
  const { sim, clock } = await startVirtualSim(spool, t0 * 1000 + 500, extra).catch((e: unknown) => {
    spool.cleanup();
    throw e;
  });
  const run: CallFileRun = {
    spool,
    sim,
    clock,
    calls: [],
    logs: [],
    status: (name) => /Status: (\w+)/.exec(readFileSync(path.join(spool.done, name), "latin1"))?.[1],
    async stop() {
      runs.delete(run);
      await sim.stop();
      spool.cleanup();
    },
  };
  runs.add(run);
  sim.on("call", (e) => run.calls.push(e));
  sim.on("log", (e) => run.logs.push(e));
  for (const [name, body] of Object.entries(files)) moveIn(spool, name, body, t0);
  sim.rescan();
  await clock.advance(advanceMs);
  return run;
}

/** Stops every simulator runCallFiles started and removes its spool: a test file's afterEach. */
export async function stopCallFileRuns(): Promise<void> {
  // Deleting the current entry while iterating a Set is safe: iteration goes on with the next.
  for (const run of runs) await run.stop();
}
