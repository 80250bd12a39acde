/**
 * The ExternalIVR wire protocol as Asterisk speaks it over `ivr://` (docs/asterisk.md#externalivr):
 * line framing of what Asterisk sends, parsing of its events, and the only way Spoolcast
 * builds a command line. Pure functions and one small stateful splitter; no sockets here.
 */

/** Never send a line longer than this (Asterisk cuts at 1,023 bytes and runs the rest as another command). */
export const MAX_COMMAND_BYTES = 1000;

/** Asterisk cuts the `P` reply's argument text (`ivr://host:port,arg1,…`) at 99 characters (docs/asterisk.md#p-reply-limit). */
export const P_ARGS_MAX_CHARS = 99;

/**
 * Sound names Spoolcast may hand to `S`/`A`: server-generated, lower-case path segments, no
 * extension (Asterisk refuses `x.wav` with Z), no `..`, no leading or trailing `/`
 * (Asterisk plays absolute and `../` paths as given, so anything else is refused, never fixed).
 */
export const SOUND_NAME = /^[a-z0-9_-]+(?:\/[a-z0-9_-]+)*$/;
export const MAX_SOUND_NAME_CHARS = 200;

/** DTMF event tags (docs/asterisk.md#externalivr-events); `D` with data is a dropped file instead. */
export const DTMF_DIGITS = "0123456789*#ABCD";

/** An event line from Asterisk, parsed. `ts` is Asterisk's epoch seconds. */
export type IvrEvent =
  | { type: "dtmf"; ts: number; digit: string }
  | { type: "hangup"; ts: number }
  | { type: "exit"; ts: number }
  | { type: "hangup-notice"; ts: number; data: string }
  | { type: "error"; ts: number; data: string | null }
  | { type: "finished" | "cut" | "dropped"; ts: number; file: string }
  | { type: "params"; ts: number; text: string; url: string; args: string[] }
  | { type: "vars"; ts: number; text: string; vars: Record<string, string> };

export type ParseResult = { ok: true; event: IvrEvent } | { ok: false; error: string };

/** The commands Spoolcast sends (docs/asterisk.md#externalivr-commands). */
export type IvrCommandLetter = "S" | "A" | "I" | "O" | "T" | "G" | "V" | "L" | "P" | "E" | "H";

/** Thrown when Spoolcast itself tries to build a command that must never reach Asterisk. */
export class IvrCommandError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = "IvrCommandError";
  }
}

/** Throws unless `name` is a sound name Spoolcast may send (see SOUND_NAME). */
export function assertSoundName(name: string, field = "sound"): string {
  if (name.length > MAX_SOUND_NAME_CHARS) throw new IvrCommandError(field, `longer than ${MAX_SOUND_NAME_CHARS} characters`);
  if (!SOUND_NAME.test(name)) {
    throw new IvrCommandError(
      field,
      `"${name}" is not a server sound name (lower-case a-z 0-9 _ - segments joined by /, no extension, no ..)`,
    );
  }
  return name;
}

/** `true` when `name` would pass `assertSoundName`. */
export function isSoundName(name: string): boolean {
  return name.length <= MAX_SOUND_NAME_CHARS && SOUND_NAME.test(name);
}

/**
 * One newline-terminated command line. The argument must be non-empty (lines under three
 * characters are ignored by Asterisk), free of control characters, and the whole line at
 * most MAX_COMMAND_BYTES; `S`/`A` take only sound names.
 */
export function formatCommand(letter: IvrCommandLetter, arg: string): string {
  if (arg.length === 0) throw new IvrCommandError(letter, "argument is empty (Asterisk ignores lines under 3 characters)");
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(arg)) throw new IvrCommandError(letter, "argument contains a control character");
  if (letter === "S" || letter === "A") assertSoundName(arg, letter);
  const line = `${letter},${arg}\n`;
  if (Buffer.byteLength(line) > MAX_COMMAND_BYTES) {
    throw new IvrCommandError(letter, `line is longer than ${MAX_COMMAND_BYTES} bytes`);
  }
  return line;
}

const TS = /^ *\d{1,10}$/;

/**
 * Parses one event line (without its newline). Strict: anything Asterisk would not send is
 * an error, so a client that is not Asterisk is noticed at its first line.
 */
export function parseEvent(line: string): ParseResult {
  if (line.length < 3 || line[1] !== ",") return { ok: false, error: "not <tag>,<timestamp>[,data]" };
  const tag = line[0]!;
  const rest = line.slice(2);
  const comma = rest.indexOf(",");
  const tsText = comma === -1 ? rest : rest.slice(0, comma);
  if (!TS.test(tsText)) return { ok: false, error: `bad timestamp "${tsText.slice(0, 20)}"` };
  const ts = Number(tsText.trim());
  const data = comma === -1 ? null : rest.slice(comma + 1);

  if (DTMF_DIGITS.includes(tag)) {
    if (data === null) return { ok: true, event: { type: "dtmf", ts, digit: tag } };
    if (tag === "D" && data.length > 0) return { ok: true, event: { type: "dropped", ts, file: data } };
    return { ok: false, error: `DTMF event "${tag}" carries data` };
  }
  switch (tag) {
    case "H":
    case "E":
      if (data !== null) return { ok: false, error: `${tag} event carries data` };
      return { ok: true, event: { type: tag === "H" ? "hangup" : "exit", ts } };
    case "I":
      if (data === null) return { ok: false, error: "I event without data" };
      return { ok: true, event: { type: "hangup-notice", ts, data } };
    case "Z":
      return { ok: true, event: { type: "error", ts, data } };
    case "F":
    case "T":
      if (!data) return { ok: false, error: `${tag} event without a file name` };
      return { ok: true, event: { type: tag === "F" ? "finished" : "cut", ts, file: data } };
    case "P": {
      if (!data) return { ok: false, error: "P reply without arguments" };
      const items = data.split(",");
      return { ok: true, event: { type: "params", ts, text: data, url: items[0]!, args: items.slice(1) } };
    }
    case "G": {
      const vars: Record<string, string> = {};
      for (const item of (data ?? "").split(",")) {
        if (item === "") continue;
        const eq = item.indexOf("=");
        if (eq === -1) vars[item] = "";
        else vars[item.slice(0, eq)] = item.slice(eq + 1);
      }
      return { ok: true, event: { type: "vars", ts, text: data ?? "", vars } };
    }
    default:
      return { ok: false, error: `unknown event tag "${tag}"` };
  }
}

/**
 * Splits a byte stream into lines: partial lines are kept until their newline arrives,
 * several lines per chunk are returned in order, a CR before LF is dropped. A line (complete
 * or still growing) longer than `maxLineBytes` sets `overflow`; the caller closes the session.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** Bytes of the unfinished line held so far. */
  get pendingBytes(): number {
    return this.size;
  }

  push(chunk: Buffer): { lines: string[]; overflow: boolean } {
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) break;
      const piece = chunk.subarray(start, nl);
      const length = this.size + piece.length;
      if (length > this.maxLineBytes) return { lines, overflow: true };
      let buf = this.size === 0 ? piece : Buffer.concat([...this.parts, piece], length);
      if (buf.length > 0 && buf[buf.length - 1] === 13) buf = buf.subarray(0, buf.length - 1);
      lines.push(buf.toString("utf8"));
      this.parts = [];
      this.size = 0;
      start = nl + 1;
    }
    if (start < chunk.length) {
      const tail = chunk.subarray(start);
      if (this.size + tail.length > this.maxLineBytes) return { lines, overflow: true };
      // Copy: the socket may reuse the chunk's memory, and holding a slice would pin it.
      this.parts.push(Buffer.from(tail));
      this.size += tail.length;
    }
    return { lines, overflow: false };
  }
}

/** Epoch seconds as Asterisk prints them (`%10d`). */
export function asteriskTimestamp(ms: number = Date.now()): string {
  return String(Math.floor(ms / 1000)).padStart(10, " ");
}
