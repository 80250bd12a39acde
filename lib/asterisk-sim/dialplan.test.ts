import { describe, expect, it } from "vitest";
import { existsExtension, findExtension, matchesExtension, parseDialplan, separateArgs, substituteVariables } from "./dialplan";
import { parseExternalIvrArgs, parseIvrAddress } from "./external-ivr";

describe("extensions.conf subset", () => {
  const dp = parseDialplan(`
[spoolcast]
exten => s,1,Answer() ; comment
same => n,ExternalIVR(ivr://h:1(\${A},b),n)
same => n(done),Hangup()
exten => _9X.,1,NoOp(pattern)
include => other
[other]
exten => failed,1,NoOp(\${REASON})
`);
  it("numbers n priorities and keeps args verbatim", () => {
    const s = findExtension(dp, "spoolcast", "s")!;
    expect(s.priorities.map((p) => [p.prio, p.app, p.args])).toEqual([
      [1, "Answer", ""],
      [2, "ExternalIVR", "ivr://h:1(${A},b),n"],
      [3, "Hangup", ""],
    ]);
  });
  it("matches patterns and includes", () => {
    expect(matchesExtension("_9X.", "9123")).toBe(true);
    expect(matchesExtension("_9X.", "91")).toBe(false);
    expect(matchesExtension("_.", "failed")).toBe(true);
    expect(matchesExtension("_[1-3]N", "15")).toBe(true);
    expect(findExtension(dp, "spoolcast", "9555")?.name).toBe("_9X.");
    expect(existsExtension(dp, "spoolcast", "failed")).toBe(true);
    expect(existsExtension(dp, "", "failed")).toBe(false);
  });
  it("rejects what it does not understand, naming the line", () => {
    expect(() => parseDialplan("[a]\nexten => s\n")).toThrow(/line 2/);
    expect(() => parseDialplan("exten => s,1,NoOp\n")).toThrow(/outside a \[context\]/);
  });
  it("substitutes variables, nested names and substrings", () => {
    const vars: Record<string, string> = { A: "hello", B: "A", REASON: "5" };
    const look = (e: string) => vars[e] ?? "";
    expect(substituteVariables("x${A}y${MISSING}z", look)).toBe("xhelloyz");
    expect(substituteVariables("${${B}}", look)).toBe("hello");
    expect(substituteVariables("${A:1:3}|${A:-2}", look)).toBe("ell|lo");
  });
  it("splits app args like AST_STANDARD_APP_ARGS", () => {
    expect(separateArgs('a(b,c),"d,e",f\\,g')).toEqual(["a(b,c)", "d,e", "f,g"]);
  });
});

describe("ExternalIVR argument parsing (docs/asterisk.md#externalivr-arguments)", () => {
  it("builds the P text from the items and cuts it to 99 characters", () => {
    expect(parseExternalIvrArgs("ivr://127.0.0.1:2949(arg1,arg2)").pText).toBe("ivr://127.0.0.1:2949,arg1,arg2");
    expect(parseExternalIvrArgs('ivr://h("a b",)').pText).toBe("ivr://h,a b,");
    expect(parseExternalIvrArgs("ivr://h").pText).toBe("ivr://h");
    expect(parseExternalIvrArgs(`ivr://h(${"x".repeat(200)})`).pText).toHaveLength(99);
  });
  it("reads options after the first top-level comma and only up to the next one", () => {
    const a = parseExternalIvrArgs("ivr://h(a,b),nid,zz");
    expect(a.options).toEqual({ n: true, i: true, d: true });
    const old = parseExternalIvrArgs("ivr://h,arg1,arg2");
    expect(old.pText).toBe("ivr://h");
    expect(old.unknownOptions).toEqual(["a", "r", "g", "1"]);
  });
  it("refuses a missing closing parenthesis", () => {
    expect(() => parseExternalIvrArgs("ivr://h(a,b")).toThrow(/parenthesis/);
  });
  it("parses host and port with 2949 as the default", () => {
    expect(parseIvrAddress("ivr://10.0.0.1")).toEqual({ host: "10.0.0.1", port: 2949 });
    expect(parseIvrAddress("ivr://h:0")).toEqual({ host: "h", port: 2949 });
    expect(parseIvrAddress("ivr://[::1]:3000")).toEqual({ host: "::1", port: 3000 });
    expect(parseIvrAddress("ivr://fe80::1")).toEqual({ host: "fe80::1", port: 2949 });
    expect(parseIvrAddress("/usr/bin/prog")).toBeNull();
  });
});
