/**
 * A fake Asterisk ExternalIVR channel for tests and the benchmark, following
 * docs/asterisk.md#externalivr: sends nothing on connect; answers `P` with
 * `P,<ts>,ivr://host:port,args` cut at 99 characters; ignores command lines under 3
 * characters and unknown letters; `S`/`A`/`I` with T/D/F events; Z for missing sounds;
 * `G`/`V` variables; `H`/`E` reply and close. Optionally reproduces the pipelining stall
 * (only the first line of each read runs until new bytes arrive, docs/asterisk.md#externalivr-command-buffering).
 */
import net from "node:net";

export type FakeChannelOptions = {
  /** `ivr://host:port` as the dialplan wrote it. */
  url: string;
  args: string[];
  /** Sounds that exist; default: every name. */
  soundExists?: (name: string) => boolean;
  vars?: Record<string, string>;
  /** Reproduce Asterisk's one-line-per-read behaviour. */
  stallBatched?: boolean;
  /** Play files for this long, then send F; without it the test calls finishCurrent(). */
  playMs?: (file: string) => number;
  /** ExternalIVR option `i`: a hangup sends `I,<ts>,HANGUP` and the session lives on. */
  optionI?: boolean;
};

function ts(): string {
  return String(Math.floor(Date.now() / 1000)).padStart(10, " ");
}

/** The protocol core, independent of the socket. */
export class FakeChannel {
  /** Command lines Asterisk ran, in order, trailing whitespace removed. */
  readonly commands: string[] = [];
  /** Event lines sent to the IVR server. */
  readonly sent: string[] = [];
  queue: string[] = [];
  closed = false;
  hungUp = false;
  private buffer = "";
  private playTimer: NodeJS.Timeout | null = null;
  private cursor = 0;
  private waiters: Array<() => void> = [];
  readonly vars: Record<string, string>;

  constructor(
    private readonly opts: FakeChannelOptions,
    private readonly write: (line: string) => void,
    private readonly close: () => void,
  ) {
    this.vars = { ...opts.vars };
  }

  /** Bytes from the IVR server. */
  receive(data: string): void {
    if (this.closed) return;
    this.buffer += data;
    for (;;) {
      const nl = this.buffer.indexOf("\n");
      if (nl === -1) break;
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      this.run(line);
      if (this.opts.stallBatched || this.closed) break;
    }
  }

  private emit(line: string): void {
    if (this.closed) return;
    this.sent.push(line);
    this.write(`${line}\n`);
  }

  private run(raw: string): void {
    // Asterisk strips every trailing byte <= 32 (docs/asterisk.md#externalivr-commands).
    let end = raw.length;
    while (end > 0 && raw.charCodeAt(end - 1) <= 32) end--;
    const line = raw.slice(0, end);
    if (line.length < 3) return;
    this.commands.push(line);
    for (const w of this.waiters.splice(0)) w();
    const letter = line[0];
    const arg = line.slice(2);
    switch (letter) {
      case "P":
        this.emit(`P,${ts()},${[this.opts.url, ...this.opts.args].join(",").slice(0, 99)}`);
        return;
      case "S":
      case "A":
        if (this.hungUp) return this.emit(`Z,${ts()}`);
        if (this.opts.soundExists && !this.opts.soundExists(arg)) return this.emit(`Z,${ts()},${arg}`);
        if (letter === "S") this.interrupt();
        this.queue.push(arg);
        if (this.queue.length === 1) this.startPlaying();
        return;
      case "I":
        if (this.hungUp) return this.emit(`Z,${ts()}`);
        this.interrupt();
        return;
      case "G":
        this.emit(
          `G,${ts()},${arg
            .split(",")
            .map((n) => `${n}=${this.vars[n] ?? ""}`)
            .join(",")}`,
        );
        return;
      case "V":
        for (const item of arg.split(",")) {
          const eq = item.indexOf("=");
          this.vars[eq === -1 ? item : item.slice(0, eq)] = eq === -1 ? "" : item.slice(eq + 1);
        }
        return;
      case "H":
      case "E":
        this.emit(`${letter},${ts()}`);
        this.shutdown();
        return;
      default:
        return;
    }
  }

  private interrupt(): void {
    const [playing, ...rest] = this.queue;
    if (playing) this.emit(`T,${ts()},${playing}`);
    for (const f of rest) this.emit(`D,${ts()},${f}`);
    this.queue = [];
    if (this.playTimer) clearTimeout(this.playTimer);
    this.playTimer = null;
  }

  private startPlaying(): void {
    const head = this.queue[0];
    if (!head || !this.opts.playMs) return;
    this.playTimer = setTimeout(() => this.finishCurrent(), this.opts.playMs(head));
  }

  /** The file at the head of the queue ends naturally: `F`. */
  finishCurrent(): void {
    const head = this.queue.shift();
    if (!head) throw new Error("nothing is playing");
    if (this.playTimer) clearTimeout(this.playTimer);
    this.playTimer = null;
    this.emit(`F,${ts()},${head}`);
    this.startPlaying();
  }

  pressDigit(digit: string): void {
    if (!this.hungUp) this.emit(`${digit},${ts()}`);
  }

  /** The callee hangs up: `H` and close, or `I,<ts>,HANGUP` with option i. */
  hangup(): void {
    if (this.opts.optionI) {
      if (!this.hungUp) this.emit(`I,${ts()},HANGUP`);
      this.hungUp = true;
      return;
    }
    this.emit(`H,${ts()}`);
    this.shutdown();
  }

  shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.playTimer) clearTimeout(this.playTimer);
    this.close();
    for (const w of this.waiters.splice(0)) w();
  }

  /** The next command (after the last one waited for) matching `pattern`. */
  async nextCommand(pattern: RegExp, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = this.cursor; i < this.commands.length; i++) {
        if (pattern.test(this.commands[i]!)) {
          this.cursor = i + 1;
          return this.commands[i]!;
        }
      }
      if (this.closed) throw new Error(`closed before a command matching ${pattern}; got ${JSON.stringify(this.commands)}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no command matching ${pattern} within ${timeoutMs} ms; got ${JSON.stringify(this.commands)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}

/** A FakeChannel on a real TCP connection to the IVR server. */
export class FakeAsterisk extends FakeChannel {
  readonly socket: net.Socket;
  readonly ended: Promise<void>;

  private constructor(opts: FakeChannelOptions, socket: net.Socket) {
    super(
      opts,
      (line) => {
        if (!socket.destroyed) socket.write(line);
      },
      () => socket.end(),
    );
    this.socket = socket;
    socket.setEncoding("utf8");
    socket.on("data", (d: string) => this.receive(d));
    socket.on("error", () => {});
    this.ended = new Promise((resolve) => socket.on("close", () => resolve()));
    socket.on("close", () => this.shutdown());
  }

  static connect(port: number, opts: Omit<FakeChannelOptions, "url"> & { url?: string; host?: string }): Promise<FakeAsterisk> {
    const host = opts.host ?? "127.0.0.1";
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host, noDelay: true }, () => {
        socket.off("error", reject);
        resolve(new FakeAsterisk({ url: `ivr://${host}:${port}`, ...opts }, socket));
      });
      socket.once("error", reject);
    });
  }
}
