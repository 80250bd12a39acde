/**
 * How the simulated pbx_spool reads a call file: byte for byte as `apply_outgoing` does
 * (docs/asterisk.md#call-file-grammar to #file-validation). Text is handled as latin1 "binary strings" so every byte
 * survives unchanged into channel variables and onto the IVR socket.
 */

/** The parsed content of one call file (pbx_spool's `struct outgoing`). */
export type Outgoing = {
  tech: string;
  dest: string;
  app: string;
  data: string;
  context: string;
  exten: string;
  priority: number;
  cidName: string;
  cidNum: string;
  maxRetries: number;
  retryTime: number;
  waitTime: number;
  account: string;
  codecs: string[];
  /** `Set`/`SetVar` pairs in file order (AST_OUTGOING_ATTEMPT is added when the attempt starts). */
  vars: Array<[string, string]>;
  alwaysDelete: boolean;
  archive: boolean;
  earlyMedia: boolean;
  /** Attempts already used: Retry + EndRetry + AbortRetry lines. */
  used: number;
  /** PID from the last StartRetry not followed by EndRetry/AbortRetry; 0 when none. */
  callingPid: number;
};

export type ParseNote = { level: "notice" | "warning"; line: number; message: string };

export type ParseResult = { outgoing: Outgoing; valid: boolean; notes: ParseNote[] };

/** fgets buffer size in pbx_spool: lines of 1023+ bytes without their newline are skipped. */
const LINE_BUFFER = 1024;

const KNOWN_CODECS = new Set([
  "all",
  "ulaw",
  "alaw",
  "gsm",
  "g722",
  "g729",
  "g726",
  "g726aal2",
  "g723",
  "ilbc",
  "speex",
  "speex16",
  "speex32",
  "opus",
  "slin",
  "slin16",
  "slin32",
  "slin48",
  "lpc10",
  "adpcm",
  "g719",
  "siren7",
  "siren14",
  "testlaw",
  "h264",
  "vp8",
]);

export function defaultOutgoing(): Outgoing {
  return {
    tech: "",
    dest: "",
    app: "",
    data: "",
    context: "",
    exten: "",
    priority: 1,
    cidName: "",
    cidNum: "",
    maxRetries: 0,
    retryTime: 300,
    waitTime: 45,
    account: "",
    codecs: [],
    vars: [],
    alwaysDelete: true,
    archive: false,
    earlyMedia: false,
    used: 0,
    callingPid: 0,
  };
}

/** `ast_true`: yes, true, y, t, 1, on (any case). */
export function isAstTrue(value: string): boolean {
  return ["yes", "true", "y", "t", "1", "on"].includes(value.toLowerCase());
}

/** `sscanf("%d")`: a leading (signed) integer, trailing garbage ignored; null when none. */
export function scanInt(value: string): number | null {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(value);
  if (!m) return null;
  const n = Number(m[1]);
  // %d into an int: out-of-range input wraps in practice; clamp rather than invent a value.
  return Math.max(-2147483648, Math.min(2147483647, n));
}

/** Splits the file into the lines `fgets` with a 1024-byte buffer would hand over. */
function readLines(text: string, notes: ParseNote[]): string[] {
  const lines: string[] = [];
  let pos = 0;
  let lineno = 0;
  while (pos < text.length) {
    const nl = text.indexOf("\n", pos);
    const end = nl === -1 ? text.length : nl + 1;
    const raw = text.slice(pos, end);
    pos = end;
    lineno++;
    // fgets returns at most 1023 bytes; a line whose newline does not fit is skipped whole.
    if (raw.length > LINE_BUFFER - 1 || (raw.length === LINE_BUFFER - 1 && !raw.endsWith("\n"))) {
      notes.push({ level: "warning", line: lineno, message: "Skipping extremely long line" });
      lines.push("");
      continue;
    }
    lines.push(raw);
  }
  return lines;
}

/** Strips `#` comments (at line start or after space/tab) and `;` comments (`\;` is a literal). */
function stripComments(line: string): string {
  let s = line;
  let from = 0;
  for (;;) {
    const i = s.indexOf("#", from);
    if (i === -1) break;
    if (i === 0 || s[i - 1] === " " || s[i - 1] === "\t") {
      s = s.slice(0, i);
      break;
    }
    from = i + 1;
  }
  from = 0;
  for (;;) {
    const i = s.indexOf(";", from);
    if (i === -1) break;
    if (i > 0 && s[i - 1] === "\\") {
      s = s.slice(0, i - 1) + s.slice(i);
      from = i;
      continue;
    }
    s = s.slice(0, i);
    break;
  }
  return s;
}

function trimTrailingControl(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) <= 32) end--;
  return s.slice(0, end);
}

function skipLeadingControl(s: string): string {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) <= 32) i++;
  return s.slice(i);
}

/** Parses call-file bytes; `valid` is pbx_spool's validation (tech, dest, and app or exten). */
export function parseCallFile(bytes: Buffer | string): ParseResult {
  const text = typeof bytes === "string" ? bytes : bytes.toString("latin1");
  const notes: ParseNote[] = [];
  const o = defaultOutgoing();
  const lines = readLines(text, notes);
  lines.forEach((raw, idx) => {
    const lineno = idx + 1;
    const buf = trimTrailingControl(stripComments(raw));
    if (buf === "") return;
    const colon = buf.indexOf(":");
    if (colon === -1) {
      notes.push({ level: "notice", line: lineno, message: "Syntax error" });
      return;
    }
    const key = buf.slice(0, colon);
    const value = skipLeadingControl(buf.slice(colon + 1));
    applyKey(o, key, value, lineno, notes);
  });
  const valid = o.tech !== "" && o.dest !== "" && (o.app !== "" || o.exten !== "");
  if (!valid) {
    notes.push({
      level: "warning",
      line: 0,
      message: "At least one of app or extension must be specified, along with tech and dest",
    });
  }
  return { outgoing: o, valid, notes };
}

function applyKey(o: Outgoing, key: string, value: string, lineno: number, notes: ParseNote[]): void {
  const warn = (message: string) => notes.push({ level: "warning", line: lineno, message });
  switch (key.toLowerCase()) {
    case "channel": {
      const slash = value.indexOf("/");
      if (slash === -1) {
        notes.push({ level: "notice", line: lineno, message: "Channel should be in form Tech/Dest" });
        return;
      }
      o.tech = value.slice(0, slash);
      o.dest = value.slice(slash + 1);
      return;
    }
    case "callerid": {
      const cid = splitCallerId(value);
      o.cidName = cid.name;
      o.cidNum = cid.num;
      return;
    }
    case "application":
      o.app = value;
      return;
    case "data":
      o.data = value;
      return;
    case "context":
      o.context = value;
      return;
    case "extension":
      o.exten = value;
      return;
    case "priority": {
      const n = scanInt(value);
      if (n === null || n < 1) {
        warn("Invalid priority");
        o.priority = 1;
      } else o.priority = n;
      return;
    }
    case "maxretries": {
      const n = scanInt(value);
      if (n === null) {
        warn("Invalid max retries");
        o.maxRetries = 0;
      } else o.maxRetries = n;
      return;
    }
    case "retrytime": {
      const n = scanInt(value);
      if (n === null || n < 1) {
        warn("Invalid retrytime");
        o.retryTime = 300;
      } else o.retryTime = n;
      return;
    }
    case "waittime": {
      const n = scanInt(value);
      if (n === null || n < 1) {
        warn("Invalid waittime");
        o.waitTime = 45;
      } else o.waitTime = n;
      return;
    }
    case "retry":
      o.used++;
      return;
    case "startretry": {
      const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(value);
      if (!m) warn("Unable to retrieve calling PID");
      o.callingPid = m ? Number(m[1]) : 0;
      return;
    }
    case "endretry":
    case "abortretry":
      o.callingPid = 0;
      o.used++;
      return;
    case "delayedretry":
      return;
    case "set":
    case "setvar": {
      const eq = value.indexOf("=");
      if (eq === -1) {
        warn(`Malformed "${key}" argument. Should be "${key}: variable=value"`);
        return;
      }
      o.vars.push([value.slice(0, eq), value.slice(eq + 1)]);
      return;
    }
    case "account":
      o.account = value;
      return;
    case "codecs":
      for (const entry of value.split(/[,|]/)) {
        const name = entry.replace(/^!/, "").split(":")[0]!.trim().toLowerCase();
        if (name === "") continue;
        if (!KNOWN_CODECS.has(name)) warn(`Cannot allow unknown format '${name}'`);
        else if (!entry.startsWith("!")) o.codecs.push(name);
      }
      return;
    case "alwaysdelete":
      o.alwaysDelete = isAstTrue(value);
      return;
    case "archive":
      o.archive = isAstTrue(value);
      return;
    case "early_media":
      o.earlyMedia = isAstTrue(value);
      return;
    default:
      warn(`Unknown keyword '${key}'`);
  }
}

/** `ast_shrink_phone_number`: drops ( ) and spaces, `-` outside [...], `.` unless last. */
export function shrinkPhoneNumber(n: string): string {
  let out = "";
  let bracket = 0;
  for (let i = 0; i < n.length; i++) {
    const c = n[i]!;
    if (c === "[") bracket++;
    else if (c === "]") bracket = Math.max(0, bracket - 1);
    if (c === "(" || c === ")" || c === " ") continue;
    if (c === "-" && bracket === 0) continue;
    if (c === "." && i < n.length - 1) continue;
    out += c;
  }
  return out;
}

/** `ast_callerid_split` (docs/asterisk.md#caller-id-parsing): `"Name" <number>`, a bare number, or a bare name. */
export function splitCallerId(raw: string): { name: string; num: string } {
  let s = raw.trim();
  let quoted = false;
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) {
    s = s.slice(1, -1);
    quoted = true;
  }
  const lt = s.lastIndexOf("<");
  let name = "";
  let num = "";
  if (lt !== -1) {
    const rest = s.slice(lt + 1);
    const gt = rest.indexOf(">");
    num = gt === -1 ? rest : rest.slice(0, gt);
    name = s
      .slice(0, lt)
      .trim()
      .replace(/^"+|"+$/g, "")
      .replace(/\\"/g, '"')
      .trim();
  } else if (!quoted && !s.includes('"') && /^[0-9*#+]+$/.test(shrinkPhoneNumber(s))) {
    num = s;
  } else {
    name = s;
  }
  return { name: name.slice(0, 79), num: shrinkPhoneNumber(num).slice(0, 79) };
}
