/**
 * Replays the IVR server side of each golden ExternalIVR session against the simulator over
 * real TCP, in virtual time, and checks that the simulator sends exactly what Asterisk sent
 * (line for line, timestamps included).
 */
import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Simulator } from "@/lib/asterisk-sim";
import type { VirtualClock } from "@/lib/asterisk-sim/clock";
import { GOLDEN_DIR, type TestSpool, makeTestSpool, moveIn, startVirtualSim } from "@/lib/asterisk-sim/testing/harness";
import { parseIvrLog } from "@/lib/asterisk-sim/testing/ivr-log";

type Scenario = { log: string; callee: string; options?: string; myvar: string };

const SCENARIOS: Scenario[] = [
  { log: "command-tour.log", callee: "100", myvar: "j1" },
  { log: "exit-continues-dialplan.log", callee: "100", myvar: "j2" },
  { log: "server-closes-socket.log", callee: "100", myvar: "j3" },
  { log: "callee-hangs-up.log", callee: "700", myvar: "j4" },
  { log: "option-i-hangup.log", callee: "700", options: "i", myvar: "j5" },
  { log: "autoclear-dtmf-interrupts.log", callee: "800", myvar: "j6" },
  { log: "batched-commands-stall.log", callee: "800", myvar: "j7" },
];

async function until(check: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanup.toReversed()) await fn();
  cleanup = [];
});

describe("ExternalIVR sessions match a real Asterisk line for line", () => {
  it.each(SCENARIOS)("$log", async (sc) => {
    const log = parseIvrLog(readFileSync(path.join(GOLDEN_DIR, "ivr", sc.log), "latin1"));
    const connectLine = log.find((l) => l.dir === "CONNECT")!;
    const connectMs = Math.round(Number(/epoch=([\d.]+)/.exec(connectLine.text)![1]) * 1000);

    let socket: net.Socket | undefined;
    let received = "";
    let recording = true;
    const server = net.createServer((s) => {
      socket = s;
      cleanup.push(() => s.destroy());
      s.on("data", (d) => {
        if (recording) received += d.toString("latin1");
      });
      s.on("error", () => {});
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    cleanup.push(() => new Promise((r) => server.close(r)));

    const spool: TestSpool = makeTestSpool();
    cleanup.push(() => spool.cleanup());
    const dialplan = [
      "[ivrtest]",
      "exten => s,1,Answer()",
      `same => n,ExternalIVR(ivr://127.0.0.1:${port}(arg1,arg2)${sc.options ? `,${sc.options}` : ""})`,
      "same => n,NoOp(after ExternalIVR ${EIVRVAR})",
      "same => n,Wait(1)",
    ].join("\n");
    // The callee answers 0.1 s after the dial starts; Answer() + connect then take no time.
    const dialMs = connectMs - 100;
    const { sim, clock }: { sim: Simulator; clock: VirtualClock } = await startVirtualSim(spool, dialMs, { dialplan });
    cleanup.push(() => sim.stop());
    let wakes = 0;
    sim.on("ivr-wake", () => wakes++);
    const file = [
      `Channel: Local/${sc.callee}@callees`,
      "Context: ivrtest",
      "Extension: s",
      `Set: MYVAR=${sc.myvar}`,
      "Archive: yes",
      "",
    ].join("\n");
    moveIn(spool, "ivr.call", file, Math.floor(dialMs / 1000) - 10);
    sim.rescan();
    await clock.advanceTo(connectMs);
    await until(() => socket !== undefined, "the simulator to connect");

    for (const [index, entry] of log.entries()) {
      const at = connectMs + Math.round(entry.offset * 1000);
      if (entry.dir === "SEND") {
        await clock.advanceTo(at);
        const before = wakes;
        socket!.write(Buffer.from(entry.bytes, "latin1"));
        await until(() => wakes > before, `the simulator to read ${JSON.stringify(entry.bytes)}`);
      } else if (entry.dir === "CLOSING") {
        await clock.advanceTo(at);
        recording = false;
        socket!.end();
      } else if (entry.dir === "RECV") {
        await clock.advanceTo(at);
        const expectedSoFar = log
          .filter((l, i) => l.dir === "RECV" && i <= index)
          .map((l) => l.bytes)
          .join("");
        await until(() => received.length >= expectedSoFar.length, `RECV at ${entry.offset}`);
      }
    }
    const expected = log
      .filter((l) => l.dir === "RECV")
      .map((l) => l.bytes)
      .join("");
    const normalised = received.replaceAll(`ivr://127.0.0.1:${port}`, "ivr://127.0.0.1:2949");
    expect(normalised.split("\n")).toEqual(expected.split("\n"));
  });
});
