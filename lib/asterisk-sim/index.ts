/**
 * The Asterisk simulator: plays pbx_spool + the dialplan + ExternalIVR (docs/asterisk.md)
 * well enough that Spoolcast code passing against it passes against a real Asterisk.
 * `startSimulator` watches `<spoolDir>/outgoing`, dials simulated callees, runs the call
 * file's application or dialplan, speaks ExternalIVR over TCP, archives to `outgoing_done/`
 * and writes a cdr_csv `Master.csv`. Time comes from a `SimClock` (virtual in tests,
 * real and optionally compressed with `speed` otherwise).
 *
 * Deliberate limits and notes from reading Asterisk's source (pbx/pbx_spool.c,
 * apps/app_externalivr.c) where docs/asterisk.md leaves room:
 * - ExternalIVR's program form (fork/exec) is not simulated: only `ivr://` targets; any
 *   other target logs an error and hangs up, as a failed exec would.
 * - ExternalIVR commands are read as eivr_comm + ast_iostream_gets read them (iostream.ts,
 *   docs/asterisk.md#externalivr-command-buffering): Node may merge two quick writes into one
 *   'data' event exactly as the kernel may merge them into one read().
 * - ExternalIVR's generator takes its first frame when it is activated, before any command can
 *   arrive (on a real PBX it is the next 20 ms tick, which a server answering within 20 ms of the
 *   connect could beat): without core sounds it therefore fails before the first `S`.
 * - Asterisk 22.10.1's parse_line turns `\;` into `;` (memmove, no character skipped), as
 *   implemented; an older pbx_spool.c in the search index skipped one character after it.
 * - Whether a retry check at the very second a ring timeout ends writes `DelayedRetry` is a
 *   race in Asterisk; see spool.ts for the deterministic rule and the golden file it matches.
 * - With `speed` ≠ 1 the simulated clock runs ahead of the wall clock, so mtimes (wall time)
 *   fall due early and appended times are in the simulated future: use speed 1 for the demo.
 * - maxcalls/maxload are not modelled; `trunkCapacity` models a trunk's limit instead.
 */
import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import path from "node:path";
import { appendCdr } from "./cdr";
import { runDial } from "./dial";
import { type CalleeBehaviour, type CalleeRule, createCalleeModel, createDemoMix, loadCalleeRules } from "./callees";
import type { Outgoing } from "./call-file";
import { SimChannel, formatClid } from "./channel";
import { RealClock, type SimClock, type TimerHandle } from "./clock";
import { type Dialplan, defaultDialplan, existsExtension, parseDialplan } from "./dialplan";
import type { IvrLogEntry } from "./external-ivr";
import { type LocalTarget, dialLocal, parseLocalTarget } from "./local";
import { type PbxEnv, execApp, runPbx } from "./pbx";
import { SpoolEngine, type SpoolStatus } from "./spool";

export type { SimClock } from "./clock";
export type { CalleeRule, CalleeBehaviour } from "./callees";

/** Channel technologies the simulated Asterisk has drivers for; any other → REASON 0. */
export const KNOWN_TECHS = ["PJSIP", "SIP", "IAX2", "Local", "DAHDI", "Test"];

export type SimLogger = {
  debug?: (msg: string) => void;
  info: (msg: string) => void;
  warn: (msg: string) => void;
  error: (msg: string) => void;
};

export type SimFaults = {
  /** Never process these files (a file Asterisk lost): a predicate, or a probability per file. */
  forget?: ((name: string) => boolean) | number;
  /** Simulated milliseconds each file read takes. */
  slowDiskMs?: number;
  /** Every ExternalIVR connection fails as if the server were down (the call is still Completed). */
  ivrUnreachable?: boolean;
};

export type SimOptions = {
  /** Contains `outgoing/` (created if missing) and `outgoing_done/` (created on first archive). */
  spoolDir: string;
  /** Sound names resolve to `<soundsDir>/<name>.wav` (or another known format). */
  soundsDir: string;
  /**
   * Asterisk's core sounds are installed (default true): `silence/1` … `silence/10` exist even
   * when the sounds dir lacks them. False models a PBX without them: no `silence/*` file
   * exists, so ExternalIVR's generator, which plays `silence/10` whenever its playlist is empty,
   * fails on its first frame and is removed; nothing plays for the rest of the session and no
   * `F` event ever comes (lib/asterisk-sim/external-ivr.ts, `silenceOrFail`).
   */
  coreSounds?: boolean;
  /**
   * The Asterisk main PID written into StartRetry lines; default this process's pid, so a
   * restarted simulator aborts (AbortRetry) the attempts a previous run left behind.
   */
  pid?: number;
  /** Default: real time compressed by `speed`. */
  clock?: SimClock;
  speed?: number;
  /** Seed of the demo callee mix; default 1. */
  seed?: number;
  /** Rules, or the path of a JSON file of rules; unmatched callees use the seeded demo mix. */
  callees?: CalleeRule[] | string;
  /** extensions.conf text; default: the Spoolcast snippet for `ivrAddress` (contexts `spoolcast`). */
  dialplan?: string;
  /** `host:port` of the IVR server used by the default dialplan; default 127.0.0.1:2949. */
  ivrAddress?: string;
  /** Concurrent dialling/up channels before new calls fail with congestion; default unlimited. */
  trunkCapacity?: number;
  /** Where cdr_csv's Master.csv is written; default `<spoolDir>/cdr-csv/Master.csv`; null = no CDRs. */
  cdrFile?: string | null;
  /** Post CDRs of unanswered originates too (cdr.conf `unanswered=yes`); default false (docs/asterisk.md#cdr-userfield). */
  cdrUnanswered?: boolean;
  faults?: SimFaults;
  logger?: SimLogger;
  /** Watch outgoing/ with fs.watch (default true); tests in virtual time call `rescan()` instead. */
  watch?: boolean;
  /** Safety-net rescan period in wall-clock ms (default 2000; 0 = off). */
  rescanMs?: number;
};

export type CallEvent = {
  file: string;
  attempt: number;
  channel: string;
  /** `local-dialplan`: a Local channel into the simulator's own dialplan (local.ts) decided it. */
  behaviour: CalleeBehaviour["kind"] | "unknown-tech" | "trunk-full" | "local-dialplan";
  /** "answered" once the answered call has ended. */
  outcome: "answered" | "failed";
  /** REASON of a failed attempt (docs/asterisk.md#reason-codes). */
  reason?: number;
};

export type SimStats = {
  attempts: number;
  answered: number;
  failed: number;
  active: number;
  completed: number;
  expired: number;
  failedFiles: number;
};

export type Simulator = {
  readonly pid: number;
  readonly clock: SimClock;
  readonly outgoingDir: string;
  readonly doneDir: string;
  on(event: "call", fn: (e: CallEvent) => void): Simulator;
  on(event: "removed", fn: (e: { file: string; status: SpoolStatus; archivedTo: string | null }) => void): Simulator;
  on(event: "line", fn: (e: { file: string; line: string }) => void): Simulator;
  on(event: "ivr", fn: (e: IvrLogEntry & { channel: string }) => void): Simulator;
  on(event: "ivr-wake", fn: () => void): Simulator;
  on(event: "log", fn: (e: { level: string; message: string }) => void): Simulator;
  off(event: string, fn: (...args: unknown[]) => void): Simulator;
  stats(): SimStats;
  /**
   * Queues files in outgoing/ never seen before, as the watcher does in real time; counts as
   * "fully booted" (tests in virtual time call it instead of waiting for the boot scan).
   */
  rescan(): void;
  /** Resolves when no attempt is running and no file is pending. */
  whenIdle(): Promise<void>;
  /** Like `core stop now`: stops scanning, hangs up calls (IVR sessions get H), leaves files. */
  stop(): Promise<void>;
  /** Like `kill -9`: everything stops at once; files stay as they are, sockets are reset. */
  crash(): void;
};

export async function startSimulator(opts: SimOptions): Promise<Simulator> {
  const sim = new AsteriskSimulator(opts);
  sim.start();
  return sim;
}

class AsteriskSimulator extends EventEmitter implements Simulator {
  readonly pid: number;
  readonly clock: SimClock;
  private readonly spool: SpoolEngine;
  private readonly dialplan: Dialplan;
  private readonly cdrFile: string | null;
  private readonly callees;
  private readonly channels = new Set<SimChannel>();
  private readonly scoped = new Set<TimerHandle>();
  private readonly counters = { attempts: 0, answered: 0, failed: 0, completed: 0, expired: 0, failedFiles: 0 };
  private activeAttempts = 0;
  private channelSeq = 0;
  private dead = false;
  private readonly pbxEnv: PbxEnv;

  constructor(private readonly opts: SimOptions) {
    super();
    this.pid = opts.pid ?? process.pid;
    const base = opts.clock ?? new RealClock(opts.speed ?? 1);
    // Every timer goes through here so stop()/crash() can cancel them all on a shared clock.
    this.clock = {
      now: () => base.now(),
      setTimer: (at, fn, order) => {
        const handle = base.setTimer(
          at,
          () => {
            this.scoped.delete(handle);
            if (!this.dead) fn();
          },
          order,
        );
        this.scoped.add(handle);
        return handle;
      },
      clearTimer: (handle) => {
        if (handle) this.scoped.delete(handle);
        base.clearTimer(handle);
      },
    };
    this.dialplan = parseDialplan(opts.dialplan ?? defaultDialplan(opts.ivrAddress ?? "127.0.0.1:2949"));
    this.cdrFile = opts.cdrFile === undefined ? path.join(opts.spoolDir, "cdr-csv", "Master.csv") : opts.cdrFile;
    const seed = opts.seed ?? 1;
    this.callees = createCalleeModel(opts.callees ? loadCalleeRules(opts.callees) : [], createDemoMix(seed));
    const forget = opts.faults?.forget;
    const forgetFn = typeof forget === "number" ? (name: string) => seededUnit(seed, name) < forget : forget;
    this.pbxEnv = {
      clock: this.clock,
      soundsDir: opts.soundsDir,
      coreSounds: opts.coreSounds ?? true,
      dialplan: this.dialplan,
      log: (level, message) => this.log(level, message),
      onIvrWire: (chan, entry) => this.emit("ivr", { ...entry, channel: chan.name }),
      onIvrWake: () => this.emit("ivr-wake"),
      ivrUnreachable: opts.faults?.ivrUnreachable,
      dial: (chan, data) =>
        runDial(
          {
            clock: this.clock,
            callees: this.callees,
            knownTechs: KNOWN_TECHS,
            log: (level, message) => this.log(level, message),
            openChannel: (tech, resource) => {
              const suffix = (++this.channelSeq).toString(16).padStart(8, "0");
              const peer = this.newChannel(tech === "Local" ? `Local/${resource}-${suffix};1` : `${tech}/${resource}-${suffix}`);
              this.channels.add(peer);
              return peer;
            },
            releaseChannel: (peer) => this.channels.delete(peer),
          },
          chan,
          data,
        ),
    };
    this.spool = new SpoolEngine({
      clock: this.clock,
      pid: this.pid,
      spoolDir: opts.spoolDir,
      log: (level, message) => this.log(level, message),
      launchAttempt: (file, o, attempt) => void this.runAttempt(file, o, attempt),
      onLine: (file, line) => this.emit("line", { file, line }),
      onRemoved: (file, status, archivedTo) => {
        if (status === "Completed") this.counters.completed++;
        else if (status === "Expired") this.counters.expired++;
        else this.counters.failedFiles++;
        this.emit("removed", { file, status, archivedTo });
      },
      forget: forgetFn,
      slowDiskMs: opts.faults?.slowDiskMs,
      watch: opts.watch,
      rescanMs: opts.rescanMs,
    });
  }

  get outgoingDir(): string {
    return this.spool.outgoingDir;
  }

  get doneDir(): string {
    return this.spool.doneDir;
  }

  start(): void {
    this.spool.start();
    this.log("verbose", `Asterisk simulator ready (pid ${this.pid}) on ${this.opts.spoolDir}`);
  }

  stats(): SimStats {
    return { ...this.counters, active: this.activeAttempts };
  }

  rescan(): void {
    this.spool.rescan();
  }

  async whenIdle(): Promise<void> {
    while (this.activeAttempts > 0 || this.spool.pendingCount > 0) {
      await new Promise<void>((resolve) => setTimeout(resolve, 10));
    }
  }

  async stop(): Promise<void> {
    this.spool.stop();
    for (const chan of this.channels) chan.hangup("local");
    await new Promise<void>((resolve) => setImmediate(resolve));
    // Sessions kept alive by option i (or stuck on a partial line) end with the process.
    for (const chan of this.channels) chan.emit("crash");
    this.kill();
  }

  crash(): void {
    this.spool.stop();
    this.kill();
    for (const chan of this.channels) chan.emit("crash");
  }

  private kill(): void {
    this.dead = true;
    for (const handle of this.scoped) this.clock.clearTimer(handle);
    this.scoped.clear();
  }

  private log(level: string, message: string): void {
    if (this.dead) return;
    this.emit("log", { level, message });
    const logger = this.opts.logger;
    if (!logger) return;
    if (level === "error") logger.error(message);
    else if (level === "warning") logger.warn(message);
    else if (level === "debug") logger.debug?.(message);
    else logger.info(message);
  }

  private newChannel(name: string): SimChannel {
    const chan = new SimChannel(name, `${Math.floor(this.clock.now() / 1000)}.${this.channelSeq}`, this.clock, (level, message) =>
      this.log(level, message),
    );
    return chan;
  }

  /** The attempt "thread": dial, run the call if answered, then report to the spool. */
  private async runAttempt(file: string, o: Outgoing, attempt: number): Promise<void> {
    this.activeAttempts++;
    this.counters.attempts++;
    // attempt_thread (pbx/pbx_spool.c); "Retry" shows o->retries, which already counts this attempt.
    this.log(
      "verbose",
      o.app
        ? `Attempting call on ${o.tech}/${o.dest} for application ${o.app}(${o.data}) (Retry ${attempt})`
        : `Attempting call on ${o.tech}/${o.dest} for ${o.exten}@${o.context}:${o.priority} (Retry ${attempt})`,
    );
    try {
      const { answered, reason, behaviour, channel } = await this.originate(file, o, attempt);
      if (this.dead) return;
      if (answered) this.counters.answered++;
      else this.counters.failed++;
      this.emit("call", {
        file: path.basename(file),
        attempt,
        channel,
        behaviour,
        outcome: answered ? "answered" : "failed",
        reason,
      } satisfies CallEvent);
      if (!answered && !o.app && existsExtension(this.dialplan, o.context, "failed", 1)) {
        await this.runFailedExtension(o, reason ?? 0, attempt);
        if (this.dead) return;
      }
      this.spool.attemptEnded(file, o, attempt, answered, reason ?? 0);
    } catch (err) {
      this.log("error", `attempt ${attempt} of ${file} crashed: ${(err as Error).stack ?? String(err)}`);
    } finally {
      this.activeAttempts--;
    }
  }

  /** `failed` runs on a dummy `OutgoingSpoolFailed` channel with REASON, then the file's variable list (docs/asterisk.md#the-failed-extension). */
  private async runFailedExtension(o: Outgoing, reason: number, attempt: number): Promise<void> {
    const chan = this.newChannel("OutgoingSpoolFailed");
    chan.canAnswer = false;
    chan.cidName = o.cidName;
    chan.cidNum = o.cidNum;
    chan.accountcode = o.account;
    chan.setVar("REASON", String(reason));
    for (const [k, v] of o.vars) chan.setVar(k, v);
    // AST_OUTGOING_ATTEMPT is the last entry of the same variable list (docs/asterisk.md#file-validation).
    chan.setVar("AST_OUTGOING_ATTEMPT", String(attempt));
    this.channels.add(chan);
    const start = this.clock.now();
    try {
      await runPbx(this.pbxEnv, chan, { context: o.context, exten: "failed", priority: 1 });
      // The channel is never answered and dials nobody: cdr.conf `unanswered = yes` posts its
      // CDR, a row of its own beside the attempt's (docs/asterisk.md#cdr-userfield). The
      // snippet marks that row's userfield ";failed-report".
      if (this.opts.cdrUnanswered && this.cdrFile && !this.dead) this.postCdr(chan, o, start, null, "NO ANSWER");
    } finally {
      this.channels.delete(chan);
    }
  }

  private async originate(
    file: string,
    o: Outgoing,
    attempt: number,
  ): Promise<{ answered: boolean; reason?: number; behaviour: CallEvent["behaviour"]; channel: string }> {
    const tech = KNOWN_TECHS.find((t) => t.toLowerCase() === o.tech.toLowerCase());
    if (!tech) {
      this.log("warning", `No channel type registered for '${o.tech}'`);
      return { answered: false, reason: 0, behaviour: "unknown-tech", channel: `${o.tech}/${o.dest}` };
    }
    const local = tech === "Local" ? parseLocalTarget(o.dest) : null;
    // A Local channel into a context of the loaded dialplan runs it (core_local.c); one into a
    // context the simulator lacks stands for the PBX's own dialplan only when a callee rule
    // names it, else it fails as local_call does for a missing extension.
    if (local && (this.dialplan.contexts.has(local.context) || !this.callees.ruleFor?.(tech, o.dest))) {
      return this.originateLocal(o, attempt, local);
    }
    const behaviour = this.callees.behaviourFor(tech, o.dest, attempt);
    const seq = ++this.channelSeq;
    const suffix = seq.toString(16).padStart(8, "0");
    const chanName = tech === "Local" ? `Local/${o.dest}-${suffix};1` : `${tech}/${o.dest}-${suffix}`;
    if (behaviour.kind === "invalid") {
      this.log("warning", `Unable to request channel ${tech}/${o.dest}`);
      return { answered: false, reason: 0, behaviour: behaviour.kind, channel: chanName };
    }
    const capacity = this.opts.trunkCapacity ?? Infinity;
    const busyChannels = [...this.channels].filter((c) => c.name !== "OutgoingSpoolFailed").length;
    if (busyChannels >= capacity) {
      this.log("notice", `Trunk full (${busyChannels}/${capacity}): ${tech}/${o.dest} gets congestion`);
      return { answered: false, reason: 8, behaviour: "trunk-full", channel: chanName };
    }
    const chan = this.newChannel(chanName);
    this.setUpFromFile(chan, o, attempt);
    this.channels.add(chan);
    const start = this.clock.now();
    try {
      const reason = await this.dial(chan, o, behaviour, start);
      if (reason !== null) {
        chan.hangup("local");
        if (this.opts.cdrUnanswered && this.cdrFile) this.postCdr(chan, o, start, reason);
        return { answered: false, reason, behaviour: behaviour.kind, channel: chanName };
      }
      this.playCalleeScript(chan, behaviour);
      if (o.app) {
        await execApp(this.pbxEnv, chan, o.app, o.data, true);
        chan.hangup("local");
      } else {
        await runPbx(this.pbxEnv, chan, { context: chan.context, exten: o.exten, priority: o.priority });
      }
      if (this.cdrFile && !this.dead) this.postCdr(chan, o, start, null);
      return { answered: true, behaviour: behaviour.kind, channel: chanName };
    } finally {
      this.channels.delete(chan);
    }
  }

  /** The dialled channel, ringing, with what the call file sets on it (variables, attempt, account, caller ID, where it goes). */
  private setUpFromFile(chan: SimChannel, o: Outgoing, attempt: number): void {
    chan.state = "ringing";
    for (const [k, v] of o.vars) chan.setVar(k, v);
    // Appended last, so it overrides a Set: AST_OUTGOING_ATTEMPT in the file (docs/asterisk.md#file-validation).
    chan.setVar("AST_OUTGOING_ATTEMPT", String(attempt));
    chan.accountcode = o.account;
    chan.peeraccount = o.account;
    chan.cidName = o.cidName;
    chan.cidNum = o.cidNum;
    chan.context = o.context || "default";
    chan.exten = o.app ? "s" : o.exten;
  }

  /** The call file's channel is `Local/exten@context`: its `;2` side runs the dialplan (local.ts). */
  private async originateLocal(
    o: Outgoing,
    attempt: number,
    target: LocalTarget,
  ): Promise<{ answered: boolean; reason?: number; behaviour: CallEvent["behaviour"]; channel: string }> {
    const suffix = (++this.channelSeq).toString(16).padStart(8, "0");
    const chanName = `Local/${o.dest}-${suffix};1`;
    const chan = this.newChannel(chanName);
    const peer = this.newChannel(`Local/${o.dest}-${suffix};2`);
    this.setUpFromFile(chan, o, attempt);
    this.channels.add(chan);
    this.channels.add(peer);
    const start = this.clock.now();
    try {
      const reason = await dialLocal(
        {
          clock: this.clock,
          dialplan: this.dialplan,
          log: (level, message) => this.log(level, message),
          runDialplan: (c, t) => runPbx(this.pbxEnv, c, { context: t.context, exten: t.exten, priority: 1 }),
        },
        chan,
        peer,
        target,
        o.waitTime * 1000,
      );
      if (reason !== null) {
        chan.hangup("local");
        if (this.opts.cdrUnanswered && this.cdrFile) this.postCdr(chan, o, start, reason);
        return { answered: false, reason, behaviour: "local-dialplan", channel: chanName };
      }
      if (o.app) {
        await execApp(this.pbxEnv, chan, o.app, o.data, true);
        chan.hangup("local");
      } else {
        await runPbx(this.pbxEnv, chan, { context: chan.context, exten: o.exten, priority: o.priority });
      }
      if (this.cdrFile && !this.dead) this.postCdr(chan, o, start, null);
      return { answered: true, behaviour: "local-dialplan", channel: chanName };
    } finally {
      this.channels.delete(chan);
      this.channels.delete(peer);
    }
  }

  /** Rings the callee; null when answered, else the REASON (docs/asterisk.md#reason-codes). */
  private dial(chan: SimChannel, o: Outgoing, b: CalleeBehaviour, start: number): Promise<number | null> {
    const timeoutAt = start + o.waitTime * 1000;
    return new Promise((resolve) => {
      const timers: TimerHandle[] = [];
      let done = false;
      const settle = (result: number | null) => {
        if (done) return;
        done = true;
        for (const t of timers) this.clock.clearTimer(t);
        chan.off("crash", onCrash);
        resolve(result);
      };
      const onCrash = () => {
        for (const t of timers) this.clock.clearTimer(t);
      };
      chan.on("crash", onCrash);
      const at = (seconds: number, fn: () => void) => {
        const when = start + seconds * 1000;
        if (when < timeoutAt) timers.push(this.clock.setTimer(when, fn));
      };
      timers.push(this.clock.setTimer(timeoutAt, () => settle(3)));
      switch (b.kind) {
        case "answer":
        case "answering-machine":
          at(b.after, () => {
            chan.answer();
            settle(null);
          });
          break;
        case "busy":
          at(b.after, () => settle(5));
          break;
        case "congestion":
          at(b.after, () => settle(8));
          break;
        case "hangup-before-answer":
          at(b.after, () => settle(0));
          break;
        case "progress-only":
          if (o.earlyMedia && !o.app) {
            at(b.after, () => {
              chan.answer();
              settle(null);
            });
          }
          break;
        case "no-answer":
        case "invalid":
          break;
      }
    });
  }

  /** What the far end does once up: DTMF at key end, then hang up. */
  private playCalleeScript(chan: SimChannel, b: CalleeBehaviour): void {
    const answeredAt = chan.answeredAt ?? this.clock.now();
    if (b.kind === "answer") {
      for (const step of b.dtmf) {
        [...step.digits].forEach((digit, i) => {
          chan.schedule(answeredAt + Math.round((step.at + i * (step.interval ?? 0.352)) * 1000), () => chan.receiveDtmf(digit));
        });
      }
      if (b.hangupAfter !== undefined) chan.schedule(answeredAt + b.hangupAfter * 1000, () => chan.hangup("remote"));
    } else if (b.kind === "answering-machine") {
      chan.schedule(answeredAt + b.hangupAfter * 1000, () => chan.hangup("remote"));
    }
  }

  private postCdr(chan: SimChannel, o: Outgoing, start: number, reason: number | null, disposition?: "NO ANSWER"): void {
    const dispositions: Record<number, "NO ANSWER" | "BUSY" | "FAILED" | "CONGESTION"> = {
      3: "NO ANSWER",
      5: "BUSY",
      8: "CONGESTION",
      0: "FAILED",
    };
    const frozen = chan.cdrFrozen ?? { exten: chan.exten, context: chan.context, lastapp: chan.lastapp, lastdata: chan.lastdata };
    try {
      const written = appendCdr(this.cdrFile!, {
        accountcode: chan.accountcode,
        src: chan.cidNum,
        dst: frozen.exten,
        dcontext: frozen.context,
        clid: formatClid(chan.cidName, chan.cidNum),
        channel: chan.name,
        dstchannel: "",
        lastapp: frozen.lastapp || o.app,
        lastdata: frozen.lastdata,
        start,
        answer: chan.answeredAt,
        end: this.clock.now(),
        disposition: disposition ?? (reason === null ? "ANSWERED" : (dispositions[reason] ?? "FAILED")),
        amaflags: "DOCUMENTATION",
        uniqueid: chan.uniqueid,
        userfield: chan.userfield,
      });
      if (!written) this.log("warning", "Unable to create CSV record in 1024 bytes.  CDR not recorded!");
    } catch (err) {
      this.log("error", `Unable to write CDR to ${this.cdrFile}: ${(err as Error).message}`);
    }
  }
}

/** A seeded uniform number for (seed, name), used by the `forget` probability fault. */
function seededUnit(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (const ch of `forget:${name}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h >>> 0) / 4294967296;
}

/** Reads a callee rules or dialplan file for the CLI. */
export function readTextFile(file: string): string {
  return readFileSync(file, "utf8");
}
