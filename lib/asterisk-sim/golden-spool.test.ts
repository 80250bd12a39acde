import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GOLDEN_DIR, type TestSpool, makeTestSpool, moveIn, startVirtualSim } from "./testing/harness";

const DIALPLAN = `
[spoolcast]
exten => play,1,Playback(hello)
same => n,Hangup()
[sink]
exten => s,1,NoOp(sink)
exten => quick,1,NoOp(quick)
[rtest]
exten => s,1,NoOp(rtest)
exten => failed,1,NoOp(failed \${MYVAR} \${REASON})
`;

/** The bytes Asterisk was given: everything before its first appended line (or the Status line). */
function originalPart(golden: string, pid: number | null): string {
  if (pid !== null) {
    const idx = golden.indexOf(`\nStartRetry: ${pid} `);
    if (idx !== -1) return golden.slice(0, idx);
  }
  return golden.slice(0, golden.indexOf("Status: "));
}

const spoolGoldens = readdirSync(path.join(GOLDEN_DIR, "spool")).filter((f) => f.endsWith(".call"));

let spool: TestSpool | undefined;
afterEach(() => spool?.cleanup());

describe("archived call files match a real Asterisk byte for byte", () => {
  it.each(spoolGoldens)("%s", async (name) => {
    const golden = readFileSync(path.join(GOLDEN_DIR, "spool", name), "latin1");
    // README: this one arrived already carrying another Asterisk's bookkeeping lines.
    const arrivedWithHistory = name === "expired-retries-already-used.call";
    const m = arrivedWithHistory ? null : /\nStartRetry: (\d+) 1 \((\d+)\)/.exec(golden);
    const pid = m ? Number(m[1]) : 4242;
    const input = originalPart(golden, m ? pid : null);
    const retryTime = Number(/RetryTime: (\d+)/.exec(input)?.[1] ?? 300);
    // Mid-second arrival, as a real rename lands at some fraction of a second.
    const startSeconds = m ? Number(m[2]) - retryTime : 1_700_000_100;
    spool = makeTestSpool();
    const { sim, clock } = await startVirtualSim(spool, startSeconds * 1000 + 500, { pid, dialplan: DIALPLAN });
    moveIn(spool, name, Buffer.from(input, "latin1"), startSeconds - 5);
    sim.rescan();
    await clock.advance(60_000);
    const archived = readFileSync(path.join(spool.done, name), "latin1");
    expect(archived).toBe(golden);
    expect(readdirSync(spool.outgoing)).toEqual([]);
    await sim.stop();
  });
});
