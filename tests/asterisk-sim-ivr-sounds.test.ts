/**
 * Sounds as ExternalIVR sees them on a real Asterisk 22: an unknown file is answered `Z` with
 * the "Unknown file requested" warning (eivr_comm, apps/app_externalivr.c), and on a PBX
 * without the core sounds (`coreSounds: false`) the generator, which plays `silence/10`
 * whenever its playlist is empty (gen_nextfile), fails at once: nothing plays, no `F` comes.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type IvrSessionSetup, openIvrSession } from "@/lib/asterisk-sim/testing/ivr-session";

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanup.toReversed()) await fn();
  cleanup = [];
});

const openSession = (setup: IvrSessionSetup) => openIvrSession(setup, (fn) => cleanup.push(fn));

/** The first channel the simulator makes for `Local/<callee>@callees`. */
const CHANNEL = "Local/100@callees-00000001;1";

describe("S/A of a sound the PBX does not have", () => {
  it.each(["S", "A"])("%s: Z with the name, and Asterisk's warning naming the channel and the file", async (letter) => {
    const s = await openSession({});
    await s.at(100);
    await s.send(`${letter},spoolcast/msg-12\n`);
    expect(s.received()).toEqual([`Z,${s.ts(100)},spoolcast/msg-12`]);
    expect(s.logEntries).toContainEqual({ level: "warning", message: `${CHANNEL}: Unknown file requested 'spoolcast/msg-12'` });
    // Nothing was queued: a file that exists plays next and is the only F.
    await s.send("A,custom/bye\n");
    await s.at(2000);
    // bye (820 ms) starts at the next 20 ms frame after 100 ms and ends at 940 ms, before the key at 1.2 s.
    expect(s.received()).toEqual([`Z,${s.ts(100)},spoolcast/msg-12`, `F,${s.ts(940)},custom/bye`, `1,${s.ts(1200)}`]);
  });

  it("S on a hung-up channel (option d) is a bare Z with the 'unanswered channel' warning", async () => {
    const s = await openSession({ callee: "700", ivrOptions: "d" });
    await s.at(7000);
    await s.send("S,custom/nothere\n");
    expect(s.received().at(-1)).toBe(`Z,${s.ts(7000)}`);
    expect(s.logs).toContain(`Local/700@callees-00000001;1: Queue re'S'et called on unanswered channel`);
    expect(s.logs.some((l) => l.includes("Unknown file requested"))).toBe(false);
  });
});

describe("core sounds (silence/*) installed or not", () => {
  it("with core sounds (the default) silence/1 exists and plays for 1 s", async () => {
    const s = await openSession({});
    await s.at(100);
    await s.send("A,silence/1\n");
    await s.at(1150);
    expect(s.received()).toEqual([`F,${s.ts(1120)},silence/1`]);
  });

  it("without them the generator fails when ExternalIVR starts: files are accepted but never play, no F", async () => {
    const s = await openSession({ sim: { coreSounds: false } });
    // gen_nextfile found the playlist empty, could not open silence/10, and the generator was removed.
    expect(s.logEntries).toContainEqual({ level: "warning", message: "File silence/10 does not exist in any format" });
    expect(s.logEntries).toContainEqual({
      level: "warning",
      message: `${CHANNEL}: File 'silence/10' could not be opened: No such file or directory`,
    });
    await s.at(100);
    await s.send("S,custom/prompt1\n");
    await s.send("A,custom/bye\n");
    await s.at(6000);
    // The callee's key (1.2 s) is still reported; no F, no Z: the files exist.
    expect(s.received()).toEqual([`1,${s.ts(1200)}`]);
    // T does not restart it (u->gen_active is still set).
    await s.send("T,again\n");
    await s.at(8000);
    expect(s.received()).toEqual([`1,${s.ts(1200)}`]);
    // Never played, so S reports both as dropped (D), never as interrupted (T); I drops the new one.
    await s.send("S,custom/prompt2\n");
    await s.send("I,stop\n");
    expect(s.received()).toEqual([
      `1,${s.ts(1200)}`,
      `D,${s.ts(8000)},custom/prompt1`,
      `D,${s.ts(8000)},custom/bye`,
      `D,${s.ts(8000)},custom/prompt2`,
    ]);
  });

  it("without them no silence/* name exists: S,silence/1 is an unknown file", async () => {
    const s = await openSession({ sim: { coreSounds: false } });
    await s.at(100);
    await s.send("S,silence/1\n");
    expect(s.received()).toEqual([`Z,${s.ts(100)},silence/1`]);
    expect(s.logs).toContain(`${CHANNEL}: Unknown file requested 'silence/1'`);
  });

  it("without them, under option n, a file queued before T plays once (F), then the generator fails", async () => {
    const s = await openSession({ ivrOptions: "n", sim: { coreSounds: false } });
    expect(s.logs.some((l) => l.includes("silence/10"))).toBe(false);
    await s.at(100);
    await s.send("A,custom/bye\n");
    await s.send("T,go\n");
    await s.at(1000);
    expect(s.received()).toEqual([`F,${s.ts(940)},custom/bye`]);
    expect(s.logs).toContain(`${CHANNEL}: File 'silence/10' could not be opened: No such file or directory`);
    await s.send("A,custom/prompt1\n");
    await s.at(5000);
    expect(s.received()).toEqual([`F,${s.ts(940)},custom/bye`, `1,${s.ts(1200)}`]);
  });

  it("without them, I while a file plays leaves the playlist empty: the generator fails, later files never play", async () => {
    const s = await openSession({ ivrOptions: "n", sim: { coreSounds: false } });
    await s.at(100);
    await s.send("A,custom/prompt2\n");
    await s.send("T,go\n");
    await s.at(500);
    await s.send("I,stop\n");
    expect(s.received()).toEqual([`T,${s.ts(500)},custom/prompt2`]);
    // gen_readframe tries gen_nextfile twice after an abort: the warning pair comes twice.
    const opened = `${CHANNEL}: File 'silence/10' could not be opened: No such file or directory`;
    expect(s.logs.filter((l) => l === opened)).toHaveLength(2);
    await s.send("A,custom/bye\n");
    await s.at(4000);
    expect(s.received()).toEqual([`T,${s.ts(500)},custom/prompt2`, `1,${s.ts(1200)}`]);
  });
});
