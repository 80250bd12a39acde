import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCallFile, scanInt, splitCallerId } from "./call-file";

const base = "Channel: PJSIP/100\nApplication: Wait\n";
const f = (line: string) => parseCallFile(`${base}${line}\n`).outgoing;

describe("call-file parsing as pbx_spool does it (docs/asterisk.md#call-file-grammar)", () => {
  it("matches keys case-insensitively but does not trim them", () => {
    const { outgoing } = parseCallFile("channel: PJSIP/1\nAPPLICATION: Wait\nContext : x\n  Extension: y\n");
    expect(outgoing.tech).toBe("PJSIP");
    expect(outgoing.app).toBe("Wait");
    expect(outgoing.context).toBe("");
    expect(outgoing.exten).toBe("");
  });

  it("splits at the first colon and keeps later colons in the value", () => {
    expect(parseCallFile("Channel: PJSIP/100@host:5060\nApplication: Wait\n").outgoing.dest).toBe("100@host:5060");
  });

  it("treats # as a comment only at line start or after a blank, and ; unless escaped", () => {
    const { outgoing } = parseCallFile(`${base}Set: A=a#b\nSet: B=a #b\n# Set: C=c\nSet: D=x;y\nSet: E=x\\;y\n`);
    expect(outgoing.vars).toEqual([
      ["A", "a#b"],
      ["B", "a"],
      ["D", "x"],
      ["E", "x;y"],
    ]);
  });

  it("skips lines of 1023+ bytes and keeps 1022", () => {
    const ok = parseCallFile(`${base}Set: V=${"x".repeat(1022 - 7)}\n`);
    expect(ok.outgoing.vars[0]![1]).toHaveLength(1015);
    const long = parseCallFile(`${base}Set: V=${"x".repeat(1023 - 7)}\nSet: W=1\n`);
    expect(long.outgoing.vars).toEqual([["W", "1"]]);
    expect(long.valid).toBe(true);
  });

  it("applies numeric fallbacks and sscanf semantics", () => {
    expect(f("RetryTime: 30abc").retryTime).toBe(30);
    expect(f("RetryTime: abc").retryTime).toBe(300);
    expect(f("RetryTime: 0x1E").retryTime).toBe(300);
    expect(f("WaitTime: 0").waitTime).toBe(45);
    expect(f("Priority: -2").priority).toBe(1);
    expect(f("MaxRetries: -1").maxRetries).toBe(-1);
    expect(f("MaxRetries: x").maxRetries).toBe(0);
    expect(scanInt("  +12zz")).toBe(12);
  });

  it("reads flags with ast_true", () => {
    expect(parseCallFile(`${base}AlwaysDelete: maybe\n`).outgoing.alwaysDelete).toBe(false);
    expect(parseCallFile(`${base}Archive: On\n`).outgoing.archive).toBe(true);
    expect(parseCallFile(`${base}EarlyMedia: yes\n`).outgoing.earlyMedia).toBe(false);
    expect(parseCallFile(`${base}early_media: y\n`).outgoing.earlyMedia).toBe(true);
  });

  it("validates tech, destination and app-or-extension; Context is not required", () => {
    expect(parseCallFile("Channel: Local\nApplication: Wait\n").valid).toBe(false);
    expect(parseCallFile("Application: Wait\n").valid).toBe(false);
    expect(parseCallFile("Channel: PJSIP/1\nContext: x\n").valid).toBe(false);
    expect(parseCallFile("Channel: PJSIP/1\nExtension: s\n").valid).toBe(true);
    expect(parseCallFile("\uFEFFChannel: PJSIP/1\nApplication: Wait\n").valid).toBe(false);
  });

  it("counts bookkeeping lines and tracks the calling pid", () => {
    const o = parseCallFile(
      `${base}StartRetry: 77 1 (5)\nEndRetry: 77 1 (6)\nStartRetry: 88 2 (7)\nRetry: x\nDelayedRetry: 88 1 (8)\n`,
    ).outgoing;
    expect(o.used).toBe(2);
    expect(o.callingPid).toBe(88);
  });

  it("accumulates Set/SetVar without trimming either side; the last plain key wins", () => {
    const o = parseCallFile(`${base}Set: A = v\nSetVar: B=1=2\nSet: nothing\nChannel: SIP/2\n`).outgoing;
    expect(o.vars).toEqual([
      ["A ", " v"],
      ["B", "1=2"],
    ]);
    expect(o.tech).toBe("SIP");
  });

  it("handles CRLF, ignores lines without a colon, keeps a CR inside a value", () => {
    const r = parseCallFile("Channel: PJSIP/1\r\nApplication: Wait\r\njust text\r\nSet: A=x\ry\r\n");
    expect(r.valid).toBe(true);
    expect(r.outgoing.app).toBe("Wait");
    expect(r.outgoing.vars).toEqual([["A", "x\ry"]]);
    expect(r.notes).toContainEqual({ level: "notice", line: 3, message: "Syntax error" });
  });

  it("splits caller ids like ast_callerid_split", () => {
    expect(splitCallerId('"Play App" <7001>')).toEqual({ name: "Play App", num: "7001" });
    expect(splitCallerId("(555) 123-4567")).toEqual({ name: "", num: "5551234567" });
    expect(splitCallerId("Reception")).toEqual({ name: "Reception", num: "" });
    expect(splitCallerId("Desk <+1 555.0100>")).toEqual({ name: "Desk", num: "+15550100" });
    expect(parseCallFile(`${base}CallerID: "Hash #x" <12#34>\n`).outgoing.cidName).toBe('"Hash');
  });

  it("never throws and validity depends only on channel and app/extension", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const r = parseCallFile(text);
        expect(r.valid).toBe(
          r.outgoing.tech !== "" && r.outgoing.dest !== "" && (r.outgoing.app !== "" || r.outgoing.exten !== ""),
        );
      }),
    );
  });
});
