/**
 * The only way Spoolcast produces call-file text. Every field is checked against a strict
 * grammar and against the way Asterisk reads a line (docs/asterisk.md#call-file-grammar), so
 * that what Asterisk reads back is exactly what the caller asked for: anything that would be
 * mis-read (a line break, a comment start, whitespace Asterisk trims) is rejected with a
 * `CallFileError` naming the field — never stripped or silently changed.
 *
 * Encoding decisions (all round-trip through `parseCallFile`):
 * - `;` is written as `\;` in every value (Asterisk removes the backslash). A `\` that is not
 *   followed by `;` is literal, so no other escaping is needed.
 * - `#` at the start of a value or after a space/tab starts a comment and cannot be escaped:
 *   rejected. `a#b` is fine.
 * - Leading spaces of a line's value are eaten and trailing bytes ≤ 32 are trimmed: rejected
 *   (a `Set` value may start with a space, because it follows `NAME=`).
 * - Lines are at most 1022 bytes of UTF-8 including the key (Asterisk skips longer lines).
 * - `Archive: yes` unless `archive === false` (then `Archive: no`, explicit); `AlwaysDelete: no`
 *   is refused (docs/asterisk.md#archive-and-status-line: a completed file would stay in outgoing/ forever).
 */
import { ALLOWED_APPLICATIONS, ALLOWED_SET_FUNCTIONS, CallFileError, type CallFile } from "./types";

/** Asterisk's fgets buffer is 1024 bytes: 1022 bytes of content, the `\n` and the NUL. */
export const MAX_LINE_BYTES = 1022;

const TECH = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
// Printable ASCII a dial string needs (SIP URIs, Local/…/n, [v6]:port); no spaces, quotes,
// `$`/`{}` (no substitution happens here, but nothing legitimate needs them), `&`, `,`, `|`.
const RESOURCE = /^[A-Za-z0-9_+*#@/:.=~!%;[\]-]{1,255}$/;
const CALLER_NUMBER = /^[0-9A-Za-z*#+]{1,79}$/;
const CONTEXT = /^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,78}$/;
const EXTENSION = /^[A-Za-z0-9*#+][A-Za-z0-9*#+_-]{0,78}$/;
const ACCOUNT = /^[A-Za-z0-9_.@+-]{1,79}$/;
const CODEC = /^(?:all|!?[a-z0-9_]{1,32}(?::\d{1,4})?)$/;
const VARIABLE_NAME = /^_{0,2}[A-Za-z][A-Za-z0-9_]{0,79}$/;
/** Set by Asterisk itself; a `Set:` line would hide the real value (docs/asterisk.md#file-validation, #the-failed-extension). */
const RESERVED_VARIABLES = new Set(["REASON", "AST_OUTGOING_ATTEMPT"]);

const SOUND = "[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*";
const IVR_ARG = "[A-Za-z0-9_.:@+=-]*";
/** Data grammar per allowed application: only what Spoolcast generates. */
const DATA_GRAMMAR: Record<(typeof ALLOWED_APPLICATIONS)[number], { re: RegExp; required: boolean; hint: string }> = {
  // Only the TCP form: the program form of ExternalIVR would execute a file on the PBX.
  ExternalIVR: {
    re: new RegExp(
      `^ivr://(?:[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\])(?::\\d{1,5})?(?:\\(${IVR_ARG}(?:,${IVR_ARG}){0,31}\\))?(?:,[nid]{0,3})?$`,
    ),
    required: true,
    hint: "ivr://host[:port][(arg,...)][,options] with plain-word arguments",
  },
  Playback: {
    re: new RegExp(`^${SOUND}(?:&${SOUND}){0,31}(?:,(?:skip|noanswer|j))?$`),
    required: true,
    hint: "sound names (letters, digits, _ - /) joined by &, no extension, optional ,skip|noanswer|j",
  },
  Wait: { re: /^\d{1,5}(?:\.\d{1,3})?$/, required: true, hint: "seconds, e.g. 2 or 0.5" },
  Hangup: { re: /^\d{1,3}$/, required: false, hint: "a numeric hangup cause" },
};

const INT_RANGES = {
  priority: [1, 99_999],
  maxRetries: [0, 100],
  retryTime: [1, 86_400],
  waitTime: [1, 3_600],
} as const;

/** Serializes a call file. Throws `CallFileError(field, reason)` for anything Asterisk would not read back exactly. */
export function serializeCallFile(cf: CallFile): string {
  if (cf === null || typeof cf !== "object") throw new CallFileError("callFile", "must be an object");
  const lines: string[] = [];
  const put = (key: string, field: string, value: string) => lines.push(formatLine(key, field, value));

  put("Channel", "channel", checkChannel(cf.channel));
  if (cf.callerId !== undefined) put("CallerID", "callerId", formatCallerId(cf.callerId));

  checkStructure(cf);
  if (cf.application !== undefined) {
    put("Application", "application", cf.application);
    const grammar = DATA_GRAMMAR[cf.application];
    if (cf.data !== undefined) {
      const data = checkString("data", cf.data);
      if (!grammar.re.test(data)) throw new CallFileError("data", `not valid for ${cf.application}: expected ${grammar.hint}`);
      put("Data", "data", data);
    } else if (grammar.required) {
      throw new CallFileError("data", `required for ${cf.application} (${grammar.hint})`);
    }
  }
  if (cf.context !== undefined)
    put("Context", "context", checkPattern("context", cf.context, CONTEXT, "letters, digits, _ . + - (max 79)"));
  if (cf.extension !== undefined) {
    put(
      "Extension",
      "extension",
      checkPattern("extension", cf.extension, EXTENSION, "letters, digits, * # + _ - (max 79), not starting with _"),
    );
  }
  for (const key of ["priority", "maxRetries", "retryTime", "waitTime"] as const) {
    const value = cf[key];
    if (value === undefined) continue;
    const [min, max] = INT_RANGES[key];
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      throw new CallFileError(key, `must be a whole number from ${min} to ${max}`);
    }
    put(KEY_NAMES[key], key, String(value));
  }
  if (cf.account !== undefined)
    put("Account", "account", checkPattern("account", cf.account, ACCOUNT, "letters, digits, _ . @ + - (max 79)"));
  if (cf.codecs !== undefined) {
    if (!Array.isArray(cf.codecs) || cf.codecs.length === 0) throw new CallFileError("codecs", "must be a non-empty list");
    cf.codecs.forEach((c, i) => checkPattern(`codecs[${i}]`, c, CODEC, "a codec name such as ulaw, !g729 or alaw:20"));
    put("Codecs", "codecs", cf.codecs.join(","));
  }
  if (cf.earlyMedia !== undefined) put("early_media", "earlyMedia", checkBoolean("earlyMedia", cf.earlyMedia) ? "yes" : "no");
  (cf.variables ?? []).forEach((pair, i) => put("Set", `variables[${i}]`, formatVariable(pair, i)));
  if (cf.archive !== undefined) checkBoolean("archive", cf.archive);
  put("Archive", "archive", cf.archive === false ? "no" : "yes");
  if (cf.alwaysDelete !== undefined) {
    if (!checkBoolean("alwaysDelete", cf.alwaysDelete)) {
      throw new CallFileError(
        "alwaysDelete",
        "AlwaysDelete: no is refused: after an answered call the file would stay in outgoing/ and gain a DelayedRetry line every RetryTime, forever",
      );
    }
    put("AlwaysDelete", "alwaysDelete", "yes");
  }
  return lines.join("\n") + "\n";
}

const KEY_NAMES = { priority: "Priority", maxRetries: "MaxRetries", retryTime: "RetryTime", waitTime: "WaitTime" } as const;

function checkStructure(cf: CallFile): void {
  if (cf.application !== undefined) {
    if (typeof cf.application !== "string" || !(ALLOWED_APPLICATIONS as readonly string[]).includes(cf.application)) {
      throw new CallFileError("application", `must be one of ${ALLOWED_APPLICATIONS.join(", ")}`);
    }
    if (cf.context !== undefined || cf.extension !== undefined || cf.priority !== undefined) {
      throw new CallFileError(
        "application",
        "set either an application or a context/extension, not both (Asterisk ignores the dialplan location when an application is given)",
      );
    }
    if (cf.earlyMedia !== undefined) throw new CallFileError("earlyMedia", "only applies to context/extension calls");
  } else {
    if (cf.data !== undefined) throw new CallFileError("data", "only allowed together with an application");
    if (cf.extension === undefined) throw new CallFileError("extension", "a call file needs an application or an extension");
  }
}

/** The Channel value as Asterisk will read it, or a `CallFileError("channel", …)`; also the grammar of a contact's endpoint (lib/destinations). */
export function checkChannel(channel: unknown): string {
  const value = checkString("channel", channel);
  const slash = value.indexOf("/");
  if (slash < 0) throw new CallFileError("channel", "must be TECH/resource, e.g. PJSIP/100@trunk");
  if (!TECH.test(value.slice(0, slash)))
    throw new CallFileError("channel", "technology must be letters, digits and _ starting with a letter");
  if (!RESOURCE.test(value.slice(slash + 1))) {
    throw new CallFileError(
      "channel",
      "resource must be 1-255 characters of letters, digits and + * # @ / : . = ~ ! % ; [ ] _ -",
    );
  }
  return value;
}

function formatCallerId(callerId: CallFile["callerId"]): string {
  if (callerId === null || typeof callerId !== "object")
    throw new CallFileError("callerId", "must be an object with name and/or number");
  const { name, number } = callerId;
  if (name === undefined && number === undefined)
    throw new CallFileError("callerId", "give a name, a number or both; omit callerId otherwise");
  if (name !== undefined) {
    const n = checkString("callerId.name", name);
    if (/["<>\\]/.test(n))
      throw new CallFileError("callerId.name", 'must not contain " < > or \\ (Asterisk parses them as caller ID syntax)');
    if (/^\s|\s$/.test(n)) throw new CallFileError("callerId.name", "must not start or end with whitespace (Asterisk strips it)");
    if (Buffer.byteLength(n) > 79) throw new CallFileError("callerId.name", "longer than 79 bytes (Asterisk cuts it)");
    if (/[ \t]#/.test(n))
      throw new CallFileError("callerId.name", "a # after a space starts a comment in Asterisk and cannot be escaped");
  }
  if (number !== undefined) checkPattern("callerId.number", number, CALLER_NUMBER, "digits, letters, * # + (max 79)");
  if (name !== undefined && number !== undefined) return `"${name}" <${number}>`;
  return name !== undefined ? `"${name}"` : `<${number}>`;
}

function formatVariable(pair: unknown, i: number): string {
  if (!Array.isArray(pair) || pair.length !== 2) throw new CallFileError(`variables[${i}]`, "must be a [name, value] pair");
  const name = checkString(`variables[${i}].name`, pair[0]);
  const value = checkString(`variables[${i}].value`, pair[1], { allowEmpty: true });
  const isFunction = (ALLOWED_SET_FUNCTIONS as readonly string[]).includes(name);
  if (!isFunction) {
    if (name.endsWith(")")) {
      throw new CallFileError(`variables[${i}].name`, `function writes are limited to ${ALLOWED_SET_FUNCTIONS.join(", ")}`);
    }
    if (!VARIABLE_NAME.test(name)) {
      throw new CallFileError(
        `variables[${i}].name`,
        "must be letters, digits and _ starting with a letter (optionally after _ or __), max 80",
      );
    }
    if (RESERVED_VARIABLES.has(name.replace(/^_+/, ""))) {
      throw new CallFileError(`variables[${i}].name`, `${name} is set by Asterisk; setting it would hide the real value`);
    }
  }
  if (name === "CDR(userfield)" && Buffer.byteLength(value) > 255) {
    throw new CallFileError(`variables[${i}].value`, "CDR(userfield) holds at most 255 bytes (Asterisk cuts it)");
  }
  // The value follows `=`, so Asterisk's leading-blank skip does not reach it, but the
  // trailing trim and the comment rules do.
  if (value.endsWith(" "))
    throw new CallFileError(`variables[${i}].value`, "must not end with a space (Asterisk trims trailing whitespace)");
  if (/[ \t]#/.test(value)) {
    throw new CallFileError(`variables[${i}].value`, "a # after a space starts a comment in Asterisk and cannot be escaped");
  }
  return `${name}=${value}`;
}

function checkPattern(field: string, value: unknown, re: RegExp, hint: string): string {
  const s = checkString(field, value);
  if (!re.test(s)) throw new CallFileError(field, `invalid: expected ${hint}`);
  return s;
}

function checkBoolean(field: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new CallFileError(field, "must be true or false");
  return value;
}

/** Rejects characters that would end, split or corrupt a line, naming the first offender. */
function checkString(field: string, value: unknown, opts: { allowEmpty?: boolean } = {}): string {
  if (typeof value !== "string") throw new CallFileError(field, "must be a string");
  if (value === "" && !opts.allowEmpty) throw new CallFileError(field, "must not be empty (omit the field instead)");
  const bad = findForbiddenChar(value);
  if (bad) throw new CallFileError(field, `contains ${bad}, which is not allowed in a call file`);
  return value;
}

/** A description of the first character a call-file line must never contain, or null. */
export function findForbiddenChar(value: string): string | null {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = value.charCodeAt(i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return `an unpaired UTF-16 surrogate at position ${i}`;
    }
    if (code === 0x0a) return `a line feed (LF) at position ${i}`;
    if (code === 0x0d) return `a carriage return (CR) at position ${i}`;
    if (code === 0x00) return `a NUL byte at position ${i}`;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `control character U+${hex(code)} at position ${i}`;
    if (code === 0x2028 || code === 0x2029) return `Unicode line separator U+${hex(code)} at position ${i}`;
  }
  return null;
}

function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, "0");
}

/** `Key: value` with `;` escaped, after the line-level checks that apply to every key. */
function formatLine(key: string, field: string, value: string): string {
  const bad = findForbiddenChar(value);
  if (bad) throw new CallFileError(field, `contains ${bad}, which is not allowed in a call file`);
  if (value === "") throw new CallFileError(field, "must not be empty");
  // Control characters are already refused, so the only byte <= 32 left is the space.
  if (value.startsWith(" ")) throw new CallFileError(field, "must not start with a space (Asterisk skips it)");
  if (value.endsWith(" ")) throw new CallFileError(field, "must not end with a space (Asterisk trims it)");
  // The value follows ": ", so a leading # is also "after a space".
  const hash = /(?:^|[ \t])#/.exec(value);
  if (hash)
    throw new CallFileError(
      field,
      "a # at the start of a value or after a space starts a comment in Asterisk and cannot be escaped",
    );
  const line = `${key}: ${value.replaceAll(";", "\\;")}`;
  const bytes = Buffer.byteLength(line);
  if (bytes > MAX_LINE_BYTES)
    throw new CallFileError(field, `line is ${bytes} bytes; Asterisk skips lines over ${MAX_LINE_BYTES} bytes`);
  return line;
}
