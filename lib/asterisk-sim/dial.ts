/**
 * `Dial(TECH/resource[,timeout[,options]])` for one destination, as apps/app_dial.c does it,
 * reduced to what click-to-call needs: the DIALSTATUS the caller's channel ends with, and the
 * ANSWEREDTIME a bridge leaves behind. The far end is the simulator's callee model (the same
 * rules that decide a call file's channel), so `Local/+15551234@from-internal` behaves as the
 * callee rules say for `+15551234`; the outbound context itself is not run.
 *
 * app_dial.c rules modelled (dial_exec_full, wait_for_answer, handle_cause, end_bridge_callback):
 * - DIALSTATUS, ANSWEREDTIME(_MS) and DIALEDTIME(_MS) are cleared when Dial starts.
 * - A caller already hung up: DIALSTATUS CANCEL, return -1 ("Caller hung up before dial.").
 * - No channel could be requested: CHANUNAVAIL. Otherwise the status is at least NOANSWER.
 * - The callee signals busy: BUSY; congestion: CONGESTION. A callee hanging up before answer
 *   with normal clearing is not counted (handle_cause), so the status stays NOANSWER.
 * - The timeout passes: NOANSWER; the caller hangs up while it rings: CANCEL (return -1).
 * - Answered: ANSWER; after the bridge, ANSWEREDTIME is the caller channel's up time in whole
 *   seconds (ast_channel_get_up_time_ms(chan) / 1000), counted from when the CALLER answered.
 *   Without option `g` Dial then returns -1 and the caller is hung up; the `h` extension runs.
 * Only the first of several `&` destinations is dialled (a warning says so).
 */
import type { CalleeModel } from "./callees";
import type { SimChannel } from "./channel";
import type { SimClock, TimerHandle } from "./clock";
import { separateArgs } from "./dialplan";

export type DialEnv = {
  clock: SimClock;
  callees: CalleeModel;
  knownTechs: readonly string[];
  log: (level: "notice" | "warning" | "error" | "verbose", message: string) => void;
  /** A new outgoing channel `TECH/resource`, counted among the simulator's channels until released. */
  openChannel(tech: string, resource: string): SimChannel;
  releaseChannel(chan: SimChannel): void;
};

const CLEARED = [
  "DIALSTATUS",
  "DIALEDPEERNUMBER",
  "DIALEDPEERNAME",
  "ANSWEREDTIME",
  "ANSWEREDTIME_MS",
  "DIALEDTIME",
  "DIALEDTIME_MS",
];

/** Runs Dial on `caller`; 0 = continue in the dialplan, -1 = hang up. */
export async function runDial(env: DialEnv, caller: SimChannel, data: string): Promise<number> {
  for (const name of CLEARED) caller.setVar(name, "");
  if (caller.hungUp) {
    env.log("verbose", "Caller hung up before dial.");
    caller.setVar("DIALSTATUS", "CANCEL");
    return -1;
  }
  const [targets = "", timeoutText = "", options = ""] = separateArgs(data, ",");
  const all = targets.split("&").filter((t) => t.trim() !== "");
  if (all.length > 1) env.log("warning", `Dial: the simulator dials only the first of ${all.length} destinations`);
  const target = all[0]?.trim() ?? "";
  const slash = target.indexOf("/");
  const techText = slash > 0 ? target.slice(0, slash) : "";
  const resource = slash > 0 ? target.slice(slash + 1) : "";
  const tech = env.knownTechs.find((t) => t.toLowerCase() === techText.toLowerCase());
  if (!techText || !resource) {
    env.log("warning", "Dial argument takes format (technology/resource)");
  } else if (!tech) {
    env.log("warning", `Unable to create channel of type '${techText}' (cause 66 - Channel not implemented)`);
  }
  const behaviour = tech && resource ? env.callees.behaviourFor(tech, resource, 1) : null;
  if (!tech || !resource || !behaviour || behaviour.kind === "invalid") {
    if (behaviour?.kind === "invalid")
      env.log("warning", `Unable to create channel of type '${tech}' (cause 3 - No route to destination)`);
    caller.setVar("DIALSTATUS", "CHANUNAVAIL");
    return 0;
  }
  const timeoutSec = Number.parseFloat(timeoutText);
  const timeoutMs = timeoutSec > 0 ? timeoutSec * 1000 : null;
  const peer = env.openChannel(tech, resource);
  env.log("verbose", `Called ${tech}/${resource}`);
  try {
    const rang = await ring(env.clock, caller, peer, behaviour, timeoutMs);
    if (rang !== "ANSWER") {
      if (rang === "BUSY") env.log("verbose", `${peer.name} is busy`);
      else if (rang === "CONGESTION") env.log("verbose", `${peer.name} is circuit-busy`);
      else if (rang === "NOANSWER")
        env.log("verbose", timeoutMs !== null ? `Nobody picked up in ${timeoutMs} ms` : "Call terminated without answer");
      caller.setVar("DIALSTATUS", rang);
      peer.hangup("local");
      return rang === "CANCEL" ? -1 : 0;
    }
    env.log("verbose", `${peer.name} answered ${caller.name}`);
    caller.setVar("DIALSTATUS", "ANSWER");
    caller.setVar("DIALEDPEERNAME", peer.name);
    caller.setVar("DIALEDPEERNUMBER", `${tech}/${resource}`);
    if (behaviour.kind === "answering-machine" || behaviour.kind === "answer") {
      const hangupAfter = behaviour.hangupAfter;
      if (hangupAfter !== undefined) peer.schedule(env.clock.now() + hangupAfter * 1000, () => peer.hangup("remote"));
    }
    await bridge(caller, peer);
    const upMs = caller.answeredAt === null ? 0 : env.clock.now() - caller.answeredAt;
    const durationMs = env.clock.now() - caller.createdAt;
    caller.setVar("ANSWEREDTIME", String(Math.floor(upMs / 1000)));
    caller.setVar("ANSWEREDTIME_MS", String(Math.round(upMs)));
    caller.setVar("DIALEDTIME", String(Math.floor(durationMs / 1000)));
    caller.setVar("DIALEDTIME_MS", String(Math.round(durationMs)));
    peer.hangup("local");
    if (options.includes("g") && !caller.hungUp) return 0;
    caller.hangup("local");
    return -1;
  } finally {
    env.releaseChannel(peer);
  }
}

type RingResult = "ANSWER" | "BUSY" | "CONGESTION" | "NOANSWER" | "CANCEL";

/** Rings the peer until it answers, refuses, the timeout passes or the caller hangs up. */
function ring(
  clock: SimClock,
  caller: SimChannel,
  peer: SimChannel,
  b: ReturnType<CalleeModel["behaviourFor"]>,
  timeoutMs: number | null,
): Promise<RingResult> {
  const start = clock.now();
  return new Promise((resolve) => {
    const timers: TimerHandle[] = [];
    let done = false;
    const settle = (r: RingResult) => {
      if (done) return;
      done = true;
      for (const t of timers) clock.clearTimer(t);
      caller.off("hangup", onCallerHangup);
      resolve(r);
    };
    const onCallerHangup = () => settle("CANCEL");
    caller.once("hangup", onCallerHangup);
    const at = (seconds: number, fn: () => void) => timers.push(clock.setTimer(start + seconds * 1000, fn));
    if (timeoutMs !== null) timers.push(clock.setTimer(start + timeoutMs, () => settle("NOANSWER")));
    peer.state = "ringing";
    switch (b.kind) {
      case "answer":
      case "answering-machine":
        at(b.after, () => {
          peer.answer();
          settle("ANSWER");
        });
        break;
      case "busy":
        at(b.after, () => settle("BUSY"));
        break;
      case "congestion":
        at(b.after, () => settle("CONGESTION"));
        break;
      case "hangup-before-answer":
        // Normal clearing before an answer is not counted by handle_cause: nobody is left, NOANSWER.
        at(b.after, () => settle("NOANSWER"));
        break;
      default:
        // no-answer, progress-only: rings until the timeout or the caller gives up.
        break;
    }
  });
}

/** The two channels talk until either hangs up. */
function bridge(caller: SimChannel, peer: SimChannel): Promise<void> {
  if (caller.hungUp || peer.hungUp) return Promise.resolve();
  return new Promise((resolve) => {
    const end = () => {
      caller.off("hangup", end);
      peer.off("hangup", end);
      resolve();
    };
    caller.once("hangup", end);
    peer.once("hangup", end);
  });
}
