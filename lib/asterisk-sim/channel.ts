/**
 * A simulated Asterisk channel: state, channel variables (with the few dialplan functions
 * Spoolcast uses), CDR fields, and the DTMF / hangup events the far end produces.
 */
import { EventEmitter } from "node:events";
import { splitCallerId } from "./call-file";
import type { SimClock } from "./clock";

export type ChannelState = "down" | "ringing" | "up";

export type CdrRecord = {
  accountcode: string;
  src: string;
  dst: string;
  dcontext: string;
  clid: string;
  channel: string;
  dstchannel: string;
  lastapp: string;
  lastdata: string;
  start: number;
  answer: number | null;
  end: number;
  disposition: "ANSWERED" | "NO ANSWER" | "BUSY" | "FAILED" | "CONGESTION";
  amaflags: string;
  uniqueid: string;
  userfield: string;
};

export type ChannelLog = (level: "notice" | "warning" | "error" | "verbose", message: string) => void;

export class SimChannel extends EventEmitter {
  state: ChannelState = "down";
  hungUp = false;
  readonly vars = new Map<string, string>();
  context = "default";
  exten = "s";
  priority = 1;
  cidName = "";
  cidNum = "";
  accountcode = "";
  peeraccount = "";
  userfield = "";
  lastapp = "";
  lastdata = "";
  /** CDR fields as they were when the dialplan proper ended; `h` does not change them. */
  cdrFrozen: { exten: string; context: string; lastapp: string; lastdata: string } | null = null;
  readonly createdAt: number;
  answeredAt: number | null = null;
  /** False for the dummy `OutgoingSpoolFailed` channel, which has no far end to answer. */
  canAnswer = true;
  private readonly timers: Array<{ id: number }> = [];

  constructor(
    readonly name: string,
    readonly uniqueid: string,
    private readonly clock: SimClock,
    private readonly log: ChannelLog,
  ) {
    super();
    this.createdAt = clock.now();
  }

  /** `pbx_builtin_setvar_helper`: a name ending in `)` is a function write. */
  setVar(name: string, value: string): void {
    if (name.endsWith(")")) {
      const fn = /^([^(]+)\((.*)\)$/.exec(name);
      const func = fn?.[1]?.toUpperCase();
      const arg = fn?.[2]?.toLowerCase();
      if (func === "CDR" && arg === "userfield") this.userfield = value.slice(0, 255);
      else if (func === "CDR" && arg === "accountcode") this.accountcode = value;
      else if (func === "CALLERID" && arg === "num") this.cidNum = value;
      else if (func === "CALLERID" && arg === "name") this.cidName = value;
      else if (func === "CALLERID" && arg === "all") {
        // func_callerid's write of "all": ast_callerid_split, then both parts.
        const cid = splitCallerId(value);
        this.cidName = cid.name;
        this.cidNum = cid.num;
      } else this.log("warning", `Function ${name} not registered`);
      return;
    }
    // Leading _ / __ mark inheritance; the variable itself is stored under the bare name too.
    this.vars.set(name, value);
  }

  /** A real channel variable (no functions, no built-ins), as ExternalIVR's G sees it. */
  getVar(name: string): string | undefined {
    return this.vars.get(name.replace(/^_{1,2}/, ""));
  }

  /** What `${expr}` gives in the dialplan: variables, built-ins and a few functions. */
  resolve(expr: string): string {
    const fn = /^([A-Z_]+)\((.*)\)$/i.exec(expr);
    if (fn) {
      const func = fn[1]!.toUpperCase();
      const arg = fn[2]!.toLowerCase();
      if (func === "CALLERID") {
        if (arg === "num") return this.cidNum;
        if (arg === "name") return this.cidName;
        if (arg === "all") return callerIdAll(this.cidName, this.cidNum);
      }
      if (func === "CDR") {
        if (arg === "userfield") return this.userfield;
        if (arg === "accountcode") return this.accountcode;
      }
      if (func === "LEN") return String(fn[2]!.length);
      this.log("warning", `Function ${func} not registered`);
      return "";
    }
    const own = this.vars.get(expr);
    if (own !== undefined) return own;
    switch (expr) {
      case "EXTEN":
        return this.exten;
      case "CONTEXT":
        return this.context;
      case "PRIORITY":
        return String(this.priority);
      case "CHANNEL":
        return this.name;
      case "UNIQUEID":
        return this.uniqueid;
      case "EPOCH":
        return String(Math.floor(this.clock.now() / 1000));
      default:
        return "";
    }
  }

  answer(): void {
    if (this.hungUp || this.state === "up" || !this.canAnswer) return;
    this.state = "up";
    this.answeredAt = this.clock.now();
    this.emit("answer");
  }

  /** Hangs the channel up once; cancels whatever the far end still had scheduled. */
  hangup(by: "local" | "remote"): void {
    if (this.hungUp) return;
    this.hungUp = true;
    for (const t of this.timers.splice(0)) this.clock.clearTimer(t);
    this.emit("hangup", by);
  }

  /** Schedules a far-end action that is cancelled if the channel hangs up first. */
  schedule(at: number, fn: () => void): void {
    this.timers.push(this.clock.setTimer(at, fn));
  }

  /** The far end pressed a key (event at key end). */
  receiveDtmf(digit: string): void {
    if (this.hungUp) return;
    this.emit("dtmf", digit);
  }

  get isUp(): boolean {
    return this.state === "up" && !this.hungUp;
  }
}

/**
 * `${CALLERID(all)}`: func_callerid.c's id_read formats `"%s" <%s>` from the name and number
 * (each "" when not valid), with no escaping and whether or not they are empty:
 * `"" <5551234>` for a number without a name, `"" <>` for neither.
 */
export function callerIdAll(name: string, num: string): string {
  return `"${name}" <${num}>`;
}

/**
 * The CDR's clid: cdr.c calls `ast_callerid_merge(clid, ..., caller->name, caller->number, "")`
 * with the channel snapshot's strings, which are never NULL ("" when unset), so
 * ast_callerid_merge (main/callerid.c) always takes its `name && num` branch: the name escaped
 * by ast_escape_quoted into a 128-byte buffer, quoted, then ` <number>`.
 */
export function formatClid(name: string, num: string): string {
  return `"${escapeQuoted(name, 128)}" <${num}>`;
}

/**
 * `ast_escape_quoted` (main/utils.c): keeps tab, vertical tab, space, `!`, 0x23-0x5b,
 * 0x5d-0x7e and bytes over 0x7f; anything else (`"`, `\`, control characters) gets a
 * backslash. Stops when the output (plus NUL) would not fit in `bufLen` bytes.
 */
export function escapeQuoted(text: string, bufLen: number): string {
  let out = "";
  for (const ch of text) {
    if (out.length >= bufLen - 1) break;
    const code = ch.charCodeAt(0);
    const plain =
      ch === "\t" ||
      ch === "\v" ||
      ch === " " ||
      ch === "!" ||
      (code >= 0x23 && code <= 0x5b) ||
      (code >= 0x5d && code <= 0x7e) ||
      code > 0x7f;
    if (plain) {
      out += ch;
      continue;
    }
    if (out.length >= bufLen - 2) break;
    out += `\\${ch}`;
  }
  return out;
}
