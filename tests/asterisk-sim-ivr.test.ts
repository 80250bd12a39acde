/**
 * ExternalIVR behaviours Spoolcast's IVR server must cope with (docs/asterisk.md#externalivr), driven over
 * real TCP by a scripted server while the simulator runs in virtual time.
 */
import { readFileSync } from "node:fs";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { makeTestSpool, moveIn, startVirtualSim } from "@/lib/asterisk-sim/testing/harness";
import { IVR_CONNECT_MS as CONNECT, type IvrSessionSetup, openIvrSession, until } from "@/lib/asterisk-sim/testing/ivr-session";

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanup.toReversed()) await fn();
  cleanup = [];
});

const openSession = (setup: IvrSessionSetup) => openIvrSession(setup, (fn) => cleanup.push(fn));

describe("ExternalIVR line framing (docs/asterisk.md#externalivr-line-framing)", () => {
  it("stalls the channel on a partial line: DTMF and playback wait for the newline", async () => {
    const s = await openSession({ callee: "100" });
    await s.at(500);
    await s.send("A,custom/pro");
    await s.at(3000);
    expect(s.received()).toEqual([]);
    await s.send("mpt1\n");
    // The DTMF that came at 1.2 s is handled only now, stamped with the current time.
    expect(s.received()).toEqual([`1,${s.ts(3000)}`]);
    await s.at(4300);
    expect(s.received()).toEqual([`1,${s.ts(3000)}`, `F,${s.ts(4180)},custom/prompt1`]);
  });

  it("cuts lines of 1024+ bytes at 1023 and runs the rest as another command on the next wake-up", async () => {
    const s = await openSession({});
    await s.at(100);
    await s.send(`L,${"x".repeat(1021)}P,again\n`);
    expect(s.received()).toEqual([]);
    await s.send("L,kick\n");
    expect(s.received()).toEqual([expect.stringMatching(new RegExp(`^P,${s.ts(100)},ivr://127\\.0\\.0\\.1:\\d+,a,b$`))]);
  });

  it("handles one line per wake-up; later lines of the same write wait for more bytes", async () => {
    const s = await openSession({});
    await s.at(100);
    await s.send("P,1\nP,2\n");
    expect(s.received()).toHaveLength(1);
    await s.send("L,kick\n");
    expect(s.received()).toHaveLength(2);
  });

  it("ignores lines with leading whitespace or under 3 characters, and unknown letters; reads only byte 0", async () => {
    const s = await openSession({});
    await s.at(100);
    for (const line of [" P,x\n", "\tP,x\n", "P\n", "P,\n", "Q,what\n"]) await s.send(line);
    expect(s.received()).toEqual([]);
    await s.send("Pxyz\n");
    expect(s.received()).toEqual([expect.stringMatching(/^P,\d{10},ivr:\/\/127\.0\.0\.1:\d+,a,b$/)]);
  });
});

describe("ExternalIVR commands (docs/asterisk.md#externalivr-commands)", () => {
  it("refuses a sound name with an extension, or a missing one, with Z and the name", async () => {
    const s = await openSession({});
    await s.at(100);
    await s.send("S,custom/prompt1.wav\n");
    await s.send("A,custom/nothere\n");
    expect(s.received()).toEqual([`Z,${s.ts(100)},custom/prompt1.wav`, `Z,${s.ts(100)},custom/nothere`]);
  });

  it("blocks the loop while D sends digits: DTMF from the callee waits until it is done", async () => {
    const s = await openSession({ callee: "100" });
    await s.at(1000);
    await s.send("D,11\n");
    await s.at(1500);
    expect(s.received()).toEqual([]);
    await s.at(1800);
    expect(s.received()).toEqual([`1,${s.ts(1700)}`]);
  });

  it("with option n plays nothing until T starts the generator", async () => {
    const s = await openSession({ ivrOptions: "n" });
    await s.at(100);
    await s.send("A,custom/prompt1\n");
    await s.at(1300);
    expect(s.received()).toEqual([`1,${s.ts(1200)}`]);
    await s.send("T,go\n");
    await s.at(3000);
    expect(s.received()).toEqual([`1,${s.ts(1200)}`, `F,${s.ts(2480)},custom/prompt1`]);
  });

  it("with option d skips hangup checks: no H when the callee hangs up, the session lives on", async () => {
    const s = await openSession({ callee: "700", ivrOptions: "d" });
    await s.at(7000);
    expect(s.received().some((l) => l.startsWith("H,") || l.startsWith("I,"))).toBe(false);
    await s.send("S,custom/prompt1\n");
    expect(s.received().at(-1)).toBe(`Z,${s.ts(7000)}`);
    // The hung-up channel is still Up, so T has nothing to answer: no reply (eivr_comm skips ast_answer).
    await s.send("T,answer\n");
    expect(s.received().at(-1)).toBe(`Z,${s.ts(7000)}`);
    await s.send("H,bye\n");
    expect(s.received().at(-1)).toBe(`H,${s.ts(7000)}`);
  });

  it("X ends the session with no event and the dialplan continues", async () => {
    const s = await openSession({});
    await s.at(100);
    await s.send("X,bye\n");
    await until(() => s.eof(), "EOF");
    expect(s.received()).toEqual([]);
    await s.at(200);
    expect(s.logs).toContain("NoOp(after ivr)");
  });

  it("on caller hangup sends exactly one H and closes; the call file still ends Completed", async () => {
    const s = await openSession({ callee: "700", application: true });
    await s.at(7000);
    await until(() => s.eof(), "EOF");
    expect(s.received().filter((l) => l.startsWith("H,"))).toEqual([`H,${s.ts(6178)}`]);
    await s.at(8000);
    expect(s.status()).toBe("Completed");
  });
});

describe("IVR server unreachable (docs/asterisk.md#answered-means-completed)", () => {
  it("hangs up the channel and still archives Completed", async () => {
    const spool = makeTestSpool();
    cleanup.push(() => spool.cleanup());
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const { sim, clock } = await startVirtualSim(spool, CONNECT - 100, {});
    cleanup.push(() => sim.stop());
    const logs: string[] = [];
    sim.on("log", (e) => logs.push(e.message));
    moveIn(
      spool,
      "u.call",
      `Channel: Local/100@callees\nApplication: ExternalIVR\nData: ivr://127.0.0.1:${port}(a)\nArchive: yes\n`,
      1_800_000_000,
    );
    sim.rescan();
    await clock.advance(200);
    await until(() => logs.some((l) => l.endsWith(": Could not connect to any host.  ExternalIVR failed.")), "connect failure");
    // ast_tcptls_client_start_timeout's warning comes first, with strerror(errno).
    expect(logs).toContain(`Unable to connect IVR to 127.0.0.1:${port}: Connection refused`);
    await clock.advance(200);
    expect(readFileSync(`${spool.done}/u.call`, "latin1")).toMatch(/Status: Completed\n$/);
  });
});
