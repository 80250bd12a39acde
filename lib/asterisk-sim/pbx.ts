/**
 * Running dialplan and applications on a simulated channel: `__ast_pbx_run` (priorities in
 * order until an app returns non-zero or the channel hangs up, then `h`) and the apps the
 * simulator knows: Answer, NoOp, Verbose, Set, Hangup, Wait, Busy, Congestion, Playback, ExternalIVR,
 * Dial (dial.ts).
 */
import type { SimChannel } from "./channel";
import type { SimClock } from "./clock";
import { type Dialplan, findExtension, separateArgs, substituteVariables } from "./dialplan";
import { type IvrLogEntry, parseExternalIvrArgs, runExternalIvr } from "./external-ivr";
import { findSound } from "./sounds";

export type PbxEnv = {
  clock: SimClock;
  soundsDir: string;
  /** Asterisk's core sounds installed (`silence/*`); see SimOptions.coreSounds. */
  coreSounds: boolean;
  dialplan: Dialplan | null;
  log: (level: "notice" | "warning" | "error" | "verbose" | "debug", message: string) => void;
  onIvrWire?: (channel: SimChannel, entry: IvrLogEntry) => void;
  onIvrWake?: () => void;
  ivrUnreachable?: boolean;
  /** Dial() (dial.ts); without it Dial is an unknown application. */
  dial?: (channel: SimChannel, data: string) => Promise<number>;
};

/** Resolves true if the channel hung up before `ms` passed. */
export function waitOrHangup(clock: SimClock, chan: SimChannel, ms: number): Promise<boolean> {
  if (chan.hungUp) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onHangup = () => {
      clock.clearTimer(timer);
      resolve(true);
    };
    const timer = clock.setTimer(clock.now() + ms, () => {
      chan.off("hangup", onHangup);
      resolve(false);
    });
    chan.once("hangup", onHangup);
  });
}

/** `pbx_exec`: runs one application; 0 = continue, -1 = hang up. */
export async function execApp(env: PbxEnv, chan: SimChannel, app: string, data: string, appCall: boolean): Promise<number> {
  chan.lastapp = app;
  chan.lastdata = data;
  switch (app.toLowerCase()) {
    case "answer":
      chan.answer();
      return chan.hungUp ? -1 : 0;
    case "noop":
      env.log("verbose", `NoOp(${data})`);
      return 0;
    case "verbose":
      env.log("verbose", data.includes(",") ? data.slice(data.indexOf(",") + 1) : data);
      return 0;
    case "set": {
      const eq = data.indexOf("=");
      if (eq === -1) {
        env.log("warning", "Set requires an '=' to be a valid assignment");
        return 0;
      }
      chan.setVar(data.slice(0, eq), data.slice(eq + 1));
      return 0;
    }
    case "hangup":
      chan.hangup("local");
      return -1;
    case "wait": {
      const seconds = Number.parseFloat(data);
      if (!(seconds > 0)) return 0;
      return (await waitOrHangup(env.clock, chan, seconds * 1000)) ? -1 : 0;
    }
    case "busy":
    case "congestion":
      return indicateAndWait(env, chan, app.toLowerCase() as "busy" | "congestion", data);
    case "playback":
      return playback(env, chan, data);
    case "externalivr": {
      let args;
      try {
        args = parseExternalIvrArgs(data);
      } catch (err) {
        env.log("error", (err as Error).message);
        chan.hangup("local");
        return -1;
      }
      return runExternalIvr({
        clock: env.clock,
        channel: chan,
        soundsDir: env.soundsDir,
        coreSounds: env.coreSounds,
        args,
        appCall,
        log: env.log,
        onWire: env.onIvrWire ? (entry) => env.onIvrWire!(chan, entry) : undefined,
        onWake: env.onIvrWake,
        unreachable: env.ivrUnreachable,
      });
    }
    case "dial":
      if (env.dial) return env.dial(chan, data);
      env.log("warning", `No application '${app}' for extension (${chan.context}, ${chan.exten}, ${chan.priority})`);
      return -1;
    default:
      env.log("warning", `No application '${app}' for extension (${chan.context}, ${chan.exten}, ${chan.priority})`);
      return -1;
  }
}

/**
 * `Busy([timeout])` and `Congestion([timeout])` (main/pbx_builtins.c, indicate_busy and
 * indicate_congestion): indicate to the far end (on a Local channel's `;2` side that fails the
 * `;1` originate, local.ts), then wait_for_hangup (main/pbx.c): the timeout in seconds, or
 * until the channel hangs up when none is given; then return -1.
 */
async function indicateAndWait(env: PbxEnv, chan: SimChannel, what: "busy" | "congestion", data: string): Promise<number> {
  chan.emit("indicate", what);
  const seconds = Number.parseFloat(data);
  if (seconds >= 0) await waitOrHangup(env.clock, chan, seconds * 1000);
  else if (!chan.hungUp) await new Promise<void>((resolve) => chan.once("hangup", () => resolve()));
  return -1;
}

async function playback(env: PbxEnv, chan: SimChannel, data: string): Promise<number> {
  const [files = "", options = ""] = separateArgs(data, ",");
  if (!chan.isUp) {
    if (options.includes("noanswer")) {
      if (chan.hungUp) return -1;
    } else {
      chan.answer();
      if (!chan.isUp) return -1;
    }
  }
  for (const name of files.split("&")) {
    const sound = findSound(env.soundsDir, name, env.coreSounds);
    if (!sound) {
      env.log("warning", `Playback failed on ${chan.name} (file ${name} does not exist)`);
      chan.setVar("PLAYBACKSTATUS", "FAILED");
      return 0;
    }
    if (await waitOrHangup(env.clock, chan, sound.durationMs)) return -1;
  }
  chan.setVar("PLAYBACKSTATUS", "SUCCESS");
  return 0;
}

/** `__ast_pbx_run`: from (context, exten, priority) until the call ends, then `h` if present. */
export async function runPbx(
  env: PbxEnv,
  chan: SimChannel,
  start: { context: string; exten: string; priority: number },
): Promise<void> {
  const dp = env.dialplan;
  chan.context = start.context;
  chan.exten = start.exten;
  chan.priority = start.priority;
  if (dp) {
    if (!findExtension(dp, chan.context, chan.exten)) {
      if (chan.exten === "" && findExtension(dp, chan.context, "s")) chan.exten = "s";
      else if (findExtension(dp, chan.context, "i")) {
        chan.setVar("INVALID_EXTEN", chan.exten);
        chan.exten = "i";
        chan.priority = 1;
      } else if (findExtension(dp, chan.context, "e")) {
        chan.exten = "e";
        chan.priority = 1;
      } else {
        env.log("warning", `Channel '${chan.name}' sent to invalid extension '${chan.exten}' in context '${chan.context}'`);
      }
    }
    await runPriorities(env, dp, chan);
  } else {
    env.log("warning", `No dialplan loaded: nothing to run for ${chan.exten}@${chan.context}`);
  }
  chan.hangup("local");
  chan.cdrFrozen = { exten: chan.exten, context: chan.context, lastapp: chan.lastapp, lastdata: chan.lastdata };
  if (dp && findExtension(dp, chan.context, "h")?.priorities.some((p) => p.prio === 1)) {
    chan.exten = "h";
    chan.priority = 1;
    await runPriorities(env, dp, chan);
  }
}

async function runPriorities(env: PbxEnv, dp: Dialplan, chan: SimChannel): Promise<void> {
  const inH = chan.exten === "h";
  for (;;) {
    const ext = findExtension(dp, chan.context, chan.exten);
    const step = ext?.priorities.find((p) => p.prio === chan.priority);
    if (!step) return;
    const data = substituteVariables(step.args, (expr) => chan.resolve(expr));
    env.log("verbose", `Executing [${chan.exten}@${chan.context}:${chan.priority}] ${step.app}("${chan.name}", "${data}")`);
    const res = await execApp(env, chan, step.app, data, false);
    if (res !== 0) return;
    if (chan.hungUp && !inH) return;
    chan.priority++;
  }
}
