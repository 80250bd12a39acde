import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { assertSoundName, formatCommand, IvrCommandError, LineSplitter, MAX_COMMAND_BYTES, parseEvent } from "./protocol";
import { IVR_FIXTURES_DIR } from "@/tests/fixtures/asterisk";

const GOLDEN = IVR_FIXTURES_DIR;

/** Every byte string Asterisk sent (RECV) in the golden session logs, split into lines. */
function goldenReceivedLines(): string[] {
  const lines: string[] = [];
  for (const file of readdirSync(GOLDEN)) {
    for (const row of readFileSync(path.join(GOLDEN, file), "utf8").split("\n")) {
      const m = / RECV b'(.*)'$/.exec(row) ?? /^(?:after H: )?b'(.*)'$/.exec(row);
      if (!m || m[1] === "") continue;
      const text = m[1]!.replace(/\\n/g, "\n");
      lines.push(...text.split("\n").filter((l) => l !== ""));
    }
  }
  return lines;
}

describe("parseEvent", () => {
  it("parses every event line a real Asterisk sent in the golden sessions", () => {
    const lines = goldenReceivedLines();
    expect(lines.length).toBeGreaterThan(30);
    expect(lines.filter((line) => !parseEvent(line).ok)).toEqual([]);
  });

  it("tells DTMF D from a dropped file and reads the P reply's arguments", () => {
    expect(parseEvent("D,1795452499")).toEqual({ ok: true, event: { type: "dtmf", ts: 1795452499, digit: "D" } });
    expect(parseEvent("D,1795452499,custom/prompt1")).toEqual({
      ok: true,
      event: { type: "dropped", ts: 1795452499, file: "custom/prompt1" },
    });
    expect(parseEvent("P,1795452496,ivr://127.0.0.1:2949,arg1,arg2")).toEqual({
      ok: true,
      event: {
        type: "params",
        ts: 1795452496,
        text: "ivr://127.0.0.1:2949,arg1,arg2",
        url: "ivr://127.0.0.1:2949",
        args: ["arg1", "arg2"],
      },
    });
    expect(parseEvent("G,1795452497,CHANNEL=,MYVAR=j1")).toMatchObject({ event: { vars: { CHANNEL: "", MYVAR: "j1" } } });
    expect(parseEvent("H, 795452496")).toEqual({ ok: true, event: { type: "hangup", ts: 795452496 } });
  });

  it("rejects what Asterisk never sends", () => {
    for (const line of [
      "",
      "H",
      "H,",
      "x,1795452496",
      "Q,1795452496",
      "1795452496",
      "F,1795452496",
      "T,1795452496,",
      "H,1795452496,x",
      "1,1795452496,x",
      "S,abc",
      "F,12345678901,x",
      "I,1795452496",
    ]) {
      expect({ line, ok: parseEvent(line).ok }).toEqual({ line, ok: false });
    }
  });
});

describe("parseEvent on arbitrary input", () => {
  it("never throws, and accepts only the tags Asterisk sends", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (line) => {
        const r = parseEvent(line);
        return !r.ok || "0123456789*#ABCDHEIZTFPG".includes(line[0] ?? "");
      }),
      { numRuns: 2000 },
    );
  });
});

describe("formatCommand", () => {
  it("builds one newline-terminated line", () => {
    expect(formatCommand("S", "spoolcast/system/thank-you")).toBe("S,spoolcast/system/thank-you\n");
    expect(formatCommand("H", "bye")).toBe("H,bye\n");
  });

  it("refuses sound names Asterisk would resolve outside the sounds or refuse", () => {
    for (const bad of [
      "../etc/passwd",
      "/var/lib/asterisk/sounds/x",
      "custom/bye.wav",
      "a//b",
      "a/",
      "Fire",
      "a b",
      "a\nH,x",
      "",
    ]) {
      expect(() => formatCommand("S", bad)).toThrow(IvrCommandError);
    }
    expect(() => assertSoundName("../x", "message")).toThrow(/^message: /);
  });

  it("refuses control characters and lines over 1,000 bytes", () => {
    expect(() => formatCommand("L", "a\rb")).toThrow(/control character/);
    expect(() => formatCommand("L", "a\nH,x")).toThrow(/control character/);
    expect(() => formatCommand("L", "x".repeat(MAX_COMMAND_BYTES - 3))).not.toThrow();
    expect(() => formatCommand("L", "x".repeat(MAX_COMMAND_BYTES - 2))).toThrow(/longer than 1000 bytes/);
  });
});

describe("LineSplitter", () => {
  it("returns the same lines however the bytes are cut into packets", () => {
    const line = fc.stringMatching(/^[ -~]{0,40}$/);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 10 }), fc.boolean(), (lines, cuts, crlf) => {
        const bytes = Buffer.from(lines.map((l) => l + (crlf ? "\r\n" : "\n")).join(""));
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const splitter = new LineSplitter(100);
        const out: string[] = [];
        let prev = 0;
        for (const p of [...points, bytes.length]) {
          const r = splitter.push(bytes.subarray(prev, p));
          expect(r.overflow).toBe(false);
          out.push(...r.lines);
          prev = p;
        }
        expect(out).toEqual(lines);
        expect(splitter.pendingBytes).toBe(0);
      }),
    );
  });

  it("holds a partial line until its newline and flags a line over the limit", () => {
    const s = new LineSplitter(10);
    expect(s.push(Buffer.from("F,17"))).toEqual({ lines: [], overflow: false });
    expect(s.pendingBytes).toBe(4);
    expect(s.push(Buffer.from("9\n1,2\n"))).toEqual({ lines: ["F,179", "1,2"], overflow: false });
    expect(s.push(Buffer.from("x".repeat(11)))).toEqual({ lines: [], overflow: true });
    expect(new LineSplitter(10).push(Buffer.from("ok\n" + "y".repeat(11) + "\n"))).toEqual({ lines: ["ok"], overflow: true });
    expect(new LineSplitter(10).push(Buffer.from("y".repeat(10) + "\n"))).toEqual({ lines: ["y".repeat(10)], overflow: false });
  });
});
