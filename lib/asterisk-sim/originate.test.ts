import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FAILED_REPORT_MARK, renderDialplanSnippet } from "@/lib/ivr/dialplan";
import { createDemoMix } from "./callees";
import type { SimOptions } from "./index";
import { type TestSpool, runCallFiles, stopCallFileRuns } from "./testing/harness";

const T0 = 1_800_000_000;
let spool: TestSpool;
afterEach(stopCallFileRuns);

const DIALPLAN = `
[out]
exten => s,1,NoOp(up attempt=\${AST_OUTGOING_ATTEMPT} v=\${V})
same => n,Set(CDR(userfield)=from-dialplan)
same => n,Wait(2)
exten => failed,1,NoOp(failed REASON=\${REASON} V=\${V} chan=\${CHANNEL})
same => n,NoOp(failed attempt \${AST_OUTGOING_ATTEMPT})
exten => h,1,NoOp(h ran in \${CONTEXT} for \${EXTEN})
[nofail]
exten => s,1,NoOp(x)
`;

async function run(files: Record<string, string>, extra: Partial<SimOptions> = {}, advanceMs = 120_000) {
  const r = await runCallFiles(files, { t0: T0, advanceMs, dialplan: DIALPLAN, ...extra });
  spool = r.spool;
  return { calls: r.calls, logs: r.logs.map((l) => l.message), status: r.status, clock: r.clock, stop: r.stop };
}

const exten = (channel: string, more = "") =>
  `Channel: ${channel}\nContext: out\nExtension: s\nSet: V=val\nArchive: yes\nWaitTime: 10\n${more}`;

describe("dialling and REASON (docs/asterisk.md#reason-codes)", () => {
  it("gives REASON 5 busy, 8 congestion, 3 no answer, 0 unknown tech / hang-up while ringing / invalid endpoint", async () => {
    const { calls, logs, status } = await run(
      {
        "busy.call": exten("Local/300@callees"),
        "cong.call": exten("Local/500@callees"),
        "noans.call": exten("Local/200@callees"),
        "tech.call": exten("Bogus/1"),
        "hbr.call": exten("PJSIP/hbr"),
        "inv.call": exten("PJSIP/nobody"),
      },
      {
        callees: [
          { exact: "300", behaviour: { kind: "busy" } },
          { exact: "500", behaviour: { kind: "congestion" } },
          { exact: "200", behaviour: { kind: "no-answer" } },
          { exact: "hbr", behaviour: { kind: "hangup-before-answer", after: 2 } },
          { prefix: "PJSIP/nob", behaviour: { kind: "invalid" } },
        ],
      },
    );
    const reasons = Object.fromEntries(calls.map((c) => [c.file, c.reason]));
    expect(reasons).toEqual({ "busy.call": 5, "cong.call": 8, "noans.call": 3, "tech.call": 0, "hbr.call": 0, "inv.call": 0 });
    for (const f of Object.keys(reasons)) expect(status(f)).toBe("Expired");
    for (const r of [5, 8, 3, 0]) expect(logs).toContain(`NoOp(failed REASON=${r} V=val chan=OutgoingSpoolFailed)`);
    // h runs after every failed extension, in the file's context.
    expect(logs.filter((l) => l === "NoOp(h ran in out for h)")).toHaveLength(6);
  });

  it("lets a Set: REASON in the file override REASON on the failed channel, and runs the app when both app and extension are given", async () => {
    const { logs, calls } = await run(
      {
        "r.call": exten("Local/300@callees", "Set: REASON=override\n"),
        "both.call": "Channel: Local/400@callees\nApplication: NoOp\nData: app-won\nContext: out\nExtension: s\nArchive: yes\n",
      },
      {
        callees: [
          { exact: "300", behaviour: { kind: "busy" } },
          { exact: "400", behaviour: { kind: "answer", after: 1 } },
        ],
      },
    );
    expect(logs).toContain("NoOp(failed REASON=override V=val chan=OutgoingSpoolFailed)");
    expect(logs).toContain("NoOp(failed attempt 1)");
    expect(logs).toContain("NoOp(app-won)");
    expect(logs.some((l) => l.startsWith("NoOp(up attempt"))).toBe(false);
    expect(calls.find((c) => c.file === "both.call")).toMatchObject({ outcome: "answered" });
  });

  it("looks the failed extension up in an empty context when the file has no Context", async () => {
    const { logs, status } = await run(
      { "nc.call": "Channel: Local/300@callees\nExtension: failed\nArchive: yes\n" },
      {
        callees: [{ exact: "300", behaviour: { kind: "busy" } }],
        dialplan: `${DIALPLAN}\n[default]\nexten => failed,1,NoOp(default failed)\n`,
      },
    );
    expect(logs).not.toContain("NoOp(default failed)");
    expect(status("nc.call")).toBe("Expired");
  });

  it("uses WaitTime as the ring timeout", async () => {
    const { calls } = await run(
      { "slow.call": exten("PJSIP/slow", "WaitTime: 5\n") },
      { callees: [{ exact: "slow", behaviour: { kind: "answer", after: 6 } }] },
    );
    expect(calls).toMatchObject([{ outcome: "failed", reason: 3 }]);
  });

  it("treats progress as answer only with early_media on a Context/Extension call", async () => {
    const cfg = { callees: [{ exact: "pr", behaviour: { kind: "progress-only" as const, after: 1 } }] };
    const a = await run({ "p.call": exten("PJSIP/pr") }, cfg);
    expect(a.calls).toMatchObject([{ outcome: "failed", reason: 3 }]);
    await a.stop();
    const b = await run({ "p.call": exten("PJSIP/pr", "early_media: yes\n") }, cfg);
    expect(b.calls).toMatchObject([{ outcome: "answered" }]);
    expect(b.status("p.call")).toBe("Completed");
  });

  it("runs no failed extension for Application calls or contexts without one", async () => {
    const { logs } = await run(
      {
        "app.call": "Channel: Local/300@callees\nApplication: Wait\nData: 1\nArchive: yes\n",
        "nf.call": "Channel: Local/300@callees\nContext: nofail\nExtension: s\nArchive: yes\n",
      },
      { callees: [{ exact: "300", behaviour: { kind: "busy" } }] },
    );
    expect(logs.some((l) => l.startsWith("NoOp(failed"))).toBe(false);
  });

  it("sets AST_OUTGOING_ATTEMPT last, over a Set in the file", async () => {
    const { logs } = await run({ "a.call": exten("Local/400@callees", "Set: AST_OUTGOING_ATTEMPT=99\n") });
    expect(logs).toContain("NoOp(up attempt=1 v=val)");
  });

  it("reports Completed once the answered call has ended, even for an unknown application", async () => {
    const { calls, status } = await run({ "u.call": "Channel: Local/100@callees\nApplication: NoSuchApp\nArchive: yes\n" });
    expect(calls).toMatchObject([{ outcome: "answered" }]);
    expect(status("u.call")).toBe("Completed");
  });

  it("fails new calls with congestion past the trunk capacity", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 4; i++) files[`t${i}.call`] = "Channel: Local/800@callees\nApplication: Wait\nData: 20\nArchive: yes\n";
    const { calls } = await run(files, { trunkCapacity: 2 });
    expect(calls.filter((c) => c.outcome === "answered")).toHaveLength(2);
    expect(calls.filter((c) => c.reason === 8 && c.behaviour === "trunk-full")).toHaveLength(2);
  });
});

describe("CDR (docs/asterisk.md#cdr-userfield)", () => {
  it("writes answered originates to Master.csv in cdr_csv order with the userfield, and skips unanswered ones", async () => {
    const cdrFile = path.join(mkdtempSync(path.join(os.tmpdir(), "sim-cdr-")), "Master.csv");
    await run(
      {
        "a.call":
          'Channel: Local/400@callees\nCallerID: "Desk" <7002>\nContext: out\nExtension: s\nSet: CDR(userfield)=UF1\nAccount: acct1\nArchive: yes\n',
        "b.call": "Channel: Local/300@callees\nApplication: Wait\nSet: CDR(userfield)=lost\nArchive: yes\n",
      },
      {
        cdrFile,
        callees: [
          { exact: "400", behaviour: { kind: "answer", after: 1, hangupAfter: 5 } },
          { exact: "300", behaviour: { kind: "busy" } },
        ],
      },
    );
    const lines = readFileSync(cdrFile, "latin1").trim().split("\n");
    expect(lines).toHaveLength(1);
    const start = new Date(T0 * 1000).toISOString().slice(0, 19).replace("T", " ");
    const answer = new Date((T0 + 1) * 1000).toISOString().slice(0, 19).replace("T", " ");
    const end = new Date((T0 + 3) * 1000).toISOString().slice(0, 19).replace("T", " ");
    // Wait(2) after the answer at +1.5 s, so the call ends at +3.5 s.
    expect(lines[0]).toBe(
      `"acct1","7002","s","out","""Desk"" <7002>","Local/400@callees-00000001;1","","Wait","2","${start}","${answer}","${end}",3,2,"ANSWERED","DOCUMENTATION","${T0}.1","from-dialplan"`,
    );
    // accountlogs: the same record in <accountcode>.csv.
    expect(readFileSync(path.join(path.dirname(cdrFile), "acct1.csv"), "latin1")).toBe(`${lines[0]}\n`);
  });
});

/** The last (userfield) and sixth (channel) columns of a cdr_csv line. */
const userfield = (line: string) => line.slice(line.lastIndexOf(',"') + 2, -1);
const channel = (line: string) => line.split(",")[5];

describe("CDR rows of the failed extension (docs/operations.md#counting-calls-in-the-cdr)", () => {
  it("posts, with unanswered = yes, one marked row per failed attempt beside the attempt's own row", async () => {
    const cdrFile = path.join(mkdtempSync(path.join(os.tmpdir(), "sim-cdr-")), "Master.csv");
    const snippet = renderDialplanSnippet({ ivrContext: "spoolcast", ivrPublicAddress: "127.0.0.1:9" });
    await run(
      {
        "spoolcast-c1-1.call":
          "Channel: Local/300@callees\nContext: spoolcast\nExtension: s\nMaxRetries: 1\nRetryTime: 5\nWaitTime: 10\n" +
          "Set: SPOOLCAST_CALL=c1\nSet: SPOOLCAST_TOKEN=t\nSet: CDR(userfield)=spoolcast:c1\nArchive: yes\n",
      },
      { cdrFile, cdrUnanswered: true, dialplan: snippet, callees: [{ exact: "300", behaviour: { kind: "busy" } }] },
    );
    const rows = readFileSync(cdrFile, "latin1").trim().split("\n");
    // Two attempts, each: the originated leg (BUSY) and the failed extension's channel.
    expect(rows.map((r) => [channel(r), userfield(r)])).toEqual([
      ['"Local/300@callees-00000001;1"', "spoolcast:c1"],
      ['"OutgoingSpoolFailed"', `spoolcast:c1${FAILED_REPORT_MARK}`],
      ['"Local/300@callees-00000002;1"', "spoolcast:c1"],
      ['"OutgoingSpoolFailed"', `spoolcast:c1${FAILED_REPORT_MARK}`],
    ]);
    expect(rows.filter((r) => r.includes(',"BUSY",'))).toHaveLength(2);
    // Counting calls: the rows without the mark.
    expect(rows.filter((r) => !userfield(r).endsWith(FAILED_REPORT_MARK))).toHaveLength(2);
  });

  it("posts no failed-extension row with the default unanswered = no", async () => {
    const cdrFile = path.join(mkdtempSync(path.join(os.tmpdir(), "sim-cdr-")), "Master.csv");
    const snippet = renderDialplanSnippet({ ivrContext: "spoolcast", ivrPublicAddress: "127.0.0.1:9" });
    const { calls } = await run(
      {
        "spoolcast-c2-1.call":
          "Channel: Local/300@callees\nContext: spoolcast\nExtension: s\nSet: SPOOLCAST_CALL=c2\nSet: CDR(userfield)=spoolcast:c2\nArchive: yes\n",
      },
      { cdrFile, dialplan: snippet, callees: [{ exact: "300", behaviour: { kind: "busy" } }] },
    );
    expect(calls).toMatchObject([{ outcome: "failed", reason: 5 }]);
    expect(existsSync(cdrFile)).toBe(false);
  });
});

describe("callee model", () => {
  it("gives the demo mix reproducibly per seed, with mostly answers", () => {
    const a = createDemoMix(7);
    const b = createDemoMix(7);
    const kinds: string[] = [];
    for (let i = 0; i < 400; i++) {
      expect(a.behaviourFor("PJSIP", `n${i}`, 1)).toEqual(b.behaviourFor("PJSIP", `n${i}`, 1));
      kinds.push(a.behaviourFor("PJSIP", `n${i}`, 1).kind);
    }
    const answered = kinds.filter((k) => k === "answer" || k === "answering-machine").length / kinds.length;
    expect(answered).toBeGreaterThan(0.6);
    expect(answered).toBeLessThan(0.8);
    for (const k of ["no-answer", "busy", "congestion", "hangup-before-answer"]) expect(kinds).toContain(k);
    expect(createDemoMix(8).behaviourFor("PJSIP", "n1", 1)).not.toEqual(undefined);
  });

  it("loads the example rules file", async () => {
    const { loadCalleeRules } = await import("./callees");
    expect(loadCalleeRules(path.join(import.meta.dirname, "callees.example.json"))).toHaveLength(10);
  });

  it("rejects a bad rules file naming the field", async () => {
    const { loadCalleeRules } = await import("./callees");
    expect(() => loadCalleeRules([{ exact: "1", behaviour: { kind: "answer", after: -1 } }])).toThrow(
      /callees\[0\.behaviour\.after\]/,
    );
    expect(() => loadCalleeRules([{ behaviour: { kind: "busy" } }])).toThrow(/exactly one of exact, prefix or regex/);
    expect(() => loadCalleeRules([{ regex: "(", behaviour: { kind: "busy" } }])).toThrow(/callees\[0\]\.regex/);
  });
});

describe("fault injection", () => {
  it("forgets files, slows the disk, and still completes calls whose IVR is unreachable", async () => {
    const { calls, status } = await run(
      {
        "lost.call": "Channel: Local/400@callees\nApplication: Wait\nArchive: yes\n",
        "ivr.call": "Channel: Local/400@callees\nApplication: ExternalIVR\nData: ivr://127.0.0.1:9(a)\nArchive: yes\n",
      },
      { faults: { forget: (n) => n === "lost.call", slowDiskMs: 1500, ivrUnreachable: true } },
      10_000,
    );
    expect(calls.map((c) => c.file)).toEqual(["ivr.call"]);
    expect(status("ivr.call")).toBe("Completed");
    expect(existsSync(path.join(spool.outgoing, "lost.call"))).toBe(true);
    // Read 1.5 s late: the StartRetry time reflects the slow disk.
    expect(readFileSync(path.join(spool.done, "ivr.call"), "latin1")).toContain(`StartRetry: 4242 1 (${T0 + 302})`);
  });
});

describe("cdr_csv record format", () => {
  it("leaves an unset answer time as an empty unquoted field and drops records over 1024 bytes", async () => {
    const { formatCdrLine, appendCdr } = await import("./cdr");
    const rec = {
      accountcode: "",
      src: "1",
      dst: "s",
      dcontext: "c",
      clid: "",
      channel: "PJSIP/1-00000001",
      dstchannel: "",
      lastapp: "Wait",
      lastdata: "1",
      start: 0,
      answer: null,
      end: 5000,
      disposition: "NO ANSWER" as const,
      amaflags: "DOCUMENTATION",
      uniqueid: "0.1",
      userfield: "",
    };
    expect(formatCdrLine(rec)).toBe(
      `"","1","s","c","","PJSIP/1-00000001","","Wait","1","1970-01-01 00:00:00",,"1970-01-01 00:00:05",5,0,"NO ANSWER","DOCUMENTATION","0.1",""`,
    );
    const dir = mkdtempSync(path.join(os.tmpdir(), "sim-cdr-"));
    expect(appendCdr(path.join(dir, "Master.csv"), { ...rec, userfield: "x".repeat(1000) })).toBe(false);
    expect(existsSync(path.join(dir, "Master.csv"))).toBe(false);
  });
});
