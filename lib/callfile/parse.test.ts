import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseCallFile, parseCallerId } from "./parse";
import { SPOOL_FIXTURES_DIR } from "@/tests/fixtures/asterisk";
import { summarizeArchive } from "./summarize-archive";

const GOLDEN = SPOOL_FIXTURES_DIR;
const golden = (name: string) => parseCallFile(readFileSync(path.join(GOLDEN, name), "utf8"));

describe("golden archived files from a real Asterisk", () => {
  it("covers every golden spool file", () => {
    expect(readdirSync(GOLDEN).sort()).toEqual([
      "completed-application.call",
      "completed-context-extension.call",
      "expired-after-retry-with-delayed.call",
      "expired-busy.call",
      "expired-congestion.call",
      "expired-no-answer.call",
      "expired-retries-already-used.call",
      "failed-channel-without-slash.call",
      "failed-no-channel.call",
    ]);
  });

  it("reads an answered Application call", () => {
    const p = golden("completed-application.call");
    expect(p.file).toEqual({
      channel: "Local/100@callees",
      callerId: { name: "Play App", number: "7001" },
      application: "Playback",
      data: "hello",
      variables: [
        ["CDR(userfield)", "UF_app"],
        ["MYVAR", "h1"],
      ],
      account: "acct_h1",
      archive: true,
    });
    expect(p.retries).toEqual([{ kind: "StartRetry", pid: 1308, n: 1, time: 1795452726, line: 10 }]);
    expect(p.status).toBe("Completed");
    expect(p.issues).toEqual([]);
    expect(p.valid).toBe(true);
    expect(p.attemptsUsed).toBe(0);
    expect(summarizeArchive(p)).toEqual({
      status: "Completed",
      attempts: [{ n: 1, pid: 1308, startedAt: new Date(1795452426_000), result: "answered" }],
      delayedRetries: 0,
      expiredWithoutDialling: false,
    });
  });

  it("reads an answered Context/Extension call written with Setvar", () => {
    const p = golden("completed-context-extension.call");
    expect(p.file).toEqual({
      channel: "Local/100@callees",
      callerId: { name: "Play Exten", number: "7002" },
      context: "spoolcast",
      extension: "play",
      variables: [
        ["CDR(userfield)", "UF_exten"],
        ["MYVAR", "h2"],
      ],
      account: "acct_h2",
      archive: true,
    });
    expect(p.status).toBe("Completed");
    expect(p.issues).toEqual([]);
  });

  it.each(["expired-busy.call", "expired-congestion.call", "expired-no-answer.call"])(
    "reads %s as one failed attempt",
    (name) => {
      const p = golden(name);
      const n = name.includes("busy") ? "300" : name.includes("congestion") ? "500" : "200";
      expect(p.file).toEqual({
        channel: `Local/${n}@callees`,
        context: "rtest",
        extension: "s",
        maxRetries: 0,
        waitTime: 3,
        archive: true,
        variables: [["MYVAR", `call-rtest-${n}`]],
      });
      expect(p.retries).toEqual([{ kind: "StartRetry", pid: 7955, n: 1, time: 1795453120, line: 9 }]);
      expect(p.status).toBe("Expired");
      expect(p.issues).toEqual([]);
      // Default RetryTime 300: the StartRetry time is start + 300.
      expect(summarizeArchive(p, { archivedAt: new Date(1795452823_000) }).attempts).toEqual([
        { n: 1, pid: 7955, startedAt: new Date(1795452820_000), endedAt: new Date(1795452823_000), result: "failed" },
      ]);
    },
  );

  it("reads a retried call with a DelayedRetry line", () => {
    const p = golden("expired-after-retry-with-delayed.call");
    expect(p.file).toEqual({
      channel: "Local/200@callees",
      context: "sink",
      extension: "s",
      priority: 1,
      maxRetries: 1,
      retryTime: 5,
      waitTime: 5,
      variables: [["MYVAR", "b"]],
      archive: true,
    });
    expect(p.retries).toEqual([
      { kind: "StartRetry", pid: 1308, n: 1, time: 1795452302, line: 11 },
      { kind: "DelayedRetry", pid: 1308, n: 0, time: 1795452302, line: 13 },
      { kind: "EndRetry", pid: 1308, n: 1, time: 1795452302, line: 15 },
      { kind: "StartRetry", pid: 1308, n: 2, time: 1795452312, line: 17 },
    ]);
    expect(p.attemptsUsed).toBe(1);
    expect(p.status).toBe("Expired");
    expect(p.issues).toEqual([]);
    expect(summarizeArchive(p)).toEqual({
      status: "Expired",
      attempts: [
        { n: 1, pid: 1308, startedAt: new Date(1795452297_000), endedAt: new Date(1795452302_000), result: "failed" },
        { n: 2, pid: 1308, startedAt: new Date(1795452307_000), result: "failed" },
      ],
      delayedRetries: 1,
      expiredWithoutDialling: false,
    });
  });

  it("reads a file that expired without dialling because its attempts were used up", () => {
    const p = golden("expired-retries-already-used.call");
    expect(p.file).toEqual({ channel: "Local/400@callees", context: "sink", extension: "quick", maxRetries: 1, archive: true });
    expect(p.attemptsUsed).toBe(2);
    expect(p.retries.map((r) => `${r.kind} ${r.n}`)).toEqual(["StartRetry 1", "EndRetry 1", "StartRetry 2", "EndRetry 2"]);
    const s = summarizeArchive(p);
    expect(s.attempts.map((a) => a.result)).toEqual(["failed", "failed"]);
    expect(s.expiredWithoutDialling).toBe(true);
  });

  it("reads invalid files that Asterisk marked Failed", () => {
    const noChannel = golden("failed-no-channel.call");
    expect(noChannel.file).toEqual({ context: "sink", extension: "s", archive: true });
    expect(noChannel.status).toBe("Failed");
    expect(noChannel.valid).toBe(false);
    expect(noChannel.issues).toEqual([]);

    const noSlash = golden("failed-channel-without-slash.call");
    expect(noSlash.file).toEqual({ context: "sink", extension: "s", archive: true });
    expect(noSlash.valid).toBe(false);
    expect(noSlash.status).toBe("Failed");
    expect(noSlash.issues).toEqual([{ line: 1, message: "Channel must be TECH/resource; Asterisk ignores this line" }]);
    expect(summarizeArchive(noSlash).attempts).toEqual([]);
  });
});

describe("attempt summaries for the engine", () => {
  it("shows a spool file being dialled as in progress, with its real start time", () => {
    const p = parseCallFile("Channel: Local/1@c\nExtension: s\nRetryTime: 60\nArchive: yes\n\nStartRetry: 4242 1 (1700000060)\n");
    expect(p.status).toBeUndefined();
    expect(summarizeArchive(p).attempts).toEqual([
      { n: 1, pid: 4242, startedAt: new Date(1700000000_000), result: "in-progress" },
    ]);
  });

  it("closes an attempt another Asterisk process started when AbortRetry is written (restart)", () => {
    const p = parseCallFile(
      "Channel: Local/1@c\nExtension: s\nMaxRetries: 2\nRetryTime: 10\n\nStartRetry: 100 1 (1700000010)\n\nAbortRetry: 200 1 (1700000500)\n\nStartRetry: 200 1 (1700000510)\nStatus: Completed\n",
    );
    expect(p.attemptsUsed).toBe(1);
    // Asterisk numbers the re-dial as the attempt it aborted (Used + 1, docs/asterisk.md#attempts-and-retry-lines).
    expect(summarizeArchive(p).attempts).toEqual([
      { n: 1, pid: 100, startedAt: new Date(1700000000_000), endedAt: new Date(1700000500_000), result: "aborted" },
      { n: 1, pid: 200, startedAt: new Date(1700000500_000), result: "answered" },
    ]);
  });
});

describe("line rules (docs/asterisk.md#call-file-grammar)", () => {
  it("treats # as a comment only at line start or after a space or tab", () => {
    const p = parseCallFile('# a comment\nChannel: PJSIP/a#b\nCallerID: "Hash #x" <12#34>\nContext: c\t#x\nExtension: s\n');
    expect(p.file.channel).toBe("PJSIP/a#b");
    // Spec E: ` #` in the CallerID starts a comment, leaving `"Hash`.
    expect(p.file.callerId).toEqual({ name: '"Hash' });
    expect(p.file.context).toBe("c");
    expect(p.issues).toEqual([]);
  });

  it("ends the line at ; unless it is written \\;", () => {
    const p = parseCallFile("Channel: Local/1@c ; note\nExtension: s\nSet: A=x\\;y;z\nSet: B=a\\\\;b\nSet: C=p\\;;q\n");
    expect(p.file.channel).toBe("Local/1@c");
    // `\\;` keeps the first backslash; the character right after `\;` is never a comment start.
    expect(p.file.variables).toEqual([
      ["A", "x;y"],
      ["B", "a\\;b"],
      ["C", "p;;q"],
    ]);
  });

  it("trims trailing bytes <= 32 (CRLF files work) and skips leading blanks of a value", () => {
    const p = parseCallFile("Channel:   Local/1@c \r\nExtension:\ts\r\nSet: A= v \r\n");
    expect(p.file).toEqual({ channel: "Local/1@c", extension: "s", variables: [["A", " v"]] });
  });

  it("does not trim keys, matches them case-insensitively, and lets the last value win", () => {
    const p = parseCallFile(
      "CHANNEL: Local/1@c\nchannel: Local/2@c\nChannel : Local/3@c\n  Extension: x\nextension: s\nSETVAR: A=1\nset: A=2\n",
    );
    expect(p.file.channel).toBe("Local/2@c");
    expect(p.file.extension).toBe("s");
    expect(p.file.variables).toEqual([
      ["A", "1"],
      ["A", "2"],
    ]);
    expect(p.issues).toEqual([
      { line: 3, message: "key 'Channel ' has surrounding whitespace; Asterisk does not trim keys and ignores it" },
      { line: 4, message: "key '  Extension' has surrounding whitespace; Asterisk does not trim keys and ignores it" },
    ]);
  });

  it("splits at the first colon only", () => {
    expect(parseCallFile("Channel: PJSIP/100@host:5060\n").file.channel).toBe("PJSIP/100@host:5060");
  });

  it("reports lines without a colon, unknown keys and a BOM with their line numbers", () => {
    const p = parseCallFile("\uFEFFChannel: Local/1@c\nhello\nEarlyMedia: yes\nExtension: s\n");
    expect(p.file).toEqual({ extension: "s" });
    expect(p.valid).toBe(false);
    expect(p.issues).toEqual([
      { line: 1, message: "unknown key '\uFEFFChannel' (starts with a UTF-8 byte order mark); Asterisk ignores it" },
      { line: 2, message: "no ':' on this line; Asterisk ignores it" },
      { line: 3, message: "unknown key 'EarlyMedia'; Asterisk ignores it" },
    ]);
  });

  it("skips lines longer than 1022 bytes and keeps the file", () => {
    const ok = "Set: A=" + "x".repeat(1022 - 7);
    const long = "Set: B=" + "x".repeat(1023 - 7);
    const p = parseCallFile(`Channel: Local/1@c\n${ok}\n${long}\nExtension: s`);
    expect(p.file.variables).toEqual([["A", "x".repeat(1015)]]);
    expect(p.issues).toEqual([{ line: 3, message: "line is 1023 bytes; Asterisk skips lines over 1022 bytes" }]);
    expect(p.file.extension).toBe("s");
    // Multi-byte characters count as bytes, as fgets sees them.
    const wide = parseCallFile("Set: W=" + "é".repeat(508) + "\n");
    expect(wide.issues).toHaveLength(1);
  });

  it("reads numbers like sscanf and applies Asterisk's fallbacks", () => {
    const p = parseCallFile("Priority: 0\nMaxRetries: -1\nRetryTime: 30abc\nWaitTime: 0x1E\n");
    expect(p.file).toEqual({ priority: 1, maxRetries: -1, retryTime: 30, waitTime: 45 });
    expect(p.issues.map((i) => i.line)).toEqual([1, 3, 4]);
  });

  it("reads booleans with ast_true", () => {
    const p = parseCallFile("Archive: On\nAlwaysDelete: maybe\nearly_media: Y\n");
    expect(p.file).toEqual({ archive: true, alwaysDelete: false, earlyMedia: true });
  });

  it("reports a Set line without = and keeps going", () => {
    const p = parseCallFile("Set: NOEQUALS\nSet: A=b=c\n");
    expect(p.file.variables).toEqual([["A", "b=c"]]);
    expect(p.issues).toEqual([{ line: 1, message: "Set needs name=value; Asterisk ignores this line" }]);
  });

  it("reports malformed bookkeeping lines but still counts used attempts", () => {
    const p = parseCallFile("Channel: Local/1@c\nExtension: s\nEndRetry: garbage\nAbortRetry: 12 2 (1700000000)\nRetry: x\n");
    expect(p.attemptsUsed).toBe(3);
    expect(p.retries).toEqual([{ kind: "AbortRetry", pid: 12, n: 2, time: 1700000000, line: 4 }]);
    expect(p.issues).toEqual([{ line: 3, message: "malformed EndRetry line: expected '<pid> <n> (<unix-seconds>)'" }]);
  });

  it("keeps a non-allowed application out of the model but still judges validity like Asterisk", () => {
    const p = parseCallFile("Channel: Local/1@c\nApplication: System\nData: rm -rf /\n");
    expect(p.file.application).toBeUndefined();
    expect(p.valid).toBe(true);
    expect(p.entries.find((e) => e.key === "Application")?.value).toBe("System");
    expect(p.issues).toEqual([{ line: 2, message: "application 'System' is not one Spoolcast writes" }]);
  });

  it("reports an unknown status and lines after the Status line", () => {
    const p = parseCallFile("Channel: Local/1@c\nExtension: s\nStatus: Weird\nStatus: Expired\nArchive: yes\n");
    expect(p.status).toBe("Expired");
    expect(p.issues).toEqual([
      { line: 3, message: "unknown status 'Weird'" },
      { line: 5, message: "line after the Status line" },
    ]);
  });

  it("cuts parsing of a line at a NUL byte", () => {
    const p = parseCallFile("Channel: Local/1@c\0Application: System\nExtension: s\n");
    expect(p.file).toEqual({ channel: "Local/1@c", extension: "s" });
    expect(p.issues).toEqual([{ line: 1, message: "NUL byte: Asterisk ignores the rest of the line" }]);
  });

  it("never throws on arbitrary input", () => {
    for (const text of ["", "\n\n\n", ":", "::::", "\r", "Set:", "CallerID:", "Channel: /", "StartRetry: 1 2 (3) extra"]) {
      expect(() => parseCallFile(text)).not.toThrow();
    }
  });
});

describe("caller ID parsing (docs/asterisk.md#caller-id-parsing)", () => {
  it.each([
    ['"Play App" <7001>', { name: "Play App", number: "7001" }],
    ["<7001>", { number: "7001" }],
    ['"Reception"', { name: "Reception" }],
    ['"123"', { name: "123" }],
    ["(555) 123-4567", { number: "5551234567" }],
    ["Front Desk", { name: "Front Desk" }],
    ["Name <12 34", { name: "Name", number: "1234" }],
    ['"A \\"B\\"" <1>', { name: 'A "B"', number: "1" }],
    ["", {}],
  ])("%s", (input, expected) => {
    expect(parseCallerId(input)).toEqual(expected);
  });
});
