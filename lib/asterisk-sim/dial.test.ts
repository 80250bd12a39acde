import { describe, expect, it } from "vitest";
import { SimChannel } from "./channel";
import { VirtualClock } from "./clock";
import { createCalleeModel, loadCalleeRules, type CalleeRule } from "./callees";
import { runDial } from "./dial";
import { KNOWN_TECHS } from "./index";

const RULES: CalleeRule[] = [
  { prefix: "+1300", behaviour: { kind: "busy", after: 1 } },
  { prefix: "+1500", behaviour: { kind: "congestion", after: 0.5 } },
  { prefix: "+1200", behaviour: { kind: "no-answer" } },
  { prefix: "+1400", behaviour: { kind: "hangup-before-answer", after: 2 } },
  { prefix: "+1600", behaviour: { kind: "invalid" } },
  { prefix: "+1100", behaviour: { kind: "answer", after: 3, dtmf: [], hangupAfter: 8 } },
];

/** A caller channel that answered at t = 0 (the desk phone), and Dial's environment on a virtual clock. */
function setup() {
  const clock = new VirtualClock(1_000_000);
  const logs: string[] = [];
  const log = (_level: string, message: string) => logs.push(message);
  const caller = new SimChannel("PJSIP/2001-00000001", "1.1", clock, log);
  caller.state = "ringing";
  caller.answer();
  const open: SimChannel[] = [];
  const fallback = { behaviourFor: () => ({ kind: "no-answer" as const }) };
  const env = {
    clock,
    callees: createCalleeModel(loadCalleeRules(RULES), fallback),
    knownTechs: KNOWN_TECHS,
    log,
    openChannel: (tech: string, resource: string) => {
      const c = new SimChannel(`${tech}/${resource}-x`, "1.2", clock, log);
      open.push(c);
      return c;
    },
    releaseChannel: (c: SimChannel) => open.splice(open.indexOf(c), 1),
  };
  return { clock, caller, env, logs, open };
}

async function dial(data: string, during?: (t: ReturnType<typeof setup>) => void, runMs = 60_000) {
  const t = setup();
  const result = runDial(t.env, t.caller, data);
  during?.(t);
  await t.clock.advance(runMs);
  const res = await result;
  return { ...t, res, status: t.caller.resolve("DIALSTATUS"), answered: t.caller.resolve("ANSWEREDTIME") };
}

describe("simulated Dial()", () => {
  it("sets DIALSTATUS as app_dial does for busy, congestion, unavailable and a callee hanging up unanswered", async () => {
    expect(await dial("Local/+1300555@from-internal")).toMatchObject({ res: 0, status: "BUSY", answered: "" });
    expect(await dial("PJSIP/+1500555")).toMatchObject({ res: 0, status: "CONGESTION" });
    expect(await dial("PJSIP/+1600555")).toMatchObject({ res: 0, status: "CHANUNAVAIL" });
    expect(await dial("Nope/+1300555")).toMatchObject({ res: 0, status: "CHANUNAVAIL" });
    // Normal clearing before an answer is not counted (handle_cause): the status stays NOANSWER.
    expect(await dial("PJSIP/+1400555")).toMatchObject({ res: 0, status: "NOANSWER" });
  });

  it("NOANSWER when the timeout passes; CANCEL (and -1) when the caller hangs up while it rings", async () => {
    expect(await dial("PJSIP/+1200555,20")).toMatchObject({ res: 0, status: "NOANSWER" });
    const cancelled = await dial("PJSIP/+1200555", (t) =>
      t.caller.schedule(t.clock.now() + 5000, () => t.caller.hangup("remote")),
    );
    expect(cancelled).toMatchObject({ res: -1, status: "CANCEL" });
    expect(cancelled.open).toEqual([]);
  });

  it("ANSWER: ANSWEREDTIME is the caller's up time when the bridge ends, counted from the caller's answer", async () => {
    // The contact answers 3 s in and hangs up 8 s later: 11 s after the desk phone answered.
    const r = await dial("Local/+1100555@from-internal");
    expect(r).toMatchObject({ res: -1, status: "ANSWER", answered: "11" });
    expect(r.caller.resolve("ANSWEREDTIME_MS")).toBe("11000");
    expect(r.caller.hungUp).toBe(true);
    // The caller hanging up first ends the bridge too.
    const early = await dial("PJSIP/+1100555", (t) => t.caller.schedule(t.clock.now() + 5500, () => t.caller.hangup("remote")));
    expect(early).toMatchObject({ status: "ANSWER", answered: "5" });
  });

  it("refuses to dial for a caller already gone", async () => {
    const t = setup();
    t.caller.hangup("remote");
    expect(await runDial(t.env, t.caller, "PJSIP/+1100555")).toBe(-1);
    expect(t.caller.resolve("DIALSTATUS")).toBe("CANCEL");
    expect(t.logs).toContain("Caller hung up before dial.");
  });
});
