import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import pino from "pino";
import fc from "fast-check";
import { FakeChannel, type FakeChannelOptions } from "@/tests/support/fake-asterisk";
import { IvrSession, NO_AUDIO_HINT } from "./session";
import { createMemoryStore, type FailureReportResult, type IvrCallInfo } from "./store";
import { buildCallScript, type CallScriptInput } from "./scripts";
import { signCallToken } from "./token";
import { SYSTEM_SOUNDS } from "./system-prompts";

const SECRET = "x".repeat(40);
const CALL_ID = "ckivrsession0000000000001";
const MSG = "spoolcast/audio/fire-drill";

function callInfo(script: CallScriptInput, extra: Partial<IvrCallInfo> = {}): IvrCallInfo {
  return {
    id: CALL_ID,
    kind: "pa",
    state: "dialling",
    script: buildCallScript(script),
    messageSound: MSG,
    messageDurationMs: 5000,
    ...extra,
  };
}

/** Wires a session to a FakeChannel through an async "network" that may coalesce writes. */
function setup(opts: {
  call?: IvrCallInfo | null;
  args?: string[];
  channel?: Partial<FakeChannelOptions>;
  /** Deliver everything written within one tick as one read (what TCP may do). */
  coalesce?: boolean;
  /** Asterisk never answers. */
  deaf?: boolean;
}) {
  const store = createMemoryStore(opts.call === null ? [] : [opts.call ?? callInfo({ kind: "message" })]);
  const writes: string[] = [];
  let pending = "";
  let channel!: FakeChannel;
  const session = new IvrSession({
    secret: SECRET,
    store,
    logger: pino({ level: "silent" }),
    kickAfterMs: 400,
    transport: {
      remote: "127.0.0.1:5555",
      write(line) {
        writes.push(line);
        if (opts.deaf) return;
        if (opts.coalesce) {
          if (pending === "")
            setTimeout(() => {
              const data = pending;
              pending = "";
              channel.receive(data);
            }, 0);
          pending += line;
        } else queueMicrotask(() => channel.receive(line));
      },
      end: () => queueMicrotask(() => channel.shutdown()),
    },
  });
  channel = new FakeChannel(
    { url: "ivr://127.0.0.1:2949", args: opts.args ?? [CALL_ID, signCallToken(SECRET, CALL_ID)], ...opts.channel },
    (line) => queueMicrotask(() => session.handleLine(line.slice(0, -1))),
    () => queueMicrotask(() => session.handleEnd()),
  );
  session.start();
  /** Commands other than the G confirmations and L kicks. */
  const script = () => channel.commands.filter((c) => !/^[GL],/.test(c));
  const types = () => store.state.events.map((e) => e.type);
  return { store, session, channel, writes, script, types };
}

const tick = (ms = 1) => vi.advanceTimersByTimeAsync(ms);

/** The callee hears the 5 s message and the prompt, presses 1 and hears the thank-you. */
async function hearMessageAndPress1(channel: FakeChannel) {
  await tick();
  await tick(5000);
  channel.finishCurrent();
  await tick();
  channel.finishCurrent();
  await tick(100);
  channel.pressDigit("1");
  await tick();
  channel.finishCurrent();
  await tick();
}

describe("IVR session script", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date("2026-03-01T10:00:00Z") });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("plays the message, prompts, records the confirming key and hangs up after the thank-you", async () => {
    const t = setup({});
    await tick();
    expect(t.script()).toEqual(["P,spoolcast", `S,${MSG}`]);
    await tick(5000);
    t.channel.finishCurrent();
    await tick();
    expect(t.script().at(-1)).toBe(`S,${SYSTEM_SOUNDS.promptAckReplay}`);
    t.channel.finishCurrent();
    await tick(1500);
    const pressedAt = Date.now();
    t.channel.pressDigit("1");
    await tick();
    expect(t.script().at(-1)).toBe(`S,${SYSTEM_SOUNDS.thanks}`);
    t.channel.finishCurrent();
    await tick();
    expect(t.script().at(-1)).toMatch(/^H,/);
    await t.session.done;
    expect(t.session.outcome).toBe("acknowledged");
    const ack = t.store.state.acks.get(CALL_ID)!;
    expect(ack.digit).toBe("1");
    expect(ack.at.getTime() - pressedAt).toBeLessThanOrEqual(1);
    expect(t.store.state.heard.get(CALL_ID)).toBe(5000);
    expect(t.store.state.answered.has(CALL_ID)).toBe(true);
    expect(t.types()).toEqual(["ivr.connected", "ivr.played", "ivr.played", "ivr.dtmf", "ivr.acknowledged", "ivr.played"]);
    // One command per write, always newline-terminated.
    for (const w of t.writes) expect(w).toMatch(/^[^\n]{3,999}\n$/);
  });

  it("keeps retrying the acknowledgement while the database is away, then stores it and what followed, in order", async () => {
    const t = setup({});
    const realAck = t.store.recordAck.bind(t.store);
    let failures = 0;
    t.store.recordAck = async (...a) => {
      // The database restarts: the first writes fail with a connection error.
      if (failures < 5) {
        failures++;
        throw Object.assign(new Error("Connection terminated unexpectedly"), { code: "ECONNRESET" });
      }
      return realAck(...a);
    };
    await hearMessageAndPress1(t.channel);
    expect(t.store.state.acks.has(CALL_ID)).toBe(false);
    expect(t.types()).not.toContain("ivr.acknowledged");
    await tick(10_000);
    await t.session.done;
    expect(failures).toBe(5);
    expect(t.store.state.acks.get(CALL_ID)?.digit).toBe("1");
    expect(t.types()).toEqual(["ivr.connected", "ivr.played", "ivr.played", "ivr.dtmf", "ivr.acknowledged", "ivr.played"]);
  });

  it("gives up on a store write that cannot succeed (the call row is gone) without holding the rest", async () => {
    const t = setup({});
    let calls = 0;
    t.store.recordAck = async () => {
      calls++;
      throw Object.assign(new Error("No record was found for an update."), { code: "P2025" });
    };
    await hearMessageAndPress1(t.channel);
    await t.session.done;
    expect(calls).toBe(1);
    expect(t.types()).toContain("ivr.acknowledged");
  });

  it("replays the message on 2 up to maxReplays, then offers only the confirm key", async () => {
    const t = setup({ call: callInfo({ kind: "message", maxReplays: 1 }) });
    await tick();
    t.channel.finishCurrent(); // message
    await tick();
    t.channel.finishCurrent(); // prompt offering replay
    await tick();
    t.channel.pressDigit("2");
    await tick();
    expect(t.script().at(-1)).toBe(`S,${MSG}`);
    t.channel.finishCurrent();
    await tick();
    expect(t.script().at(-1)).toBe(`S,${SYSTEM_SOUNDS.promptAck}`);
    t.channel.finishCurrent();
    await tick();
    t.channel.pressDigit("2");
    await tick();
    expect(t.script().at(-1)).toBe(`S,${SYSTEM_SOUNDS.promptAck}`);
    expect(t.types()).toContain("ivr.replay-refused");
    expect(t.store.state.events.find((e) => e.type === "ivr.replay")?.detail).toBe("1 of 1");
  });

  it("re-prompts once when no key is pressed, then ends as not acknowledged", async () => {
    const t = setup({ call: callInfo({ kind: "message", noInputTimeoutSec: 5 }) });
    await tick();
    t.channel.finishCurrent();
    await tick();
    t.channel.finishCurrent(); // prompt 1
    await tick(4999);
    expect(t.script()).toHaveLength(3);
    await tick(1);
    expect(t.script().at(-1)).toBe(`S,${SYSTEM_SOUNDS.promptAckReplay}`);
    t.channel.finishCurrent(); // prompt 2
    await tick(5000);
    expect(t.script().at(-1)).toBe(`S,${SYSTEM_SOUNDS.noInput}`);
    t.channel.finishCurrent();
    await tick();
    await t.session.done;
    expect(t.session.outcome).toBe("not-acknowledged");
    expect(t.store.state.acks.size).toBe(0);
    expect(t.types()).toEqual(expect.arrayContaining(["ivr.reprompt", "ivr.no-input"]));
    // The count is the prompt about to play, out of the script's maxPrompts (2): never "3 of 2".
    expect(t.store.state.events.filter((e) => e.type === "ivr.reprompt").map((e) => e.detail)).toEqual(["prompt 2 of 2"]);
    expect(t.store.state.events.find((e) => e.type === "ivr.no-input")?.detail).toBe("no key after 2 prompt(s)");
  });

  it("counts each reprompt of a longer script once: prompt 2 of 3, prompt 3 of 3", async () => {
    const t = setup({ call: callInfo({ kind: "message", noInputTimeoutSec: 2, maxPrompts: 3 }) });
    await tick();
    t.channel.finishCurrent(); // message
    await tick();
    for (let i = 0; i < 3; i++) {
      t.channel.finishCurrent(); // prompt i + 1
      await tick(2000);
    }
    t.channel.finishCurrent(); // no-input goodbye
    await tick();
    await t.session.done;
    expect(t.store.state.events.filter((e) => e.type === "ivr.reprompt").map((e) => e.detail)).toEqual([
      "prompt 2 of 3",
      "prompt 3 of 3",
    ]);
  });

  it("claims no heard time when the callee hangs up mid-message: a hang-up is no playback event", async () => {
    const t = setup({});
    await tick();
    await tick(2300);
    t.channel.hangup();
    await tick();
    await t.session.done;
    expect(t.session.outcome).toBe("hangup");
    expect(t.store.state.heard.has(CALL_ID)).toBe(false);
    const hangup = t.store.state.events.find((e) => e.type === "ivr.hangup")!;
    expect(hangup.detail).toMatch(/during the message, 2\.3 s after it was sent/);
  });

  it("plays the intro before the message and counts heard time from the message start to its F", async () => {
    const t = setup({
      call: callInfo({ kind: "message", intro: "spoolcast/audio/chime", requireAck: false }, { messageDurationMs: null }),
    });
    await tick();
    expect(t.script()).toEqual(["P,spoolcast", "S,spoolcast/audio/chime", `A,${MSG}`]);
    await tick(1000);
    t.channel.finishCurrent(); // intro
    await tick(1200);
    t.channel.finishCurrent(); // message: F after 1.2 s of playing
    await tick();
    await t.session.done;
    expect(t.store.state.heard.get(CALL_ID)).toBe(1200);
  });

  it("hangs up after the message when no acknowledgement is required", async () => {
    const t = setup({ call: callInfo({ kind: "message", requireAck: false, repeat: 2 }) });
    await tick();
    expect(t.script()).toEqual(["P,spoolcast", `S,${MSG}`, `A,${MSG}`]);
    t.channel.finishCurrent();
    await tick();
    t.channel.finishCurrent();
    await tick();
    await t.session.done;
    expect(t.script().at(-1)).toMatch(/^H,/);
    expect(t.session.outcome).toBe("completed");
  });

  it("accepts the confirm key during the message and keeps the part heard", async () => {
    const t = setup({});
    await tick(1800);
    t.channel.pressDigit("1");
    await tick();
    expect(t.script().at(-1)).toBe(`S,${SYSTEM_SOUNDS.thanks}`);
    expect(t.store.state.acks.get(CALL_ID)?.digit).toBe("1");
    expect(t.store.state.heard.get(CALL_ID)).toBeGreaterThanOrEqual(1790);
  });

  it("takes no heard time from a D for the message: Asterisk drops a file it never played with D", async () => {
    const t = setup({});
    await tick(1800);
    // What Asterisk sends when the generator never played the head (no core sounds) and an S replaces it.
    t.session.handleLine(`D,${Math.floor(Date.now() / 1000)},${MSG}`);
    await tick();
    expect(t.store.state.heard.has(CALL_ID)).toBe(false);
  });

  it("wake-up: 5 snoozes (recorded as the key) and 1 confirms", async () => {
    const snooze = setup({ call: callInfo({ kind: "wakeup" }, { kind: "wakeup", messageSound: null }) });
    await tick();
    expect(snooze.script()).toEqual(["P,spoolcast", `S,${SYSTEM_SOUNDS.wakeupMessage}`]);
    snooze.channel.finishCurrent();
    await tick();
    expect(snooze.script().at(-1)).toBe(`S,${SYSTEM_SOUNDS.wakeupPrompt}`);
    snooze.channel.pressDigit("5");
    await tick();
    expect(snooze.script().at(-1)).toBe(`S,${SYSTEM_SOUNDS.snoozed}`);
    expect(snooze.store.state.acks.get(CALL_ID)?.digit).toBe("5");
    expect(snooze.types()).toContain("ivr.snoozed");

    const confirm = setup({ call: callInfo({ kind: "wakeup" }, { kind: "wakeup" }) });
    await tick();
    confirm.channel.finishCurrent();
    await tick();
    confirm.channel.pressDigit("2"); // not a wake-up key: ignored
    confirm.channel.pressDigit("1");
    await tick();
    expect(confirm.script().at(-1)).toBe(`S,${SYSTEM_SOUNDS.wakeupConfirmed}`);
    expect(confirm.store.state.acks.get(CALL_ID)?.digit).toBe("1");
  });

  it("refuses a forged token: audited, hung up, nothing recorded on the call", async () => {
    const t = setup({ args: [CALL_ID, "A".repeat(22)] });
    await tick();
    await t.session.done;
    expect(t.script()).toEqual(["P,spoolcast", "H,unauthorized"]);
    expect(t.session.outcome).toBe("auth-failed");
    expect(t.store.state.authFailures).toEqual([
      expect.objectContaining({ callId: CALL_ID, reason: "forged token", remote: "127.0.0.1:5555" }),
    ]);
    expect(t.store.state.events).toEqual([]);
    expect(t.store.state.answered.size).toBe(0);
  });

  it("refuses a valid token for a call that does not exist", async () => {
    const t = setup({ call: null });
    await tick();
    await t.session.done;
    expect(t.store.state.authFailures[0]?.reason).toBe("unknown call");
  });

  it("records a failed attempt's REASON with Asterisk's attempt number, then hangs up", async () => {
    const t = setup({
      args: ["failed", CALL_ID, signCallToken(SECRET, CALL_ID), "5"],
      channel: { vars: { AST_OUTGOING_ATTEMPT: "2" } },
    });
    await tick();
    await t.session.done;
    expect(t.channel.commands).toEqual(["P,spoolcast", "G,AST_OUTGOING_ATTEMPT", "H,recorded"]);
    expect(t.store.state.failures).toEqual([expect.objectContaining({ callId: CALL_ID, reason: 5, attempt: 2 })]);
    expect(t.session.outcome).toBe("failure-reported");
  });

  it("hangs up the failed extension only once its REASON is stored, so Asterisk cannot archive the file first", async () => {
    const t = setup({
      args: ["failed", CALL_ID, signCallToken(SECRET, CALL_ID), "8"],
      channel: { vars: { AST_OUTGOING_ATTEMPT: "1" } },
    });
    let stored!: () => void;
    const write = t.store.recordFailureReason.bind(t.store);
    t.store.recordFailureReason = (...args) =>
      new Promise<FailureReportResult>((resolve) => {
        stored = () => void write(...args).then(resolve);
      });
    await tick(500);
    // Asterisk runs the failed extension before it archives (pbx_spool.c): H is what lets it go on.
    expect(t.channel.commands.filter((c) => c.startsWith("H,"))).toEqual([]);
    stored();
    await tick();
    await t.session.done;
    expect(t.channel.commands.at(-1)).toBe("H,recorded");
    expect(t.store.state.failures).toEqual([expect.objectContaining({ reason: 8, attempt: 1 })]);
  });

  it("records a click-to-call's contact leg from the h extension's report (BUSY, ANSWER,11), then hangs up", async () => {
    const click = callInfo({ kind: "click" }, { kind: "click" });
    const busy = setup({ call: click, args: ["dial", CALL_ID, signCallToken(SECRET, CALL_ID), "BUSY", ""] });
    await tick();
    await busy.session.done;
    expect(busy.channel.commands).toEqual(["P,spoolcast", "H,recorded"]);
    expect(busy.store.state.contactLegs).toEqual([expect.objectContaining({ callId: CALL_ID, status: "BUSY", seconds: null })]);
    expect(busy.store.state.answered.size).toBe(0);
    expect(busy.session.outcome).toBe("dial-reported");
    const talked = setup({ call: click, args: ["dial", CALL_ID, signCallToken(SECRET, CALL_ID), "ANSWER", "11"] });
    await tick();
    await talked.session.done;
    expect(talked.store.state.contactLegs).toEqual([expect.objectContaining({ status: "ANSWER", seconds: 11 })]);
  });

  it("refuses a contact leg report for a call that is not a click-to-call, or with a value Dial() never sets", async () => {
    for (const [call, status] of [
      [callInfo({ kind: "message" }), "BUSY"],
      [callInfo({ kind: "click" }, { kind: "click" }), "BUSYISH"],
    ] as const) {
      const t = setup({ call, args: ["dial", CALL_ID, signCallToken(SECRET, CALL_ID), status, ""] });
      await tick();
      await t.session.done;
      expect(t.store.state.contactLegs).toEqual([]);
      expect(t.store.state.events.find((e) => e.type === "ivr.error")?.detail).toMatch(/^contact leg report refused: /);
      expect(t.session.outcome).toBe("error");
    }
  });

  it("kicks Asterisk with L when a command's reply is stuck behind a batched read", async () => {
    const t = setup({ coalesce: true, channel: { stallBatched: true } });
    await tick();
    // S and its G confirmation arrived in one read: only S ran, the G waits.
    expect(t.channel.commands).toEqual(["P,spoolcast", `S,${MSG}`]);
    // The message even ends before the confirmation comes: its F must still count.
    t.channel.finishCurrent();
    await tick(1);
    await tick(400);
    expect(t.channel.commands[2]).toBe("G,SPOOLCAST_CALL");
    expect(t.writes.filter((w) => w === "L,spoolcast kick\n")).toHaveLength(1);
    await tick(400);
    await tick(400);
    expect(t.script().at(-1)).toBe(`S,${SYSTEM_SOUNDS.promptAckReplay}`);
  });

  it("gives up on an Asterisk that never replies", async () => {
    const t = setup({ deaf: true });
    await tick(400 * 9 + 1);
    await t.session.done;
    expect(t.session.outcome).toBe("error");
    expect(t.writes.filter((w) => w.startsWith("L,"))).toHaveLength(8);
  });

  it("never sends a message sound name from the database that is not a server sound name", async () => {
    const t = setup({ call: callInfo({ kind: "message" }, { messageSound: "../../../etc/passwd" }) });
    await tick();
    await t.session.done;
    expect(t.channel.commands).toEqual(["P,spoolcast", "H,no message"]);
    expect(t.store.state.events.at(-1)?.detail).toMatch(/is not a server sound name/);
  });

  it("ends not-played, with its cause and no heard time, when Asterisk answers the message with Z", async () => {
    const t = setup({ channel: { soundExists: (n) => n !== MSG } });
    await tick();
    await t.session.done;
    expect(t.session.outcome).toBe("not-played");
    expect(t.script().at(-1)).toBe("H,message missing");
    expect(t.store.state.events.map((e) => `${e.type}:${e.detail}`)).toContain(`ivr.error:cannot play ${MSG}`);
    expect(t.store.state.deliveryFailures.map((f) => [f.callId, f.kind, f.cause])).toEqual([
      [CALL_ID, "not-played", `sound missing on the PBX: ${MSG}`],
    ]);
    expect(t.store.state.heard.has(CALL_ID)).toBe(false);
  });

  it("marks playback unconfirmed when no F arrives within the message length plus the margin", async () => {
    // A PBX without core sounds: Asterisk accepts the S but its generator plays nothing.
    const t = setup({});
    await tick();
    expect(t.script()).toEqual(["P,spoolcast", `S,${MSG}`]);
    await tick(5000 + 5000 - 10);
    expect(t.store.state.deliveryFailures).toEqual([]);
    await tick(20);
    await t.session.done;
    expect(t.session.outcome).toBe("playback-unconfirmed");
    expect(t.script().at(-1)).toBe("H,playback not confirmed");
    const [failure] = t.store.state.deliveryFailures;
    expect([failure?.kind, failure?.cause]).toEqual([
      "playback-unconfirmed",
      `Asterisk did not confirm playback of ${MSG} within 10 s (no F event): ${NO_AUDIO_HINT}`,
    ]);
    expect(t.store.state.heard.has(CALL_ID)).toBe(false);
  });

  it("keeps the watchdog quiet once Asterisk confirmed the message with F", async () => {
    const t = setup({ call: callInfo({ kind: "message", noInputTimeoutSec: 30 }) });
    await tick(4000);
    t.channel.finishCurrent();
    await tick();
    await tick(20_000); // the prompt plays without an F for a long time: not the message
    expect(t.store.state.deliveryFailures).toEqual([]);
    expect(t.store.state.heard.get(CALL_ID)).toBe(5000);
  });

  it("skips a missing system prompt instead of waiting forever", async () => {
    const t = setup({
      channel: { soundExists: (n) => n !== SYSTEM_SOUNDS.promptAckReplay },
      call: callInfo({ kind: "message", noInputTimeoutSec: 3, maxPrompts: 1 }),
    });
    await tick();
    t.channel.finishCurrent();
    await tick(3000);
    expect(t.script().at(-1)).toBe(`S,${SYSTEM_SOUNDS.noInput}`);
  });

  it("with option i, ends the session itself after I,HANGUP", async () => {
    const t = setup({ channel: { optionI: true } });
    await tick(1000);
    t.channel.hangup();
    await tick();
    await t.session.done;
    expect(t.script().at(-1)).toMatch(/^H,/);
    expect(t.types()).toContain("ivr.hangup");
  });

  it("survives any sequence of well-formed events without throwing or sending a bad line", async () => {
    const event = fc.oneof(
      fc.constantFrom("1", "2", "5", "9", "#", "D").map((d) => `${d},1795452496`),
      fc
        .constantFrom(MSG, SYSTEM_SOUNDS.promptAckReplay, SYSTEM_SOUNDS.thanks, "other/x")
        .chain((f) => fc.constantFrom(`F,1795452496,${f}`, `T,1795452496,${f}`, `D,1795452496,${f}`, `Z,1795452496,${f}`)),
      fc.constantFrom("G,1795452496,SPOOLCAST_CALL=x", "Z,1795452496", "I,1795452496,HANGUP", "P,1795452496,ivr://x:1,a,b"),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(event, fc.nat(3000)), { maxLength: 30 }), async (steps) => {
        const t = setup({ deaf: true });
        t.session.handleLine(`P,1795452496,ivr://127.0.0.1:2949,${CALL_ID},${signCallToken(SECRET, CALL_ID)}`);
        await tick();
        for (const [line, wait] of steps) {
          t.session.handleLine(line);
          await tick(wait);
        }
        t.session.handleLine("H,1795452496");
        await t.session.done;
        expect(t.writes.filter((w) => !/^[A-Z],[^\n]{1,997}\n$/.test(w))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it("closes the session on a malformed or unknown event line", async () => {
    for (const line of ["hello", "Q,1795452496", "1,notatime", "H,1795452496,extra", "F,1795452496"]) {
      const t = setup({});
      await tick();
      t.session.handleLine(line);
      await t.session.done;
      expect({ line, outcome: t.session.outcome, last: t.types().at(-1) }).toEqual({ line, outcome: "error", last: "ivr.error" });
    }
  });
});
