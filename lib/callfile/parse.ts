/**
 * Reads call files the way Asterisk's pbx_spool does (docs/asterisk.md, "Call files":
 * grammar, keys, caller ID, retry lines, archive): spool files in outgoing/ with the bookkeeping lines Asterisk appends, and archived
 * copies from outgoing_done/ with their final `Status:` line. Never throws on content:
 * everything Asterisk would ignore or fall back on is reported in `issues` with its line
 * number, and `file` holds what Asterisk would actually use.
 */
import {
  ALLOWED_APPLICATIONS,
  type AllowedApplication,
  type ArchiveStatus,
  type CallFile,
  type ParsedCallFile,
  type RetryLine,
} from "./types";
import { MAX_LINE_BYTES } from "./serialize";

const RETRY_KINDS: Record<string, RetryLine["kind"]> = {
  startretry: "StartRetry",
  endretry: "EndRetry",
  abortretry: "AbortRetry",
  delayedretry: "DelayedRetry",
};
const STATUSES: readonly ArchiveStatus[] = ["Completed", "Expired", "Failed"];
const KNOWN_KEYS = new Set([
  "channel",
  "callerid",
  "application",
  "data",
  "context",
  "extension",
  "priority",
  "maxretries",
  "retrytime",
  "waittime",
  "account",
  "codecs",
  "set",
  "setvar",
  "alwaysdelete",
  "archive",
  "early_media",
  "retry",
  ...Object.keys(RETRY_KINDS),
  "status",
]);

/** Parses spool or archived call-file text. Malformed lines become `issues`, never exceptions. */
export function parseCallFile(text: string): ParsedCallFile {
  const file: Partial<CallFile> = {};
  const retries: RetryLine[] = [];
  const issues: ParsedCallFile["issues"] = [];
  const entries: ParsedCallFile["entries"] = [];
  let status: ArchiveStatus | undefined;
  let statusLine = 0;
  let attemptsUsed = 0;
  let rawApplication = "";
  let tech = "";
  let dest = "";

  const rawLines = text.split("\n");
  if (rawLines.at(-1) === "") rawLines.pop();

  rawLines.forEach((raw, index) => {
    const line = index + 1;
    const issue = (message: string) => issues.push({ line, message });
    const bytes = Buffer.byteLength(raw);
    if (bytes > MAX_LINE_BYTES) {
      issue(`line is ${bytes} bytes; Asterisk skips lines over ${MAX_LINE_BYTES} bytes`);
      return;
    }
    const content = stripLine(raw, issue);
    if (content === "") return;
    const colon = content.indexOf(":");
    if (colon < 0) {
      issue("no ':' on this line; Asterisk ignores it");
      return;
    }
    const key = content.slice(0, colon);
    const value = skipBlanks(content.slice(colon + 1));
    entries.push({ line, key, value });
    if (statusLine && key.toLowerCase() !== "status") issue("line after the Status line");

    const lower = key.toLowerCase();
    switch (lower) {
      case "channel": {
        const slash = value.indexOf("/");
        if (slash < 0) {
          issue("Channel must be TECH/resource; Asterisk ignores this line");
          break;
        }
        tech = value.slice(0, slash);
        dest = value.slice(slash + 1);
        file.channel = value;
        break;
      }
      case "callerid": {
        const cid = parseCallerId(value);
        if (cid.name === undefined && cid.number === undefined) delete file.callerId;
        else file.callerId = cid;
        break;
      }
      case "application":
        rawApplication = value;
        if ((ALLOWED_APPLICATIONS as readonly string[]).includes(value)) file.application = value as AllowedApplication;
        else {
          delete file.application;
          if (value !== "") issue(`application '${value}' is not one Spoolcast writes`);
        }
        break;
      case "data":
      case "context":
      case "extension":
      case "account":
        setText(file, lower, value);
        break;
      case "priority":
        file.priority = readInt(value, { min: 1, fallback: 1, key, issue });
        break;
      case "maxretries":
        file.maxRetries = readInt(value, { fallback: 0, key, issue });
        break;
      case "retrytime":
        file.retryTime = readInt(value, { min: 1, fallback: 300, key, issue });
        break;
      case "waittime":
        file.waitTime = readInt(value, { min: 1, fallback: 45, key, issue });
        break;
      case "codecs":
        file.codecs = value.split(/[,|]/).filter((c) => c !== "");
        break;
      case "set":
      case "setvar": {
        const eq = value.indexOf("=");
        if (eq < 0) {
          issue(`${key} needs name=value; Asterisk ignores this line`);
          break;
        }
        (file.variables ??= []).push([value.slice(0, eq), value.slice(eq + 1)]);
        break;
      }
      case "alwaysdelete":
        file.alwaysDelete = isAstTrue(value);
        break;
      case "archive":
        file.archive = isAstTrue(value);
        break;
      case "early_media":
        file.earlyMedia = isAstTrue(value);
        break;
      case "retry":
        attemptsUsed++;
        break;
      case "startretry":
      case "endretry":
      case "abortretry":
      case "delayedretry": {
        const kind = RETRY_KINDS[lower]!;
        if (kind === "EndRetry" || kind === "AbortRetry") attemptsUsed++;
        const m = /^(\d+) (-?\d+) \((-?\d+)\)$/.exec(value);
        if (!m) issue(`malformed ${kind} line: expected '<pid> <n> (<unix-seconds>)'`);
        else retries.push({ kind, pid: Number(m[1]), n: Number(m[2]), time: Number(m[3]), line });
        break;
      }
      case "status":
        if ((STATUSES as readonly string[]).includes(value)) {
          if (status) issue("more than one Status line; the last one counts");
          status = value as ArchiveStatus;
          statusLine = line;
        } else issue(`unknown status '${value}'`);
        break;
      default:
        issue(
          KNOWN_KEYS.has(key.replace(/^[ \t]+|[ \t]+$/g, "").toLowerCase())
            ? `key '${key}' has surrounding whitespace; Asterisk does not trim keys and ignores it`
            : key.startsWith("\uFEFF")
              ? `unknown key '${key}' (starts with a UTF-8 byte order mark); Asterisk ignores it`
              : `unknown key '${key}'; Asterisk ignores it`,
        );
    }
  });

  return {
    file,
    retries,
    status,
    issues,
    entries,
    valid: tech !== "" && dest !== "" && (rawApplication !== "" || (file.extension ?? "") !== ""),
    attemptsUsed,
  };
}

/** Comment removal and trimming exactly as pbx_spool does it, including its `\;` quirk. */
function stripLine(raw: string, issue: (message: string) => void): string {
  let s = raw;
  const nul = s.indexOf("\0");
  if (nul >= 0) {
    issue("NUL byte: Asterisk ignores the rest of the line");
    s = s.slice(0, nul);
  }
  for (let i = s.indexOf("#"); i >= 0; i = s.indexOf("#", i + 1)) {
    if (i === 0 || s[i - 1] === " " || s[i - 1] === "\t") {
      s = s.slice(0, i);
      break;
    }
  }
  for (let from = 0; ;) {
    const i = s.indexOf(";", from);
    if (i < 0) break;
    if (i > 0 && s[i - 1] === "\\") {
      s = s.slice(0, i - 1) + s.slice(i);
      // Asterisk resumes its search one character after the unescaped `;`, so the character
      // right after `\;` is never treated as a comment start.
      from = i + 1;
    } else {
      s = s.slice(0, i);
      break;
    }
  }
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) <= 32) end--;
  return s.slice(0, end);
}

function skipBlanks(s: string): string {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) <= 32) i++;
  return s.slice(i);
}

function setText(file: Partial<CallFile>, key: "data" | "context" | "extension" | "account", value: string): void {
  if (value === "") delete file[key];
  else file[key] = value;
}

/** `sscanf("%d")`: optional sign, digits, anything after is ignored; otherwise the fallback. */
function readInt(value: string, o: { min?: number; fallback: number; key: string; issue: (message: string) => void }): number {
  const m = /^[+-]?\d+/.exec(value);
  if (!m) {
    o.issue(`${o.key} '${value}' is not a number; Asterisk uses ${o.fallback}`);
    return o.fallback;
  }
  const n = Number(m[0]);
  if (o.min !== undefined && n < o.min) {
    o.issue(`${o.key} ${n} is below ${o.min}; Asterisk uses ${o.fallback}`);
    return o.fallback;
  }
  if (m[0].length !== value.length) o.issue(`${o.key} '${value}' has trailing characters; Asterisk reads ${n}`);
  return n;
}

/** Asterisk's `ast_true`. */
export function isAstTrue(value: string): boolean {
  return ["yes", "true", "y", "t", "1", "on"].includes(value.toLowerCase());
}

/** `ast_callerid_split` (docs/asterisk.md#caller-id-parsing): `"Name" <number>`, a bare number, or a bare name. */
export function parseCallerId(value: string): { name?: string; number?: string } {
  let s = trimBlanks(value);
  let quoted = false;
  if (s.startsWith('"') && s.endsWith('"')) {
    s = s.length === 1 ? "" : s.slice(1, -1);
    quoted = true;
  }
  let name = "";
  let number = "";
  const lt = s.lastIndexOf("<");
  if (lt >= 0) {
    const rest = s.slice(lt + 1);
    const gt = rest.indexOf(">");
    number = shrinkPhoneNumber(gt >= 0 ? rest.slice(0, gt) : rest);
    let n = trimBlanks(s.slice(0, lt));
    if (n.startsWith('"') && n.endsWith('"')) n = n.length === 1 ? "" : n.slice(1, -1);
    name = n.replace(/\\(["\\])/g, "$1");
  } else {
    const shrunk = shrinkPhoneNumber(s);
    if (!quoted && /^[0-9*#+]+$/.test(shrunk)) number = shrunk;
    else name = s;
  }
  const out: { name?: string; number?: string } = {};
  if (name !== "") out.name = cutBytes(name, 79);
  if (number !== "") out.number = cutBytes(number, 79);
  return out;
}

function trimBlanks(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) <= 32) end--;
  return skipBlanks(s.slice(0, end));
}

/** `ast_shrink_phone_number`: drops ( ) and spaces, - outside [...], and any . but a last one. */
function shrinkPhoneNumber(n: string): string {
  let out = "";
  let bracketed = 0;
  for (let i = 0; i < n.length; i++) {
    const ch = n[i]!;
    if (ch === "[") bracketed++;
    else if (ch === "]") bracketed--;
    else if (ch === "-") {
      if (!bracketed) continue;
    } else if (ch === ".") {
      if (i !== n.length - 1) continue;
    } else if (ch === "(" || ch === ")" || ch === " ") continue;
    out += ch;
  }
  return out;
}

function cutBytes(s: string, max: number): string {
  const buf = Buffer.from(s);
  return buf.length <= max ? s : buf.subarray(0, max).toString();
}
