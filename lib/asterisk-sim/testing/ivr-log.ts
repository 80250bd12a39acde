/** Reads the golden ExternalIVR logs (`<offset> <clock> <DIR> <python bytes literal>`). */

export type IvrLogLine = { offset: number; dir: string; bytes: string; text: string };

/** Decodes a Python bytes literal such as `b'P,1\n'` into a latin1 string. */
export function decodePyBytes(literal: string): string {
  const m = /^b(['"])(.*)\1$/s.exec(literal);
  if (!m) return literal;
  const body = m[2]!;
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const n = body[++i]!;
    if (n === "n") out += "\n";
    else if (n === "r") out += "\r";
    else if (n === "t") out += "\t";
    else if (n === "x") {
      out += String.fromCharCode(Number.parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else out += n;
  }
  return out;
}

export function parseIvrLog(text: string): IvrLogLine[] {
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((line) => {
      const m = /^(\d+\.\d+) \S+ (\S+) (.*)$/.exec(line);
      if (!m) throw new Error(`unreadable golden IVR log line: ${line}`);
      return { offset: Number(m[1]), dir: m[2]!, bytes: decodePyBytes(m[3]!), text: m[3]! };
    });
}
