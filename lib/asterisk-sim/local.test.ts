import { afterEach, describe, expect, it } from "vitest";
import { parseLocalTarget } from "./local";
import { runCallFiles, stopCallFileRuns } from "./testing/harness";

const T0 = 1_800_000_000;
afterEach(stopCallFileRuns);

// The call file's side runs [out] (as Spoolcast's dialplan-mode files do); the Local
// channel's other side runs [test], like the snippet's self-test context.
const DIALPLAN = `
[out]
exten => s,1,NoOp(up on \${CHANNEL} v=\${V})
same => n,Wait(2)
exten => failed,1,NoOp(failed REASON=\${REASON})
[test]
exten => s,1,Answer()
same => n,NoOp(second half v=\${V})
same => n,Wait(60)
same => n,Hangup()
exten => busy,1,Busy(10)
exten => cong,1,Congestion()
exten => gone,1,Hangup()
exten => slow,1,Wait(30)
`;

const file = (channel: string) => `Channel: ${channel}\nContext: out\nExtension: s\nSet: V=val\nArchive: yes\nWaitTime: 10\n`;

describe("Local channels into the dialplan (docs/asterisk.md#local-channels)", () => {
  it("answers when the second half runs Answer(), which inherits the call file's variables; the call ends when either half hangs up", async () => {
    const r = await runCallFiles(
      { "up.call": file("Local/s@test") },
      { t0: T0, advanceMs: 30_000, dialplan: DIALPLAN, callees: [] },
    );
    expect(r.status("up.call")).toBe("Completed");
    expect(r.calls).toMatchObject([{ attempt: 1, outcome: "answered", behaviour: "local-dialplan" }]);
    const logs = r.logs.map((l) => l.message);
    expect(logs).toContain("NoOp(second half v=val)");
    expect(logs.some((m) => /^NoOp\(up on Local\/s@test-[0-9a-f]{8};1 v=val\)$/.test(m))).toBe(true);
    // [out] hangs up after Wait(2): the second half's Wait(60) ends with it, long before 60 s.
    expect(r.sim.stats().active).toBe(0);
  });

  it("fails with REASON 5 for Busy(), 8 for Congestion(), 0 for a hang-up before answer, 3 when WaitTime passes", async () => {
    const r = await runCallFiles(
      {
        "busy.call": file("Local/busy@test"),
        "cong.call": file("Local/cong@test"),
        "gone.call": file("Local/gone@test"),
        "slow.call": file("Local/slow@test"),
      },
      { t0: T0, advanceMs: 60_000, dialplan: DIALPLAN, callees: [] },
    );
    const reasons = Object.fromEntries(r.calls.map((c) => [c.file, c.reason]));
    expect(reasons).toEqual({ "busy.call": 5, "cong.call": 8, "gone.call": 0, "slow.call": 3 });
    for (const name of ["busy.call", "cong.call", "gone.call", "slow.call"]) expect(r.status(name)).toBe("Expired");
    // The failed extension of the call file's context runs with that REASON.
    expect(r.logs.map((l) => l.message)).toContain("NoOp(failed REASON=5)");
  });

  it("refuses an extension or context the dialplan does not have, as local_call does: REASON 0", async () => {
    const r = await runCallFiles(
      { "noctx.call": file("Local/s@absent"), "noext.call": file("Local/nope@test") },
      { t0: T0, advanceMs: 20_000, dialplan: DIALPLAN, callees: [] },
    );
    expect(r.calls.map((c) => [c.file, c.outcome, c.reason]).sort()).toEqual([
      ["noctx.call", "failed", 0],
      ["noext.call", "failed", 0],
    ]);
    const logs = r.logs.map((l) => l.message);
    expect(logs).toContain("No such extension/context s@absent while calling Local channel");
    expect(logs).toContain("No such extension/context nope@test while calling Local channel");
  });

  it("lets a callee rule stand for a context the simulator does not load (a phone behind the PBX's own dialplan)", async () => {
    const r = await runCallFiles(
      { "phone.call": file("Local/100@callees") },
      { t0: T0, advanceMs: 20_000, dialplan: DIALPLAN, callees: [{ exact: "100", behaviour: { kind: "busy", after: 0.2 } }] },
    );
    expect(r.calls).toMatchObject([{ behaviour: "busy", reason: 5 }]);
  });

  it("reads exten@context and drops the options", () => {
    expect(parseLocalTarget("s@spoolcast-selftest/n")).toEqual({ exten: "s", context: "spoolcast-selftest" });
    expect(parseLocalTarget("100")).toBeNull();
    expect(parseLocalTarget("@ctx")).toBeNull();
  });
});
