/**
 * One ExternalIVR session: the `P` handshake and token check, the one-command-at-a-time
 * command pipe (docs/asterisk.md#externalivr-command-buffering), and the call script as a state machine driven
 * by Asterisk's events. Independent of sockets: the server (or a test) feeds it lines and
 * gives it a transport to write to. Store writes are queued in order and never hold up a reply.
 */
import type { Logger } from "pino";
import { verifyCallToken } from "./token";
import { formatCommand, isSoundName, P_ARGS_MAX_CHARS, parseEvent, type IvrCommandLetter, type IvrEvent } from "./protocol";
import type { FailureReportResult, IvrCallInfo, IvrStore } from "./store";
import { LIVE_GRACE_MS, sessionLiveness } from "./liveness";
import { SYSTEM_SOUNDS } from "./system-prompts";
import type { CallScript } from "./scripts";
import { parseContactLegReport } from "@/lib/calls/contact-leg";
import { NO_AUDIO_HINT } from "@/lib/calls/call-state-machine";

export { NO_AUDIO_HINT };

/** Where the session writes command lines. */
export type SessionTransport = {
  remote: string;
  write(line: string): void;
  /** Closes the connection once written data is flushed. */
  end(): void;
};

/**
 * Admission of an authenticated session, kept by the server across its connections: one
 * session at a time per call, and the cap on authenticated sessions. `acquire` returns why a
 * session is refused, or null once it holds the call; `release` is called when it ends.
 */
export type SessionSlots = {
  acquire(callId: string): string | null;
  release(callId: string): void;
};

/** Slots private to one session (tests that drive a session alone): one session per call among those sharing it. */
export function createSessionSlots(): SessionSlots {
  const held = new Set<string>();
  return {
    acquire(callId) {
      if (held.has(callId)) return "another session for this call is open";
      held.add(callId);
      return null;
    },
    release(callId) {
      held.delete(callId);
    },
  };
}

export type SessionOptions = {
  secret: string;
  /** Secrets a token may be signed with (current, and the previous one during a rotation's grace period); default `[secret]`. */
  secrets?: () => string[];
  store: IvrStore;
  logger: Logger;
  transport: SessionTransport;
  /** After a command, wait this long for its reply before sending an `L` kick. */
  kickAfterMs?: number;
  /** Kicks before giving up on an Asterisk that stopped answering. */
  maxKicks?: number;
  /** The `P` reply must arrive within this. */
  handshakeTimeoutMs?: number;
  /** Shared admission (one session per call, the session cap); default private to this session. */
  slots?: SessionSlots;
  /** How long after a call's final state its token is still honoured (liveness.ts); default LIVE_GRACE_MS. */
  liveGraceMs?: number;
  /** The session is authenticated (it no longer counts as an unauthenticated connection). */
  onAuthenticated?: () => void;
  /** Longest wait for the closing prompt to end before hanging up anyway. */
  closingTimeoutMs?: number;
  /** Called with each command's round trip (send → confirming reply). */
  onCommandLatency?: (ms: number) => void;
  /** Called when queued store writes cross the high-water mark (true) or drain (false). */
  onBackpressure?: (paused: boolean) => void;
  /**
   * Pauses before each retry of a store write that failed (the database restarting, a lost
   * connection); default about two minutes in all. An acknowledgement must not be lost to a
   * database blip: the callee pressed 1 once and will not do it again.
   */
  storeRetryDelaysMs?: number[];
  /**
   * The playback watchdog: without an F for the message within its length plus this margin,
   * the call ends "playback not confirmed" (default 5 s).
   */
  playbackMarginMs?: number;
  /** Watchdog allowance for a sound whose length is unknown (an intro, a message without a length); default 60 s. */
  unknownSoundMs?: number;
  /**
   * Longest wait for the failed extension's REASON to be stored before hanging up (default 10 s):
   * Asterisk archives the call file only after that session ends, so waiting orders the two.
   */
  failureStoreWaitMs?: number;
};

const STORE_RETRY_DELAYS_MS = [200, 500, 1000, 2000, 4000, 8000, ...Array.from({ length: 7 }, () => 15_000)];

/** Errors a retry cannot cure: the call row is gone (Prisma P2025) or a reference is (P2003). */
function isPermanentStoreError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "P2025" || code === "P2003";
}

/** How a session ended, for logs and tests. */
export type SessionOutcome =
  | "acknowledged"
  | "snoozed"
  | "not-acknowledged"
  | "completed"
  | "not-played"
  | "playback-unconfirmed"
  | "hangup"
  | "failure-reported"
  | "dial-reported"
  | "auth-failed"
  | "error"
  | "returned-to-dialplan";

type Confirm = "params" | "vars" | "end";

type Inflight = {
  letter: IvrCommandLetter;
  confirm: Confirm;
  sentAt: number;
  kicks: number;
  resolve: (event: IvrEvent | null) => void;
};

type Queued = { letter: IvrCommandLetter; arg: string; gen: number; resolve: (event: IvrEvent | null) => void };

/** A sound sent with S/A and not yet ended (F), cut (T) or dropped (D). */
type Sound = { file: string; gen: number; startedAt: number | null };

/** The script reduced to what the state machine needs. */
type Plan = {
  playlist: string[];
  message: string;
  respond: boolean;
  keys: Record<string, "ack" | "replay" | "snooze">;
  maxReplays: number;
  maxPrompts: number;
  noInputMs: number;
  prompt: string;
  promptNoReplay: string;
  thanks: string;
  snoozed: string;
  noInput: string;
};

const CALL_ID = /^[A-Za-z0-9_-]{1,64}$/;
const WRITE_HIGH_WATER = 64;
const WRITE_LOW_WATER = 16;

export class IvrSession {
  readonly remote: string;
  outcome: SessionOutcome | null = null;
  callId: string | null = null;

  private readonly opts: Required<Omit<SessionOptions, "onCommandLatency" | "onBackpressure" | "onAuthenticated">> &
    Pick<SessionOptions, "onCommandLatency" | "onBackpressure" | "onAuthenticated">;
  /** The call this session holds a slot for (released when it ends). */
  private heldCall: string | null = null;
  /** Whether the call was still active when the session opened (only then may a key change a final call). */
  private openedWhileLive = false;
  private queue: Queued[] = [];
  private inflight: Inflight | null = null;
  private kickTimer: NodeJS.Timeout | null = null;
  private handshakeTimer: NodeJS.Timeout | null = null;
  private noInputTimer: NodeJS.Timeout | null = null;
  private closingTimer: NodeJS.Timeout | null = null;
  private playbackTimer: NodeJS.Timeout | null = null;
  private authenticated = false;
  private ending = false;
  private closed = false;
  private writes: Promise<void> = Promise.resolve();
  private pendingWrites = 0;
  private paused = false;
  private retriesAbandoned = false;
  private wakeRetry: (() => void) | null = null;
  private resolveDone!: () => void;
  /** Resolves once the session is over and every store write has settled. */
  readonly done: Promise<void>;

  // Script state.
  private plan: Plan | null = null;
  private phase: "idle" | "message" | "prompt" | "waiting" | "closing" = "idle";
  private expected: string[] = [];
  private playGen = 0;
  /**
   * Every sound Asterisk has been asked to play, oldest first. Each one ends with exactly one
   * F, T or D, in this order, so an event for a list we already replaced (same file name
   * included) is told apart from one for the current list even when it arrives late.
   */
  private sounds: Sound[] = [];
  private messageStartedAt: number | null = null;
  private messageDurationMs: number | null = null;
  private heardMs = 0;
  private replays = 0;
  private prompts = 0;

  constructor(options: SessionOptions) {
    this.opts = {
      ...options,
      // `??`, not spread defaults: callers pass their own options through as undefined.
      kickAfterMs: options.kickAfterMs ?? 400,
      maxKicks: options.maxKicks ?? 8,
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? 5_000,
      slots: options.slots ?? createSessionSlots(),
      liveGraceMs: options.liveGraceMs ?? LIVE_GRACE_MS,
      closingTimeoutMs: options.closingTimeoutMs ?? 30_000,
      secrets: options.secrets ?? (() => [options.secret]),
      storeRetryDelaysMs: options.storeRetryDelaysMs ?? STORE_RETRY_DELAYS_MS,
      playbackMarginMs: options.playbackMarginMs ?? 5000,
      unknownSoundMs: options.unknownSoundMs ?? 60_000,
      failureStoreWaitMs: options.failureStoreWaitMs ?? 10_000,
    };
    this.remote = options.transport.remote;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** Asterisk sends nothing on connect: ask for the arguments. */
  start(): void {
    this.handshakeTimer = setTimeout(() => this.fail("no P reply (handshake timeout)"), this.opts.handshakeTimeoutMs);
    void this.command("P", "spoolcast");
  }

  /** Whether the session has ended (no more lines are expected). */
  get isClosed(): boolean {
    return this.closed;
  }

  /** One line from Asterisk, without its newline. */
  handleLine(line: string): void {
    if (this.closed) return;
    const parsed = parseEvent(line);
    if (!parsed.ok) {
      this.fail(`malformed event line: ${parsed.error}: ${JSON.stringify(line.slice(0, 80))}`);
      return;
    }
    this.handleEvent(parsed.event);
  }

  /** The peer closed the connection. */
  handleEnd(): void {
    if (this.closed) return;
    if (this.authenticated && !this.ending && this.callId) {
      this.noteHangup("connection closed without H");
    }
    this.finish(this.outcome ?? "hangup");
  }

  /** Ends the session from outside (server shutdown, protocol violation at the framing level). */
  abort(reason: string, options: { quiet?: boolean } = {}): void {
    // Shutdown: store writes still failing get one last try, not minutes of retries.
    this.retriesAbandoned = true;
    this.wakeRetry?.();
    if (this.closed) return;
    this.fail(reason, options.quiet);
  }

  // ---- command pipe -------------------------------------------------------------------

  /** Queues a command; resolves with the event that confirmed it (null if the session ended). */
  private command(letter: IvrCommandLetter, arg: string, gen = 0): Promise<IvrEvent | null> {
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.queue.push({ letter, arg, gen, resolve });
      this.pump();
    });
  }

  private pump(): void {
    if (this.inflight || this.closed) return;
    const next = this.queue.shift();
    if (!next) return;
    const confirm: Confirm = next.letter === "P" ? "params" : next.letter === "H" || next.letter === "E" ? "end" : "vars";
    this.inflight = { letter: next.letter, confirm, sentAt: performance.now(), kicks: 0, resolve: next.resolve };
    let line: string;
    try {
      line = formatCommand(next.letter, next.arg);
    } catch (error) {
      // Never reached with validated scripts; a bad name from the database must not reach Asterisk.
      next.resolve(null);
      this.fail(`refused to send a command: ${(error as Error).message}`);
      return;
    }
    if (next.letter === "S" || next.letter === "A") {
      this.sounds.push({ file: next.arg, gen: next.gen, startedAt: null });
      if (this.sounds.length === 1) this.onSoundStarts();
    }
    this.opts.transport.write(line);
    // Commands without a reply get a G in a separate write: its reply proves Asterisk read both.
    if (confirm === "vars" && next.letter !== "G") this.opts.transport.write(formatCommand("G", "SPOOLCAST_CALL"));
    this.armKick();
  }

  private armKick(): void {
    if (this.kickTimer) clearTimeout(this.kickTimer);
    this.kickTimer = setTimeout(() => this.kick(), this.opts.kickAfterMs);
  }

  /** No reply yet: Asterisk may hold our line unread until new bytes arrive (docs/asterisk.md#externalivr-command-buffering). */
  private kick(): void {
    this.kickTimer = null;
    const f = this.inflight;
    if (!f || this.closed) return;
    if (f.kicks >= this.opts.maxKicks) {
      this.fail(`no reply to ${f.letter} after ${f.kicks} kicks`);
      return;
    }
    f.kicks += 1;
    this.opts.transport.write(formatCommand("L", "spoolcast kick"));
    this.armKick();
  }

  private confirm(kind: Confirm, event: IvrEvent | null): boolean {
    const f = this.inflight;
    if (!f || f.confirm !== kind) return false;
    this.inflight = null;
    if (this.kickTimer) clearTimeout(this.kickTimer);
    this.kickTimer = null;
    this.opts.onCommandLatency?.(performance.now() - f.sentAt);
    f.resolve(event);
    this.pump();
    return true;
  }

  // ---- events ---------------------------------------------------------------------------

  private handleEvent(event: IvrEvent): void {
    switch (event.type) {
      case "params":
        if (!this.confirm("params", event)) return;
        if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
        this.handshakeTimer = null;
        void this.authenticate(event).catch((error: unknown) => this.fail(`session start failed: ${String(error)}`));
        return;
      case "vars":
        this.confirm("vars", event);
        return;
      case "hangup":
      case "exit":
        if (this.ending || this.inflight?.confirm === "end") {
          this.confirm("end", event);
          this.finish(this.outcome ?? (event.type === "exit" ? "returned-to-dialplan" : "completed"));
          return;
        }
        if (this.authenticated) this.noteHangup(event.type === "hangup" ? "caller hung up" : "session exited");
        this.finish(this.outcome ?? "hangup");
        return;
      case "hangup-notice":
        if (this.authenticated && !this.ending) this.noteHangup("caller hung up");
        this.outcome ??= "hangup";
        this.hangUp("caller hung up");
        return;
      default:
        if (this.authenticated && this.plan) this.scriptEvent(event);
    }
  }

  // ---- handshake ------------------------------------------------------------------------

  private async authenticate(event: Extract<IvrEvent, { type: "params" }>): Promise<void> {
    const args = event.args;
    const truncated = event.text.length >= P_ARGS_MAX_CHARS;
    const isFailure = args[0] === "failed";
    // A click-to-call's `h` extension reports the contact leg: (dial,<id>,<token>,DIALSTATUS,ANSWEREDTIME).
    const isDialReport = args[0] === "dial";
    const isReport = isFailure || isDialReport;
    const callId = (isReport ? args[1] : args[0]) ?? "";
    const token = (isReport ? args[2] : args[1]) ?? "";
    if (!CALL_ID.test(callId)) {
      return this.rejectAuth(null, `no valid call id in the arguments${truncated ? " (P reply cut at 99 characters)" : ""}`);
    }
    const secrets = this.opts.secrets();
    if (!secrets.some((secret) => verifyCallToken(secret, callId, token))) {
      return this.rejectAuth(
        callId,
        `${token ? "forged" : "missing"} token${truncated ? " (P reply cut at 99 characters)" : ""}`,
      );
    }
    const call = await this.opts.store.loadCall(callId);
    if (this.closed) return;
    if (!call) return this.rejectAuth(callId, "unknown call");
    // A valid token is not enough: it stays in the archived call file after the call ended.
    const liveness = sessionLiveness(call, new Date(), this.opts.liveGraceMs);
    if (!liveness.ok) return this.rejectAuth(callId, liveness.reason);
    const refused = this.opts.slots.acquire(callId);
    if (refused) return this.rejectAuth(callId, refused);
    this.heldCall = callId;
    this.openedWhileLive = liveness.live;
    this.callId = callId;
    this.authenticated = true;
    this.opts.onAuthenticated?.();
    if (isFailure) return this.reportFailure(callId, args[3] ?? "");
    if (isDialReport) return this.reportContactLeg(call, args[3] ?? "", args[4] ?? "", truncated);
    return this.begin(call);
  }

  /** The click context's `h` extension reports what Dial() did with the contact, then is hung up. */
  private reportContactLeg(call: IvrCallInfo, statusText: string, secondsText: string, truncated: boolean): void {
    const callId = call.id;
    let report;
    try {
      if (call.kind !== "click") throw new Error(`call ${callId} is a ${call.kind} call, not a click-to-call`);
      // A cut reply may have lost digits of ANSWEREDTIME: refuse it rather than store a wrong time.
      if (truncated) throw new Error("P reply cut at 99 characters; the IVR address is too long");
      report = parseContactLegReport(statusText, secondsText);
    } catch (error) {
      const problem = `contact leg report refused: ${(error as Error).message}`;
      this.opts.logger.warn({ remote: this.remote, callId }, `ivr: ${problem}`);
      this.persist(() => this.recordEvent("ivr.error", problem));
      this.outcome = "error";
      this.hangUp("bad report");
      return;
    }
    const at = new Date();
    this.persist(() => this.opts.store.recordContactLeg(callId, report, at));
    this.opts.logger.info({ callId, ...report }, "ivr: contact leg reported");
    this.outcome = "dial-reported";
    this.hangUp("recorded");
  }

  private rejectAuth(callId: string | null, reason: string): void {
    this.opts.logger.warn({ remote: this.remote, callId, reason }, "ivr: session refused");
    this.outcome = "auth-failed";
    this.persist(() => this.opts.store.recordAuthFailure({ callId, remote: this.remote, reason, at: new Date() }));
    this.hangUp("unauthorized");
  }

  /** The `failed` extension reports one failed attempt's ${REASON}, then is hung up. */
  private async reportFailure(callId: string, reasonText: string): Promise<void> {
    if (!/^\d{1,3}$/.test(reasonText)) {
      this.opts.logger.warn({ remote: this.remote, callId, reason: reasonText }, "ivr: failure report without a numeric REASON");
      this.persist(() => this.recordEvent("ivr.error", `failure report with bad REASON "${reasonText.slice(0, 20)}"`));
      this.outcome = "error";
      this.hangUp("bad reason");
      return;
    }
    const reason = Number(reasonText);
    const at = new Date();
    // The file's Set variables reach the OutgoingSpoolFailed channel, AST_OUTGOING_ATTEMPT among them.
    const reply = await this.command("G", "AST_OUTGOING_ATTEMPT");
    const attemptText = reply?.type === "vars" ? reply.vars.AST_OUTGOING_ATTEMPT : undefined;
    const attempt = attemptText && /^\d{1,6}$/.test(attemptText) ? Number(attemptText) : undefined;
    const report: { result: FailureReportResult } = { result: "recorded" };
    this.persist(async () => {
      report.result = await this.opts.store.recordFailureReason(callId, reason, at, attempt);
    });
    this.outcome = "failure-reported";
    // Asterisk runs the failed extension before it archives the file (pbx_spool.c
    // attempt_thread → ast_pbx_outgoing_exten, synchronous): hanging up only once the REASON
    // is stored keeps the archive from overtaking it (bounded, so a database outage cannot
    // hold Asterisk's spool thread for long).
    await this.settled(this.opts.failureStoreWaitMs);
    if (report.result !== "recorded") {
      // Asterisk runs the failed extension once per attempt, for attempts the file allows: anything else is a replay.
      this.rejectAuth(
        callId,
        report.result === "duplicate"
          ? `failure report for attempt ${attempt ?? "?"} already recorded: token replayed`
          : `failure report for attempt ${attempt ?? "?"}, beyond the attempts the call file allows: refused`,
      );
      return;
    }
    this.opts.logger.info({ callId, reason, attempt }, "ivr: failed attempt reported");
    this.hangUp("recorded");
  }

  private begin(call: IvrCallInfo): void {
    const callId = call.id;
    const at = new Date();
    this.persist(() => this.opts.store.recordAnswered(callId, at));
    this.persist(() => this.recordEvent("ivr.connected", this.remote, at));
    if (!call.script) {
      this.opts.logger.error({ callId, error: call.scriptError }, "ivr: call has an unusable script");
      this.persist(() => this.recordEvent("ivr.error", call.scriptError ?? "no script"));
      this.outcome = "error";
      this.hangUp("bad script");
      return;
    }
    if (call.script.kind === "click") {
      this.outcome = "returned-to-dialplan";
      this.ending = true;
      void this.command("E", "click-to-call");
      return;
    }
    const plan = planFor(call.script, call);
    if (!plan || !isSoundName(plan.message)) {
      const problem = plan
        ? `the message sound name "${plan.message.slice(0, 80)}" is not a server sound name`
        : "the call has no audio message";
      this.opts.logger.error({ callId, problem }, "ivr: call has no playable message");
      this.persist(() => this.recordEvent("ivr.error", problem));
      this.outcome = "error";
      this.hangUp("no message");
      return;
    }
    this.plan = plan;
    this.messageDurationMs = call.messageDurationMs;
    this.phase = "message";
    this.play(plan.playlist);
  }

  // ---- the script -----------------------------------------------------------------------

  /** Plays files in order, cutting whatever plays now (S, then A for the rest). */
  private play(files: string[]): void {
    this.expected = [...files];
    this.messageStartedAt = null;
    const gen = ++this.playGen;
    const [first, ...rest] = files;
    if (!first) return;
    void this.command("S", first, gen);
    for (const file of rest) void this.command("A", file, gen);
  }

  /** The head of Asterisk's play queue changed: note when the message starts playing. */
  private onSoundStarts(): void {
    const head = this.sounds[0];
    if (head) head.startedAt ??= Date.now();
    if (head && head.gen === this.playGen && head.file === this.plan?.message && this.expected[0] === head.file) {
      this.messageStartedAt = Date.now();
    }
    this.armPlaybackWatchdog(head);
  }

  /**
   * While the message has never been confirmed, each sound at the head of Asterisk's queue in
   * the message phase must end (F/T/D) within its length plus a margin. ExternalIVR's generator
   * needs silence/* between files (app_externalivr.c gen_nextfile): on a PBX without Asterisk's
   * core sounds nothing plays and no F ever comes, and the callee would hear only silence.
   */
  private armPlaybackWatchdog(head: Sound | undefined): void {
    if (this.playbackTimer) clearTimeout(this.playbackTimer);
    this.playbackTimer = null;
    const plan = this.plan;
    if (!plan || !head || this.phase !== "message" || head.gen !== this.playGen || this.heardMs > 0 || this.ending) return;
    const length = head.file === plan.message && this.messageDurationMs ? this.messageDurationMs : this.opts.unknownSoundMs;
    const waitMs = length + this.opts.playbackMarginMs;
    this.playbackTimer = setTimeout(() => this.onPlaybackUnconfirmed(head.file, waitMs), waitMs);
  }

  private onPlaybackUnconfirmed(file: string, waitedMs: number): void {
    this.playbackTimer = null;
    if (this.closed || this.ending || this.heardMs > 0) return;
    const callId = this.callId!;
    const cause = `Asterisk did not confirm playback of ${file} within ${Math.round(waitedMs / 1000)} s (no F event): ${NO_AUDIO_HINT}`;
    this.opts.logger.error({ callId, sound: file }, `ivr: ${NO_AUDIO_HINT}`);
    this.persist(() => this.opts.store.recordDeliveryFailure(callId, { kind: "playback-unconfirmed", cause, at: new Date() }));
    this.outcome = "playback-unconfirmed";
    this.hangUp("playback not confirmed");
  }

  /** F, T or D for `file`: it left Asterisk's queue. Returns whether it belonged to the current list. */
  private soundEnded(file: string): boolean {
    const index = this.sounds.findIndex((s) => s.file === file);
    if (index === -1) {
      this.opts.logger.debug({ callId: this.callId, file }, "ivr: event for a sound not sent");
      return false;
    }
    // Entries before it ended without an event Asterisk owes us (should not happen): drop them too.
    const ended = this.sounds.splice(0, index + 1).at(-1)!;
    this.onSoundStarts();
    return ended.gen === this.playGen;
  }

  private scriptEvent(event: IvrEvent): void {
    const plan = this.plan!;
    switch (event.type) {
      case "dtmf":
        this.persist(() => this.recordEvent("ivr.dtmf", event.digit));
        this.onDigit(event.digit, plan);
        return;
      case "finished":
        this.persist(() => this.recordEvent("ivr.played", event.file));
        if (this.soundEnded(event.file)) this.onFileDone(event.file, true);
        return;
      case "cut":
        this.persist(() => this.recordEvent("ivr.interrupted", event.file));
        this.notePartOfMessage(event.file);
        this.soundEnded(event.file);
        return;
      case "dropped":
        // No heard time from D: Asterisk drops a queued file that never started with D, and
        // also the head of the queue when nothing was playing (app_externalivr.c eivr_comm, S
        // and I: T only `if (!u->abort_current_sound && !u->playing_silence)`, D for the rest).
        this.soundEnded(event.file);
        return;
      case "error": {
        this.persist(() => this.recordEvent("ivr.error", event.data ? `cannot play ${event.data}` : "channel not up"));
        // Z answers the S/A in flight: that sound never entered Asterisk's queue.
        const f = this.inflight;
        let current = false;
        if (event.data && (f?.letter === "S" || f?.letter === "A")) {
          const index = this.sounds.findLastIndex((s) => s.file === event.data);
          if (index !== -1) {
            current = this.sounds[index]!.gen === this.playGen;
            this.sounds.splice(index, 1);
            if (index === 0) this.onSoundStarts();
          }
        }
        if (!current) return;
        if (event.data === plan.message) {
          this.opts.logger.error({ callId: this.callId, sound: event.data }, "ivr: message sound missing on the PBX");
          const callId = this.callId!;
          const cause = `sound missing on the PBX: ${event.data}`;
          this.persist(() => this.opts.store.recordDeliveryFailure(callId, { kind: "not-played", cause, at: new Date() }));
          this.outcome = "not-played";
          this.hangUp("message missing");
        } else if (event.data && this.expected.includes(event.data)) {
          this.opts.logger.warn({ callId: this.callId, sound: event.data }, "ivr: prompt missing on the PBX, skipped");
          if (this.expected[0] === event.data) this.onFileDone(event.data, false);
          else this.expected.splice(this.expected.indexOf(event.data), 1);
        }
        return;
      }
      default:
        return;
    }
  }

  private onFileDone(file: string, playedToEnd: boolean): void {
    if (this.expected[0] !== file) return;
    this.expected.shift();
    const plan = this.plan!;
    if (file === plan.message && this.messageStartedAt !== null && playedToEnd) {
      this.noteHeard(this.messageDurationMs ?? Date.now() - this.messageStartedAt);
    }
    this.messageStartedAt = null;
    this.onSoundStarts();
    if (this.expected.length === 0) this.onPlaylistDone(plan);
  }

  private onPlaylistDone(plan: Plan): void {
    switch (this.phase) {
      case "message":
        if (plan.respond) this.prompt(plan);
        else {
          this.outcome = "completed";
          this.hangUp("message played");
        }
        return;
      case "prompt":
        this.phase = "waiting";
        this.noInputTimer = setTimeout(() => this.onNoInput(plan), plan.noInputMs);
        return;
      case "closing":
        this.hangUp(this.outcome ?? "done");
        return;
      default:
        return;
    }
  }

  private prompt(plan: Plan): void {
    this.clearNoInput();
    this.phase = "prompt";
    this.prompts += 1;
    this.play([this.replays < plan.maxReplays ? plan.prompt : plan.promptNoReplay]);
  }

  private onNoInput(plan: Plan): void {
    this.noInputTimer = null;
    if (this.closed || this.phase !== "waiting") return;
    // Details are computed now, not inside the closure: persist runs it later, after
    // prompt() has counted the new prompt (which made every reprompt read "prompt 3 of 2").
    if (this.prompts < plan.maxPrompts) {
      const detail = `prompt ${this.prompts + 1} of ${plan.maxPrompts}`;
      this.persist(() => this.recordEvent("ivr.reprompt", detail));
      this.prompt(plan);
      return;
    }
    const detail = `no key after ${this.prompts} prompt(s)`;
    this.persist(() => this.recordEvent("ivr.no-input", detail));
    this.outcome = "not-acknowledged";
    this.close(plan.noInput);
  }

  private onDigit(digit: string, plan: Plan): void {
    if (this.phase === "closing" || !plan.respond) return;
    const action = plan.keys[digit];
    if (!action) return;
    this.clearNoInput();
    const callId = this.callId!;
    const at = new Date();
    if (action === "replay") {
      if (this.replays >= plan.maxReplays) {
        this.persist(() => this.recordEvent("ivr.replay-refused", `limit of ${plan.maxReplays} reached`));
        if (this.phase === "waiting") this.prompt(plan);
        return;
      }
      this.replays += 1;
      const detail = `${this.replays} of ${plan.maxReplays}`;
      this.persist(() => this.recordEvent("ivr.replay", detail));
      this.phase = "message";
      this.play([plan.message]);
      return;
    }
    const session = { openedWhileLive: this.openedWhileLive };
    this.persist(() => this.opts.store.recordAck(callId, digit, at, session));
    if (action === "snooze") {
      this.persist(() => this.recordEvent("ivr.snoozed", digit, at));
      this.outcome = "snoozed";
      this.close(plan.snoozed);
    } else {
      this.persist(() => this.recordEvent("ivr.acknowledged", digit, at));
      this.outcome = "acknowledged";
      this.close(plan.thanks);
    }
  }

  /** Plays a last prompt, then hangs up when it ends (or after closingTimeoutMs). */
  private close(sound: string): void {
    this.clearNoInput();
    this.phase = "closing";
    this.play([sound]);
    this.closingTimer = setTimeout(() => this.hangUp(this.outcome ?? "done"), this.opts.closingTimeoutMs);
  }

  private clearNoInput(): void {
    if (this.noInputTimer) clearTimeout(this.noInputTimer);
    this.noInputTimer = null;
  }

  /**
   * T for the message: Asterisk cut it while it was playing (it sends T only for a file its
   * generator had opened, app_externalivr.c eivr_comm). Heard time comes only from T and F,
   * never from our own clock at a hang-up: without them nothing proves a second was played.
   */
  private notePartOfMessage(file: string): void {
    const head = this.sounds[0];
    // The event may answer a newer list (an ack key during the message plays the thank-you):
    // the cut sound is the head of Asterisk's queue, whatever list it belonged to.
    if (!this.plan || file !== this.plan.message || !head || head.file !== file || head.startedAt === null) return;
    const elapsed = Date.now() - head.startedAt;
    this.noteHeard(this.messageDurationMs === null ? elapsed : Math.min(elapsed, this.messageDurationMs));
  }

  private noteHeard(ms: number): void {
    const rounded = Math.max(0, Math.round(ms));
    if (rounded <= this.heardMs && this.heardMs > 0) return;
    this.heardMs = Math.max(this.heardMs, rounded);
    const callId = this.callId!;
    const value = this.heardMs;
    this.persist(() => this.opts.store.recordHeard(callId, value));
  }

  /** The callee hung up (or Asterisk went away) while the session was running. */
  private noteHangup(how: string): void {
    const startedAt = this.messageStartedAt;
    // Not "heard N s": a hang-up is no playback event (see notePartOfMessage).
    const detail =
      this.phase === "message" && startedAt !== null
        ? `${how} during the message, ${((Date.now() - startedAt) / 1000).toFixed(1)} s after it was sent`
        : `${how}${this.phase === "idle" ? "" : ` (${this.phase})`}`;
    this.persist(() => this.recordEvent("ivr.hangup", detail));
    this.outcome ??= "hangup";
  }

  // ---- ending ---------------------------------------------------------------------------

  /** Ask Asterisk to hang up; the session ends on its `H` reply or on EOF. */
  private hangUp(reason: string): void {
    if (this.ending || this.closed) return;
    this.ending = true;
    this.clearNoInput();
    if (this.playbackTimer) clearTimeout(this.playbackTimer);
    this.playbackTimer = null;
    // Whatever was still queued is moot once we hang up.
    for (const q of this.queue.splice(0)) q.resolve(null);
    if (this.inflight) {
      const f = this.inflight;
      this.inflight = null;
      f.resolve(null);
    }
    void this.command("H", reason.replace(/[^A-Za-z0-9 ._-]/g, "-").slice(0, 60) || "bye");
  }

  /** `quiet`: the caller logs these in bulk (a flood's evicted connections). */
  private fail(reason: string, quiet = false): void {
    if (this.closed) return;
    if (!quiet) this.opts.logger.warn({ remote: this.remote, callId: this.callId, reason }, "ivr: session closed");
    if (this.authenticated && this.callId) this.persist(() => this.recordEvent("ivr.error", reason.slice(0, 200)));
    this.outcome ??= "error";
    this.finish(this.outcome);
  }

  private finish(outcome: SessionOutcome): void {
    if (this.closed) return;
    this.closed = true;
    this.outcome = outcome;
    if (this.heldCall) this.opts.slots.release(this.heldCall);
    this.heldCall = null;
    for (const timer of [this.kickTimer, this.handshakeTimer, this.noInputTimer, this.closingTimer, this.playbackTimer]) {
      if (timer) clearTimeout(timer);
    }
    for (const q of this.queue.splice(0)) q.resolve(null);
    this.inflight?.resolve(null);
    this.inflight = null;
    this.opts.transport.end();
    if (this.pendingWrites === 0) this.resolveDone();
  }

  // ---- persistence ----------------------------------------------------------------------

  private recordEvent(type: string, detail = "", at = new Date()): Promise<void> {
    return this.opts.store.recordEvent(this.callId!, { type, detail, at });
  }

  /** One store write, retried after a pause while it fails with an error a retry may cure. */
  private async writeWithRetries(write: () => Promise<void>): Promise<void> {
    const delays = this.opts.storeRetryDelaysMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await write();
        return;
      } catch (error) {
        if (attempt >= delays.length || isPermanentStoreError(error) || this.retriesAbandoned) throw error;
        if (attempt === 0)
          this.opts.logger.warn({ err: error, callId: this.callId }, "ivr: storing an IVR event failed; retrying");
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delays[attempt]);
          this.wakeRetry = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeRetry = null;
      }
    }
  }

  /** Resolves once every store write queued so far has settled, or after `maxMs`. */
  private async settled(maxMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.writes, new Promise<void>((resolve) => (timer = setTimeout(resolve, maxMs)))]);
    clearTimeout(timer);
  }

  /** Runs store writes one after another, in the order the events happened. */
  private persist(write: () => Promise<void>): void {
    this.pendingWrites += 1;
    if (!this.paused && this.pendingWrites >= WRITE_HIGH_WATER) {
      this.paused = true;
      this.opts.onBackpressure?.(true);
    }
    this.writes = this.writes
      .then(() => this.writeWithRetries(write))
      .catch((error: unknown) => {
        this.opts.logger.error({ err: error, callId: this.callId }, "ivr: could not store an IVR event");
      })
      .finally(() => {
        this.pendingWrites -= 1;
        if (this.closed && this.pendingWrites === 0) this.resolveDone();
        if (this.paused && this.pendingWrites <= WRITE_LOW_WATER) {
          this.paused = false;
          this.opts.onBackpressure?.(false);
        }
      });
  }
}

function planFor(script: Exclude<CallScript, { kind: "click" }>, call: IvrCallInfo): Plan | null {
  if (script.kind === "message") {
    const message = script.message ?? call.messageSound;
    if (!message) return null;
    const playlist = [...(script.intro ? [script.intro] : []), ...Array.from({ length: script.repeat }, () => message)];
    return {
      playlist,
      message,
      respond: script.requireAck,
      keys: { [script.ackDigit]: "ack", ...(script.maxReplays > 0 ? { [script.replayDigit]: "replay" as const } : {}) },
      maxReplays: script.maxReplays,
      maxPrompts: script.maxPrompts,
      noInputMs: script.noInputTimeoutSec * 1000,
      prompt: script.maxReplays > 0 ? script.promptSound : script.promptNoReplaySound,
      promptNoReplay: script.promptNoReplaySound,
      thanks: script.thanksSound,
      snoozed: script.thanksSound,
      noInput: script.noInputSound,
    };
  }
  const message = script.message ?? call.messageSound ?? SYSTEM_SOUNDS.wakeupMessage;
  return {
    playlist: [message],
    message,
    respond: true,
    keys: { [script.confirmDigit]: "ack", ...(script.allowSnooze ? { [script.snoozeDigit]: "snooze" as const } : {}) },
    maxReplays: 0,
    maxPrompts: script.maxPrompts,
    noInputMs: script.noInputTimeoutSec * 1000,
    prompt: script.allowSnooze ? script.promptSound : script.promptNoSnoozeSound,
    promptNoReplay: script.allowSnooze ? script.promptSound : script.promptNoSnoozeSound,
    thanks: script.confirmedSound,
    snoozed: script.snoozedSound,
    noInput: script.noInputSound,
  };
}
