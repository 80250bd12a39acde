/**
 * Log lines of pbx_spool.c and CALLERID(all), worded and counted as Asterisk 22 prints them:
 * attempt_thread's "Attempting call on …", "Call failed to go through, reason (N) <text>"
 * (ast_channel_reason2str) and "expired without completion after N attempts" (N = o->retries - 1),
 * apply_outgoing's "At least one of app or extension must be specified … in file <path>", and
 * func_callerid's `"%s" <%s>` for ${CALLERID(all)}.
 */
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { callerIdAll, escapeQuoted, formatClid } from "./channel";
import { reasonToString } from "./spool";
import { type TestSpool, runCallFiles, stopCallFileRuns } from "./testing/harness";

const T0 = 1_800_000_000;
let spool: TestSpool;
afterEach(stopCallFileRuns);

const DIALPLAN = `
[out]
exten => s,1,NoOp(all=\${CALLERID(all)} num=\${CALLERID(num)} name=\${CALLERID(name)})
same => n,Set(CALLERID(all)="Night Desk" <7009>)
same => n,NoOp(after set all=\${CALLERID(all)})
exten => failed,1,NoOp(failed REASON=\${REASON})
`;

const CALLEES = [
  { exact: "100", behaviour: { kind: "answer" as const, after: 0.5, hangupAfter: 3 } },
  { exact: "200", behaviour: { kind: "no-answer" as const } },
  { exact: "300", behaviour: { kind: "busy" as const, after: 0.2 } },
  { exact: "500", behaviour: { kind: "congestion" as const, after: 0.2 } },
];

async function run(files: Record<string, string>, advanceMs = 60_000) {
  const r = await runCallFiles(files, { t0: T0, advanceMs, dialplan: DIALPLAN, callees: CALLEES });
  spool = r.spool;
  return { logs: r.logs, messages: r.logs.map((l) => l.message) };
}

describe("attempt_thread and scan_service log lines (pbx/pbx_spool.c)", () => {
  it("MaxRetries 0, busy: the failed extension, then 'Call failed … reason (5)', then 'after 0 attempts'", async () => {
    const { messages, logs } = await run({
      "busy.call": "Channel: Local/300@callees\nContext: out\nExtension: s\nArchive: yes\n",
    });
    const attempt = messages.indexOf("Attempting call on Local/300@callees for s@out:1 (Retry 1)");
    const failedExten = messages.indexOf("NoOp(failed REASON=5)");
    const failed = messages.indexOf("Call failed to go through, reason (5) Remote end is Busy");
    const expired = messages.indexOf("Queued call to Local/300@callees expired without completion after 0 attempts");
    expect([attempt, failedExten, failed, expired].every((i) => i >= 0)).toBe(true);
    expect(attempt < failedExten && failedExten < failed && failed < expired).toBe(true);
    expect(logs[failed]!.level).toBe("notice");
  });

  it("prints the retries, not the attempts: two attempts say 'after 1 attempt', three 'after 2 attempts'", async () => {
    const { messages } = await run({
      "noans.call":
        "Channel: Local/200@callees\nApplication: Wait\nData: 1\nMaxRetries: 1\nRetryTime: 2\nWaitTime: 2\nArchive: yes\n",
      "cong.call": "Channel: Local/500@callees\nApplication: Wait\nData: 1\nMaxRetries: 2\nRetryTime: 1\nArchive: yes\n",
    });
    expect(messages.filter((m) => m === "Call failed to go through, reason (3) Remote end Ringing")).toHaveLength(2);
    expect(messages.filter((m) => m === "Call failed to go through, reason (8) Congestion (circuits busy)")).toHaveLength(3);
    expect(messages).toContain("Attempting call on Local/200@callees for application Wait(1) (Retry 2)");
    expect(messages).toContain("Queued call to Local/200@callees expired without completion after 1 attempt");
    expect(messages).toContain("Queued call to Local/500@callees expired without completion after 2 attempts");
  });

  it("a file whose attempts were used up expires at scan time with the same count (retries - 1)", async () => {
    const used = [
      "Channel: Local/300@callees",
      "Application: Wait",
      "Data: 1",
      "MaxRetries: 1",
      "",
      "StartRetry: 99 1 (1799999000)",
      "",
      "EndRetry: 99 1 (1799999001)",
      "",
      "StartRetry: 99 2 (1799999300)",
      "",
      "EndRetry: 99 2 (1799999301)",
      "",
    ].join("\n");
    const { messages } = await run({ "used.call": used });
    expect(messages).toContain("Queued call to Local/300@callees expired without completion after 1 attempt");
    expect(messages.some((m) => m.startsWith("Call failed to go through"))).toBe(false);
  });

  it("an answered call logs 'Call completed to …' and no failure line", async () => {
    const { messages } = await run({ "ok.call": "Channel: Local/100@callees\nContext: out\nExtension: s\nArchive: yes\n" });
    expect(messages).toContain("Call completed to Local/100@callees");
    expect(messages.some((m) => m.startsWith("Call failed"))).toBe(false);
  });

  it("a file without app or extension: apply_outgoing's warning naming the file, then 'Invalid file contents'", async () => {
    const { logs } = await run({ "bad.call": "Channel: Local/100@callees\nArchive: yes\n" });
    const file = path.join(spool.outgoing, "bad.call");
    expect(logs).toContainEqual({
      level: "warning",
      message: `At least one of app or extension must be specified, along with tech and dest in file ${file}`,
    });
    const messages = logs.map((l) => l.message);
    expect(messages.indexOf(`Invalid file contents in ${file}, deleting`)).toBeGreaterThan(
      messages.indexOf(`At least one of app or extension must be specified, along with tech and dest in file ${file}`),
    );
  });

  it("ast_channel_reason2str: the text of every REASON the dial gives, and of anything else", () => {
    expect([0, 1, 2, 3, 4, 5, 8, 9].map(reasonToString)).toEqual([
      "Call Failure (not BUSY, and not NO_ANSWER, maybe Circuit busy or down?)",
      "Hangup",
      "Local Ring",
      "Remote end Ringing",
      "Remote end has Answered",
      "Remote end is Busy",
      "Congestion (circuits busy)",
      "Unknown Reason!!",
    ]);
  });
});

describe("${CALLERID(all)} and the CDR clid", () => {
  it('formats "" <number> when the name is empty, and "name" <number> after a write of CALLERID(all)', async () => {
    const { messages } = await run({
      "num.call": "Channel: Local/100@callees\nCallerID: <5551234>\nContext: out\nExtension: s\nArchive: yes\n",
    });
    expect(messages).toContain('NoOp(all="" <5551234> num=5551234 name=)');
    expect(messages).toContain('NoOp(after set all="Night Desk" <7009>)');
  });

  it('formats "" <> with no caller ID at all, and "Desk" <7002> with both', async () => {
    const { messages } = await run({
      "none.call": "Channel: Local/100@callees\nContext: out\nExtension: s\nArchive: yes\n",
      "both.call": 'Channel: Local/100@callees\nCallerID: "Desk" <7002>\nContext: out\nExtension: s\nArchive: yes\n',
    });
    expect(messages).toContain('NoOp(all="" <> num= name=)');
    expect(messages).toContain('NoOp(all="Desk" <7002> num=7002 name=Desk)');
  });

  it("func_callerid does not escape; the CDR's ast_callerid_merge does (ast_escape_quoted, 127 bytes)", () => {
    expect(callerIdAll('A "b"', "1")).toBe('"A "b"" <1>');
    expect(formatClid('A "b" \\c', "1")).toBe('"A \\"b\\" \\\\c" <1>');
    expect(formatClid("", "")).toBe('"" <>');
    expect(formatClid("", "5551234")).toBe('"" <5551234>');
    expect(escapeQuoted("x".repeat(200), 128)).toHaveLength(127);
    // An escape that would not fit is dropped whole.
    expect(escapeQuoted(`${"x".repeat(126)}"`, 128)).toBe("x".repeat(126));
  });
});
