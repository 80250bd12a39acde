/**
 * ExternalIVR command buffering over real TCP, as eivr_comm (apps/app_externalivr.c) reads
 * with ast_iostream_gets (main/iostream.c): one line per iteration in which the socket is
 * readable; lines already read into the iostream's buffer run only when more bytes (or EOF)
 * arrive, all of them before the first line of the new bytes. Each test records when each
 * command ran (the simulator's "recv" wire entries) in virtual time.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { IVR_FIXTURES_DIR } from "@/tests/fixtures/asterisk";
import { parseIvrLog } from "@/lib/asterisk-sim/testing/ivr-log";
import {
  IVR_CONNECT_MS,
  type IvrSessionSetup,
  type IvrTestSession,
  openIvrSession,
  until,
} from "@/lib/asterisk-sim/testing/ivr-session";

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanup.toReversed()) await fn();
  cleanup = [];
});

type Ran = { at: number; command: string };

/** Opens a session and records each command line the simulator ran, with its time after connect. */
async function openRecorded(setup: IvrSessionSetup): Promise<IvrTestSession & { ran: Ran[] }> {
  const s = await openIvrSession(setup, (fn) => cleanup.push(fn));
  const ran: Ran[] = [];
  s.sim.on("ivr", (e) => {
    if (e.dir === "recv") ran.push({ at: s.clock.now() - IVR_CONNECT_MS, command: e.data.replace(/\n$/, "") });
  });
  return Object.assign(s, { ran });
}

describe("the recorded session (batched-commands-stall.log) command by command", () => {
  it("runs each later arrival's buffered lines first, then the first line of the new bytes; H waits for the close", async () => {
    const log = parseIvrLog(readFileSync(path.join(IVR_FIXTURES_DIR, "batched-commands-stall.log"), "latin1"));
    const s = await openRecorded({ callee: "800" });
    for (const entry of log) {
      const at = Math.round(entry.offset * 1000);
      if (entry.dir === "SEND") {
        await s.at(at);
        await s.send(entry.bytes);
      } else if (entry.dir === "CLOSING") {
        await s.at(at);
        await s.close();
      }
    }
    expect(s.ran).toEqual([
      { at: 200, command: "A,custom/prompt1" },
      { at: 2201, command: "A,custom/bye" },
      { at: 2201, command: "L,third line of batch" },
      { at: 2201, command: "L,kick1" },
      { at: 3201, command: "L,kick2" },
      { at: 4201, command: "L,kick3" },
      { at: 5202, command: "L,kick4" },
      // Stranded behind kick4 until the server closed: EOF makes the socket readable again.
      { at: 6202, command: "H,batched hangup" },
    ]);
    // The L lines reach Asterisk's log in that order, in Asterisk's wording.
    expect(s.logs.filter((l) => l.includes("Log message from EIVR"))).toEqual(
      ["third line of batch", "kick1", "kick2", "kick3", "kick4"].map(
        (m) => `Local/800@callees-00000001;1: Log message from EIVR: ${m}`,
      ),
    );
  });
});

describe("multi-command writes", () => {
  it("runs only the first command of a write; the next write runs the rest, then its own first line", async () => {
    const s = await openRecorded({});
    await s.at(100);
    await s.send("P,1\nP,2\nP,3\n");
    expect(s.received()).toHaveLength(1);
    await s.at(300);
    await s.send("H,bye\n");
    expect(s.ran.map((r) => [r.at, r.command])).toEqual([
      [100, "P,1"],
      [300, "P,2"],
      [300, "P,3"],
      [300, "H,bye"],
    ]);
    await until(() => s.eof(), "the simulator to close after H");
    expect(s.received().map((l) => l.split(",")[0])).toEqual(["P", "P", "P", "H"]);
    expect(s.received().at(-1)).toBe(`H,${s.ts(300)}`);
  });

  it("the second write's own later lines wait in turn", async () => {
    const s = await openRecorded({});
    await s.at(100);
    await s.send("P,1\nP,2\n");
    await s.send("L,kick\nE,done\n");
    expect(s.ran.map((r) => r.command)).toEqual(["P,1", "P,2", "L,kick"]);
    expect(s.eof()).toBe(false);
    await s.send("L,kick2\n");
    expect(s.ran.map((r) => r.command)).toEqual(["P,1", "P,2", "L,kick", "E,done"]);
    await until(() => s.eof(), "the simulator to close after E");
    expect(s.received().at(-1)).toBe(`E,${s.ts(100)}`);
  });
});

describe("lines over 1,023 bytes", () => {
  const long = `L,${"x".repeat(1500)}\n`;

  it.each(["E,done", "H,bye"])(
    "a long line, then %s in a later write: the tail runs, then the command (not stranded)",
    async (cmd) => {
      const s = await openRecorded({});
      await s.at(100);
      await s.send(long);
      expect(s.ran.map((r) => r.command)).toEqual([long.slice(0, 1023)]);
      await s.at(400);
      await s.send(`${cmd}\n`);
      // The 479-byte tail is a "command" of its own (letter x: ignored), then the command runs.
      expect(s.ran.map((r) => [r.at, r.command])).toEqual([
        [100, long.slice(0, 1023)],
        [400, long.slice(1023, -1)],
        [400, cmd],
      ]);
      await until(() => s.eof(), "the simulator to close");
      expect(s.received()).toEqual([`${cmd[0]},${s.ts(400)}`]);
    },
  );

  it("a long line and E in the same write: E waits for the next bytes, as Asterisk's code does", async () => {
    const s = await openRecorded({});
    await s.at(100);
    await s.send(`${long}E,done\n`);
    expect(s.ran.map((r) => r.command)).toEqual([long.slice(0, 1023)]);
    expect(s.received()).toEqual([]);
    await s.at(500);
    await s.send("L,kick\n");
    expect(s.ran.map((r) => [r.at, r.command])).toEqual([
      [100, long.slice(0, 1023)],
      [500, long.slice(1023, -1)],
      [500, "E,done"],
    ]);
    await until(() => s.eof(), "the simulator to close after E");
    expect(s.received()).toEqual([`E,${s.ts(500)}`]);
    await s.at(600);
    expect(s.logs).toContain("NoOp(after ivr)");
  });
});

describe("partial lines", () => {
  it("a partial line's completion runs at once; a line after its newline in the same bytes waits", async () => {
    const s = await openRecorded({});
    await s.at(100);
    await s.send("P,fir");
    expect(s.ran).toEqual([]);
    await s.at(200);
    await s.send("st\nP,second\n");
    expect(s.ran).toEqual([{ at: 200, command: "P,first" }]);
    await s.at(300);
    await s.send("L,kick\n");
    expect(s.ran.map((r) => [r.at, r.command])).toEqual([
      [200, "P,first"],
      [300, "P,second"],
      [300, "L,kick"],
    ]);
  });

  it("a command cut by a NUL byte ends there, as the C string does", async () => {
    const s = await openRecorded({});
    await s.at(100);
    await s.send("S,custom/nothere\0junk\n");
    expect(s.received()).toEqual([`Z,${s.ts(100)},custom/nothere`]);
  });
});
