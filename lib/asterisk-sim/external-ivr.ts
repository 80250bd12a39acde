/**
 * ExternalIVR over TCP (`ivr://host:port(args)`), as app_externalivr.c does it (docs/asterisk.md#externalivr):
 * the simulator is the TCP client; it sends nothing on connect, formats every event as
 * `<tag>,<%10d ts>[,data]\n`, runs the commands S A I O T D G V L P E H X, plays the queue
 * for the real WAV durations, and reads its commands exactly as eivr_comm + ast_iostream_gets
 * do (iostream.ts): one line per loop iteration in which the socket is readable, lines left in
 * the iostream's buffer wait for the next bytes, a partial line stalls the channel (no DTMF,
 * hangup or playback progress until its newline arrives), and lines of 1024+ bytes are cut
 * into 1023-byte commands.
 */
import net from "node:net";
import type { SimClock, TimerHandle } from "./clock";
import type { SimChannel } from "./channel";
import { separateArgs } from "./dialplan";
import { strerror } from "./errno";
import { IvrCommandStream } from "./iostream";
import { findSound } from "./sounds";

export type IvrArgs = {
  /** Item 0: `ivr://host[:port]` (or a program path). */
  target: string;
  /** The text the `P` command returns (items joined by `,`, cut to 99 characters). */
  pText: string;
  options: { n: boolean; i: boolean; d: boolean };
  unknownOptions: string[];
};

/** Splits ExternalIVR's argument string (docs/asterisk.md#externalivr-arguments); throws on a missing closing parenthesis. */
export function parseExternalIvrArgs(data: string): IvrArgs {
  const [application = "", optionsRaw = ""] = separateArgs(data, ",", 2);
  const options = separateArgs(optionsRaw, ",")[0] ?? "";
  let app = application;
  const open = app.indexOf("(");
  if (open !== -1) {
    const close = app.lastIndexOf(")");
    if (close === -1 || close < open) throw new Error("Parse error: missing closing parenthesis");
    app = app.slice(0, open) + "," + app.slice(open + 1, close) + app.slice(close + 1);
  }
  const items = app.split(",").slice(0, 32);
  const unknownOptions: string[] = [];
  const opts = { n: false, i: false, d: false };
  for (const letter of options) {
    if (letter === "n" || letter === "i" || letter === "d") opts[letter] = true;
    else unknownOptions.push(letter);
  }
  return { target: items[0] ?? "", pText: items.join(",").slice(0, 99), options: opts, unknownOptions };
}

/** `host`, `host:port`, `[v6]:port`; a bare IPv6 address gets no port; port 0 or none → 2949. */
export function parseIvrAddress(target: string): { host: string; port: number } | null {
  if (!target.startsWith("ivr://")) return null;
  const hostport = target.slice("ivr://".length);
  let host = hostport;
  let port = 0;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostport);
  if (v6) {
    host = v6[1]!;
    port = Number(v6[2] ?? 0);
  } else if ((hostport.match(/:/g) ?? []).length === 1) {
    const c = hostport.indexOf(":");
    host = hostport.slice(0, c);
    port = Number.parseInt(hostport.slice(c + 1), 10) || 0;
  }
  return { host, port: port > 0 && port < 65536 ? port : 2949 };
}

export type IvrLogEntry = { dir: "send" | "recv"; data: string };

export type IvrSessionOptions = {
  clock: SimClock;
  channel: SimChannel;
  soundsDir: string;
  /** Asterisk's core sounds (`silence/*`) installed; false = ExternalIVR's generator fails (see `silenceOrFail`). */
  coreSounds: boolean;
  args: IvrArgs;
  /** Application-type call file: `E` hangs the channel up instead of continuing the dialplan. */
  appCall: boolean;
  log: (level: "notice" | "warning" | "error" | "verbose" | "debug", message: string) => void;
  /** Sees every line on the wire; `dir: "send"` = simulator → IVR server. */
  onWire?: (entry: IvrLogEntry) => void;
  /** Called after each socket wake-up has been handled (tests wait on it). */
  onWake?: () => void;
  unreachable?: boolean;
};

type Playing = { file: string; durationMs: number; startedAt: number; remainingMs: number; timer?: TimerHandle };

const FRAME_MS = 20;

/** Runs one ExternalIVR session; resolves with the app's return value (0 continue, -1 hang up). */
export function runExternalIvr(opts: IvrSessionOptions): Promise<number> {
  const { channel, args, log } = opts;
  const address = parseIvrAddress(args.target);
  if (!address) {
    log("error", `ExternalIVR: only ivr:// targets are simulated, got '${args.target}'`);
    return Promise.resolve(-1);
  }
  for (const letter of args.unknownOptions) log("warning", `Unrecognized option: '${letter}'`);
  const { n } = args.options;
  // Without n the app answers first (then starts the generator, then connects); a channel that
  // cannot be answered (hung up, or the dummy OutgoingSpoolFailed channel) is an error.
  if (!n && channel.state !== "up") {
    if (channel.hungUp || !channel.canAnswer) {
      log("error", "Could not answer channel");
      channel.hangup("local");
      return Promise.resolve(-1);
    }
    channel.answer();
  }
  return new Promise((resolve) => {
    const session = new IvrSession(opts, resolve);
    session.connect(address.host, address.port);
  });
}

class IvrSession {
  private socket?: net.Socket;
  private readonly commands = new IvrCommandStream();
  private eof = false;
  private ended = false;
  private blockedUntil: TimerHandle | undefined;
  private deferred: Array<() => void> = [];
  private playlist: string[] = [];
  private current: Playing | null = null;
  private startTimer: TimerHandle | undefined;
  /** The generator was activated (`u->gen_active`): at start, or by `T` under option n. */
  private generator: boolean;
  /** The generator failed on a missing `silence/10` and was deactivated for good. */
  private generatorFailed = false;
  private autoclear = false;
  private sentI = false;
  private looping = false;

  constructor(
    private readonly o: IvrSessionOptions,
    private readonly resolve: (res: number) => void,
  ) {
    this.generator = !o.args.options.n;
  }

  connect(host: string, port: number): void {
    // app_exec activates the generator before it connects: its first frame finds the playlist empty.
    this.silenceOrFail();
    if (this.o.unreachable) {
      this.connectFailed(host, port, "Connection refused");
      return;
    }
    const socket = net.connect({ host, port });
    this.socket = socket;
    let connected = false;
    socket.setNoDelay(true);
    socket.on("connect", () => {
      connected = true;
      this.o.log("verbose", `ExternalIVR connected to ${host}:${port}`);
      this.attachChannel();
    });
    socket.on("data", (chunk: Buffer) => this.onData(chunk.toString("latin1")));
    socket.on("end", () => this.onEof());
    socket.on("error", (err) => {
      if (!connected) this.connectFailed(host, port, strerror(err));
      else this.onEof();
    });
    socket.on("close", () => this.onEof());
  }

  /** ast_tcptls_client_start_timeout (main/tcptls.c), then app_exec gives up (one address here). */
  private connectFailed(host: string, port: number, reason: string): void {
    this.o.log("warning", `Unable to connect IVR to ${host.includes(":") ? `[${host}]` : host}:${port}: ${reason}`);
    this.chanLog("error", "Could not connect to any host.  ExternalIVR failed.");
    this.finish(-1, true);
  }

  private attachChannel(): void {
    const ch = this.o.channel;
    const onDtmf = (digit: string) => this.channelEvent(() => this.handleDtmf(digit));
    const onHangup = () => this.channelEvent(() => this.handleHangup());
    // The simulated Asterisk process stops: the socket dies with it, no event is sent.
    const onCrash = () => {
      this.socket?.destroy();
      this.finish(-1, false);
    };
    ch.on("dtmf", onDtmf);
    ch.on("hangup", onHangup);
    ch.on("crash", onCrash);
    this.detach = () => {
      ch.off("dtmf", onDtmf);
      ch.off("hangup", onHangup);
      ch.off("crash", onCrash);
    };
    // A channel that hung up between answer and connect is noticed by the first hangup check.
    if (ch.hungUp && !this.o.args.options.d) this.channelEvent(() => this.handleHangup());
  }

  private detach: () => void = () => {};

  private get blocked(): boolean {
    return this.stalled || this.blockedUntil !== undefined;
  }

  /** Channel frames are only read while the loop is not stuck in gets() or a D command. */
  private channelEvent(fn: () => void): void {
    if (this.ended) return;
    if (this.blocked) this.deferred.push(fn);
    else fn();
  }

  /** `ast_chan_log`: Asterisk prefixes the message with the channel name. */
  private chanLog(level: "notice" | "warning" | "error", message: string): void {
    this.o.log(level, `${this.o.channel.name}: ${message}`);
  }

  private sound(name: string) {
    return findSound(this.o.soundsDir, name, this.o.coreSounds);
  }

  private ts(): string {
    return String(Math.floor(this.o.clock.now() / 1000)).padStart(10, " ");
  }

  private send(tag: string, data?: string): void {
    const line = `${tag},${this.ts()}${data === undefined ? "" : `,${data}`}\n`;
    this.o.onWire?.({ dir: "send", data: line });
    const s = this.socket;
    if (s && !s.destroyed && s.writable) s.write(Buffer.from(line, "latin1"));
  }

  // ---- socket side -------------------------------------------------------------------------

  /** The channel thread is stuck inside ast_iostream_gets, in a read() waiting for bytes. */
  private get stalled(): boolean {
    return this.commands.blocked;
  }

  private onData(data: string): void {
    if (this.ended) return;
    this.commands.receive(data);
    this.runLoop();
    this.o.onWake?.();
  }

  private onEof(): void {
    if (this.eof || this.ended) return;
    this.eof = true;
    this.commands.receiveEof();
    this.runLoop();
    this.o.onWake?.();
  }

  /**
   * eivr_comm's loop as far as the command socket goes: each iteration in which poll() finds
   * the socket readable (unread bytes, or EOF) makes one ast_iostream_gets call and runs the
   * line it returns. Lines already read into the iostream's buffer do not make the socket
   * readable: they run only while new bytes (or EOF) are waiting, which is what strands the
   * later lines of a multi-command write until the server sends something more. A `D` command
   * (ast_dtmf_stream) holds the loop; a gets() stuck in read() holds it until bytes arrive.
   */
  private runLoop(): void {
    if (this.looping) return;
    this.looping = true;
    try {
      while (!this.ended && !this.blockedUntil && (this.stalled || this.commands.readable)) {
        const wasStalled = this.stalled;
        const r = this.commands.gets();
        if (r.kind === "blocked") {
          if (!wasStalled) this.pausePlayback();
          return;
        }
        if (wasStalled) this.resumePlayback();
        if (r.kind === "eof") {
          // gets() returned 0: read() found the server's side closed.
          this.chanLog("error", "Child process went away");
          this.finish(-1, true);
          return;
        }
        this.handleCommand(r.line);
        // Channel frames that waited (DTMF, hangup, finished files) come before the next line:
        // ast_waitfor_nandfds returns a ready channel ahead of a ready fd.
        if (wasStalled) this.runDeferred();
      }
    } finally {
      this.looping = false;
    }
  }

  /** Runs the channel events that piled up while the loop was stuck. */
  private runDeferred(): void {
    while (!this.ended && !this.blocked && this.deferred.length) this.deferred.shift()!();
  }

  /** The loop was held by a `D` command: what piled up runs, then any readable input. */
  private unblocked(): void {
    this.runDeferred();
    if (!this.ended && !this.blocked) this.runLoop();
  }

  // ---- commands ----------------------------------------------------------------------------

  private handleCommand(raw: string): void {
    // `input` is a C string: it ends at a NUL byte. `ast_strip(input)` trims trailing bytes
    // under 33 in place; its result (which would skip leading blanks) is discarded, so a line
    // with a leading space keeps it and matches no command.
    const nul = raw.indexOf("\0");
    let line = nul === -1 ? raw : raw.slice(0, nul);
    while (line.length && line.charCodeAt(line.length - 1) <= 32) line = line.slice(0, -1);
    this.o.onWire?.({ dir: "recv", data: raw });
    this.o.log("debug", `got command '${line}'`);
    if (line.length < 3) return;
    const cmd = line[0];
    const arg = line.slice(2);
    const ch = this.o.channel;
    // eivr_comm: S, A, I and O on a channel that is not up (or hung up) get a bare Z.
    const notUp: Record<string, string> = {
      S: "Queue re'S'et called on unanswered channel",
      A: "Queue 'A'ppend called on unanswered channel",
      I: "Queue 'I'nterrupt called on unanswered channel",
      O: "Option called on unanswered channel",
    };
    if (cmd && notUp[cmd] && !ch.isUp) {
      this.chanLog("warning", notUp[cmd]);
      this.send("Z");
      return;
    }
    switch (cmd) {
      case "S":
      case "A":
        // eivr_comm: `if (!ast_fileexists(&input[2], ...))` → warning, then Z with the name.
        if (!this.sound(arg)) {
          this.chanLog("warning", `Unknown file requested '${arg}'`);
          return this.send("Z", arg);
        }
        if (cmd === "S") this.interrupt();
        this.playlist.push(arg);
        this.kickGenerator();
        return;
      case "I":
        this.silenceOrFail(this.interrupt() ? 2 : 1);
        return;
      case "O": {
        const opt = arg.toLowerCase();
        if (opt === "autoclear") this.autoclear = true;
        else if (opt === "noautoclear") this.autoclear = false;
        else this.chanLog("warning", `Unknown option requested: ${arg}`);
        return;
      }
      case "T":
        if (ch.state !== "up") {
          if (this.o.args.options.d) {
            this.chanLog("warning", "Running ExternalIVR with 'd'ead flag on non-hungup channel isn't supported");
            return this.send("Z", "ANSWER_FAILURE");
          }
          if (ch.hungUp || !ch.canAnswer) {
            this.chanLog("warning", "Failed to answer channel");
            return this.send("Z", "ANSWER_FAILURE");
          }
          ch.answer();
        }
        if (!this.generator) {
          this.generator = true;
          this.silenceOrFail();
          this.kickGenerator();
        }
        return;
      case "D":
        return this.sendDigits(arg);
      case "G":
        return this.send(
          "G",
          arg
            .split(",")
            .map((name) => `${name}=${ch.getVar(name) ?? ""}`)
            .join(",")
            .slice(0, 2047),
        );
      case "V":
        for (const item of arg.split(",")) {
          const eq = item.indexOf("=");
          if (eq === -1) ch.setVar(item, "");
          else ch.setVar(item.slice(0, eq), item.slice(eq + 1));
        }
        return;
      case "L":
        this.chanLog("notice", `Log message from EIVR: ${arg}`);
        return;
      case "P":
        return this.send("P", this.o.args.pText);
      case "E":
        this.chanLog("notice", `Exiting: ${arg}`);
        this.send("E");
        this.finish(this.o.appCall ? -1 : 0, false);
        return;
      case "H":
        this.chanLog("notice", `Hanging up: ${arg}`);
        this.send("H");
        this.finish(-1, false);
        return;
      case "X":
        this.chanLog("notice", `Exiting: ${arg}`);
        this.chanLog("warning", "e'X'it command is deprecated, use 'E'xit instead");
        this.finish(this.o.appCall ? -1 : 0, false);
        return;
      default:
        return;
    }
  }

  /** `D,digits[,interval[,duration]]`: blocks the loop for as long as the tones take. */
  private sendDigits(arg: string): void {
    const [digits = "", intervalText, durationText] = arg.split(",");
    const interval = Number.parseInt(intervalText ?? "", 10) > 0 ? Number.parseInt(intervalText!, 10) : 250;
    const duration = Number.parseInt(durationText ?? "", 10) > 0 ? Number.parseInt(durationText!, 10) : 100;
    let total = 0;
    for (const c of digits) {
      if (c === "w") total += 500;
      else if (c === "W") total += 1000;
      else if (/[0-9*#A-Da-d]/.test(c)) total += duration + interval;
    }
    if (total === 0) return;
    this.blockedUntil = this.o.clock.setTimer(this.o.clock.now() + total, () => {
      this.blockedUntil = undefined;
      this.unblocked();
    });
  }

  // ---- channel events ----------------------------------------------------------------------

  private handleDtmf(digit: string): void {
    if (!this.o.channel.isUp) return;
    this.send(digit);
    if (this.autoclear) this.silenceOrFail(this.interrupt() ? 2 : 1);
  }

  private handleHangup(): void {
    if (this.o.args.options.d) return;
    if (this.o.args.options.i) {
      if (!this.sentI) {
        this.sentI = true;
        this.send("I", "HANGUP");
      }
      return;
    }
    this.send("H");
    this.finish(-1, false);
  }

  // ---- playback ----------------------------------------------------------------------------

  /**
   * `T` for the file playing, `D` for every queued one, then an empty queue (S, I, autoclear).
   * Returns whether a file was playing (eivr_comm then sets `abort_current_sound`).
   */
  private interrupt(): boolean {
    const playing = this.current;
    if (playing) {
      this.clearPlaying();
      this.send("T", playing.file);
    }
    for (const file of this.playlist.splice(0)) this.send("D", file);
    this.o.clock.clearTimer(this.startTimer);
    this.startTimer = undefined;
    return playing !== null;
  }

  private clearPlaying(): void {
    if (this.current) this.o.clock.clearTimer(this.current.timer);
    this.current = null;
  }

  /** The generator takes the next queued file at its next 20 ms frame. */
  private kickGenerator(): void {
    if (!this.generator || this.generatorFailed || this.current || this.startTimer || !this.playlist.length || this.stalled)
      return;
    this.startTimer = this.o.clock.setTimer(this.o.clock.now() + FRAME_MS, () => {
      this.startTimer = undefined;
      this.startNext();
    });
  }

  private startNext(): void {
    if (this.ended || this.current || !this.generator || this.generatorFailed) return;
    const file = this.playlist.shift();
    if (file === undefined) {
      this.silenceOrFail();
      return;
    }
    const sound = this.sound(file);
    if (!sound) {
      // Passed the existence check but cannot be opened now: dropped with no event.
      this.startNext();
      return;
    }
    this.current = { file, durationMs: sound.durationMs, startedAt: this.o.clock.now(), remainingMs: sound.durationMs };
    this.armPlayback();
  }

  /**
   * The generator needs a frame and its playlist is empty: `gen_nextfile` opens `silence/10`.
   * With the core sounds that is silence, nothing to model. Without them `ast_openstream_full`
   * fails, `gen_readframe` returns no frame, `gen_generate` returns -1 and channel.c's
   * `generator_force` ("Auto-deactivating generator") removes the generator. `u->gen_active`
   * stays 1, so a later `T` does not restart it: files queued afterwards stay in the playlist
   * unplayed (an `S`, `I` or autoclear reports them with `D`) and no `F` ever comes.
   */
  private silenceOrFail(opens: 1 | 2 = 1): void {
    if (!this.generator || this.generatorFailed || this.current || this.startTimer || this.playlist.length) return;
    if (this.sound("silence/10")) return;
    this.generatorFailed = true;
    // After an interrupt of a playing file gen_readframe calls gen_nextfile twice (for
    // abort_current_sound, then because it still has no stream), so the pair is logged twice.
    for (let i = 0; i < opens; i++) {
      // openstream_internal (main/file.c), then gen_nextfile (apps/app_externalivr.c).
      this.o.log("warning", "File silence/10 does not exist in any format");
      this.chanLog("warning", "File 'silence/10' could not be opened: No such file or directory");
    }
    this.o.log("debug", "Auto-deactivating generator");
  }

  private armPlayback(): void {
    const p = this.current;
    if (!p) return;
    p.startedAt = this.o.clock.now();
    p.timer = this.o.clock.setTimer(p.startedAt + p.remainingMs, () => {
      if (this.current !== p) return;
      this.current = null;
      this.channelEvent(() => {
        if (this.o.channel.isUp) this.send("F", p.file);
      });
      this.startNext();
    });
  }

  private pausePlayback(): void {
    const p = this.current;
    if (!p?.timer) return;
    this.o.clock.clearTimer(p.timer);
    p.timer = undefined;
    p.remainingMs = Math.max(0, p.remainingMs - (this.o.clock.now() - p.startedAt));
    this.o.clock.clearTimer(this.startTimer);
    this.startTimer = undefined;
  }

  private resumePlayback(): void {
    if (this.current && !this.current.timer) this.armPlayback();
    else this.kickGenerator();
  }

  // ---- end ---------------------------------------------------------------------------------

  private finish(res: number, hangupChannel: boolean): void {
    if (this.ended) return;
    this.ended = true;
    this.clearPlaying();
    this.o.clock.clearTimer(this.startTimer);
    this.o.clock.clearTimer(this.blockedUntil);
    this.detach();
    this.socket?.end();
    this.socket?.destroySoon?.();
    if (hangupChannel || res === -1) this.o.channel.hangup("local");
    this.resolve(res);
  }
}
