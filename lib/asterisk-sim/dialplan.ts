/**
 * A minimal extensions.conf: `[context]`, `exten => name,prio[(label)],App(args)`,
 * `same => n,...`, `include => ctx`, `;` comments; extension patterns (`_X.` etc.) and
 * `${VAR}` substitution as pbx_substitute_variables does it for the names the simulator knows.
 */

export type Priority = { prio: number; label?: string; app: string; args: string };
export type Extension = { name: string; priorities: Priority[] };
export type Context = { name: string; extensions: Extension[]; includes: string[] };
export type Dialplan = { contexts: Map<string, Context> };

/** Parses extensions.conf text; throws an Error naming the line for what cannot be understood. */
export function parseDialplan(text: string): Dialplan {
  const contexts = new Map<string, Context>();
  let current: Context | undefined;
  let lastExten: Extension | undefined;
  text.split(/\r?\n/).forEach((rawLine, idx) => {
    const lineno = idx + 1;
    const line = stripConfComment(rawLine).trim();
    if (line === "") return;
    const ctx = /^\[([^\]]+)\]/.exec(line);
    if (ctx) {
      const name = ctx[1]!.trim();
      current = contexts.get(name) ?? { name, extensions: [], includes: [] };
      contexts.set(name, current);
      lastExten = undefined;
      return;
    }
    const kv = /^(exten|same|include)\s*=>?\s*(.*)$/i.exec(line);
    if (!kv) {
      // Other statements (switch, ignorepat, globals) are not modelled; say so rather than guess.
      throw new Error(`dialplan line ${lineno}: unsupported statement "${line}"`);
    }
    if (!current) throw new Error(`dialplan line ${lineno}: "${kv[1]}" outside a [context]`);
    const kind = kv[1]!.toLowerCase();
    const rest = kv[2]!;
    if (kind === "include") {
      current.includes.push(rest.trim());
      return;
    }
    let name: string;
    let body: string;
    if (kind === "exten") {
      const comma = rest.indexOf(",");
      if (comma === -1) throw new Error(`dialplan line ${lineno}: exten needs name,priority,App(args)`);
      name = rest.slice(0, comma).trim();
      body = rest.slice(comma + 1);
    } else {
      if (!lastExten) throw new Error(`dialplan line ${lineno}: "same" without a preceding exten`);
      name = lastExten.name;
      body = rest;
    }
    const comma = body.indexOf(",");
    if (comma === -1) throw new Error(`dialplan line ${lineno}: missing priority or application`);
    const prioText = body.slice(0, comma).trim();
    const appText = body.slice(comma + 1).trim();
    let ext = current.extensions.find((e) => e.name === name);
    if (!ext) {
      ext = { name, priorities: [] };
      current.extensions.push(ext);
    }
    const pm = /^(\d+|n|hint)(?:\(([^)]+)\))?$/.exec(prioText);
    if (!pm) throw new Error(`dialplan line ${lineno}: bad priority "${prioText}"`);
    lastExten = ext;
    if (pm[1] === "hint") return;
    const prev = ext.priorities.at(-1)?.prio ?? 0;
    const prio = pm[1] === "n" ? prev + 1 : Number(pm[1]);
    const open = appText.indexOf("(");
    let app: string;
    let args: string;
    if (open === -1) {
      const c = appText.indexOf(",");
      app = c === -1 ? appText : appText.slice(0, c);
      args = c === -1 ? "" : appText.slice(c + 1);
    } else {
      app = appText.slice(0, open);
      const close = appText.lastIndexOf(")");
      args = close > open ? appText.slice(open + 1, close) : appText.slice(open + 1);
    }
    ext.priorities.push({ prio, label: pm[2], app: app.trim(), args });
    ext.priorities.sort((a, b) => a.prio - b.prio);
  });
  return { contexts };
}

/** Config-file comments: `;` unless escaped as `\;`. */
function stripConfComment(line: string): string {
  for (let i = 0; i < line.length; i++) {
    if (line[i] === ";" && (i === 0 || line[i - 1] !== "\\")) return line.slice(0, i);
  }
  return line.replace(/\\;/g, ";");
}

/** Whether `exten` matches extension `pattern` (exact, or `_` pattern with X Z N [..] . !). */
export function matchesExtension(pattern: string, exten: string): boolean {
  if (!pattern.startsWith("_")) return pattern === exten;
  let re = "^";
  const p = pattern.slice(1);
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    const u = c.toUpperCase();
    if (u === "X") re += "[0-9]";
    else if (u === "Z") re += "[1-9]";
    else if (u === "N") re += "[2-9]";
    else if (c === ".") re += ".+";
    else if (c === "!") re += ".*";
    else if (c === "[") {
      const end = p.indexOf("]", i);
      if (end === -1) return false;
      re += `[${p.slice(i + 1, end).replace(/[\\^]/g, "\\$&")}]`;
      i = end;
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(re + "$").test(exten);
}

/** The extension `exten` resolves to in `context` (exact names before patterns, then includes). */
export function findExtension(dp: Dialplan, context: string, exten: string, seen = new Set<string>()): Extension | undefined {
  const ctx = dp.contexts.get(context);
  if (!ctx || seen.has(context)) return undefined;
  seen.add(context);
  const exact = ctx.extensions.find((e) => e.name === exten);
  if (exact) return exact;
  const pattern = ctx.extensions.find((e) => e.name.startsWith("_") && matchesExtension(e.name, exten));
  if (pattern) return pattern;
  for (const inc of ctx.includes) {
    const found = findExtension(dp, inc, exten, seen);
    if (found) return found;
  }
  return undefined;
}

/** `ast_exists_extension(context, exten, prio)`. */
export function existsExtension(dp: Dialplan, context: string, exten: string, prio = 1): boolean {
  return findExtension(dp, context, exten)?.priorities.some((p) => p.prio === prio) ?? false;
}

/**
 * `${...}` substitution. `lookup` resolves a variable or function expression (already
 * substituted inside) to its value; unknown names give "". `${X:off:len}` substrings work.
 */
export function substituteVariables(text: string, lookup: (expr: string) => string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    if (text[i] === "$" && text[i + 1] === "{") {
      let depth = 1;
      let j = i + 2;
      while (j < text.length && depth > 0) {
        if (text[j] === "$" && text[j + 1] === "{") {
          depth++;
          j++;
        } else if (text[j] === "}") depth--;
        j++;
      }
      if (depth > 0) {
        out += text.slice(i);
        break;
      }
      const inner = substituteVariables(text.slice(i + 2, j - 1), lookup);
      out += evaluate(inner, lookup);
      i = j;
      continue;
    }
    out += text[i];
    i++;
  }
  return out;
}

function evaluate(expr: string, lookup: (expr: string) => string): string {
  // A substring suffix applies to plain variables, not to function calls containing ':'.
  const m = /^([^:()]+|[^:]*\([^)]*\))(?::(-?\d+)(?::(-?\d+))?)?$/.exec(expr);
  if (!m || m[2] === undefined) return lookup(expr);
  const value = lookup(m[1]!);
  let offset = Number(m[2]);
  if (offset < 0) offset = Math.max(0, value.length + offset);
  const sliced = value.slice(offset);
  if (m[3] === undefined) return sliced;
  const len = Number(m[3]);
  return len >= 0 ? sliced.slice(0, len) : sliced.slice(0, Math.max(0, sliced.length + len));
}

/**
 * `ast_app_separate_args` / AST_STANDARD_APP_ARGS: split on `delim` outside (), [] and "…";
 * quotes are removed and `\` escapes the next character.
 */
export function separateArgs(text: string, delim = ",", max = 128): string[] {
  const args: string[] = [];
  let cur = "";
  let paren = 0;
  let bracket = 0;
  let quote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\" && i + 1 < text.length) {
      cur += text[i + 1];
      i++;
      continue;
    }
    if (c === '"') {
      quote = !quote;
      continue;
    }
    if (!quote) {
      if (c === "(") paren++;
      else if (c === ")" && paren > 0) paren--;
      else if (c === "[") bracket++;
      else if (c === "]" && bracket > 0) bracket--;
      else if (c === delim && paren === 0 && bracket === 0 && args.length < max - 1) {
        args.push(cur);
        cur = "";
        continue;
      }
    }
    cur += c;
  }
  args.push(cur);
  return args;
}

/**
 * The dialplan `npm run asterisk-sim -- --ivr HOST:PORT` loads when none is given (dialplan IVR
 * mode, docs/architecture.md#call-files-spoolcast-writes): Spoolcast's snippet for a host with the
 * default contexts (spoolcast, spoolcast-click dialling through from-internal, spoolcast-selftest), and a
 * `from-internal` that stands for the PBX's trunk: Dial(PJSIP/<number>), answered as the callee
 * rules say.
 */
export function defaultDialplan(ivrAddress: string): string {
  const url = `ivr://${ivrAddress}`;
  return [
    "[spoolcast]",
    "exten => s,1,NoOp(Spoolcast call ${SPOOLCAST_CALL})",
    ` same => n,ExternalIVR(${url}(\${SPOOLCAST_CALL},\${SPOOLCAST_TOKEN}))`,
    " same => n,Hangup()",
    "exten => failed,1,Set(CDR(userfield)=${CDR(userfield)}\\;failed-report)",
    ` same => n,ExternalIVR(${url}(failed,\${SPOOLCAST_CALL},\${SPOOLCAST_TOKEN},\${REASON}),n)`,
    " same => n,Hangup()",
    "exten => h,1,NoOp(Spoolcast call ${SPOOLCAST_CALL} ended)",
    "[spoolcast-click]",
    `exten => _+X.,1,ExternalIVR(${url}(\${SPOOLCAST_CALL},\${SPOOLCAST_TOKEN}),n)`,
    " same => n,Dial(Local/${EXTEN}@from-internal)",
    " same => n,Hangup()",
    "exten => failed,1,Set(CDR(userfield)=${CDR(userfield)}\\;failed-report)",
    ` same => n,ExternalIVR(${url}(failed,\${SPOOLCAST_CALL},\${SPOOLCAST_TOKEN},\${REASON}),n)`,
    " same => n,Hangup()",
    `exten => h,1,ExternalIVR(${url}(dial,\${SPOOLCAST_CALL},\${SPOOLCAST_TOKEN},\${DIALSTATUS},\${ANSWEREDTIME}),d)`,
    // The self-test context ("Test the PBX", npm run check-pbx): answers by itself, or is busy.
    "[spoolcast-selftest]",
    "exten => s,1,Answer()",
    " same => n,Wait(60)",
    " same => n,Hangup()",
    "exten => busy,1,Busy(10)",
    "[from-internal]",
    "exten => _+X.,1,Dial(PJSIP/${EXTEN})",
    " same => n,Hangup()",
    "",
  ].join("\n");
}
