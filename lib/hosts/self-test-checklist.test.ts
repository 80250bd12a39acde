import { describe, expect, it } from "vitest";
import {
  buildChecklist,
  checklistPassed,
  type LegEvidence,
  type SelfTestEvidence,
  type SelfTestLine,
} from "./self-test-checklist";

const T = new Date("2026-12-04T10:00:00Z");
const at = (ms: number) => new Date(T.getTime() + ms);
const PROMPT = "spoolcast/system/goodbye";
const MSG = "spoolcast/msg-0123456789abcdef0123";

function leg(over: Partial<LegEvidence> = {}): LegEvidence {
  return {
    callId: "c1",
    channel: "Local/s@spoolcast-selftest",
    state: "completed",
    final: true,
    spooledAt: T,
    pickedUpAt: at(300),
    retryLines: true,
    archive: { status: "Completed", uid: 1001, gid: 1001 },
    reasons: [],
    events: [
      { type: "answered", detail: "" },
      { type: "ivr.connected", detail: "127.0.0.1:5000" },
      { type: "ivr.played", detail: PROMPT },
      { type: "ivr.played", detail: MSG },
    ],
    authFailure: null,
    ...over,
  };
}

function evidence(over: Partial<SelfTestEvidence> = {}): SelfTestEvidence {
  return {
    ivrMode: "dialplan",
    ivrAddress: "192.0.2.10:2949",
    testContext: "spoolcast-selftest",
    fileUid: 1001,
    transport: "local",
    waitedMs: 4000,
    systemPrompt: PROMPT,
    message: { name: "Fire drill", soundName: MSG },
    promptLeg: leg(),
    messageLeg: leg({ callId: "c2" }),
    failingLeg: leg({ callId: "c3", channel: "Local/busy@spoolcast-selftest", state: "busy", reasons: ["5"], events: [] }),
    ...over,
  };
}

const byId = (lines: SelfTestLine[]) => Object.fromEntries(lines.map((l) => [l.id, l]));
const statuses = (lines: SelfTestLine[]) => lines.map((l) => `${l.id}:${l.status}`);

describe("the self-test checklist", () => {
  it("passes every line on evidence alone, naming the pickup time and the archive's owner", () => {
    const lines = buildChecklist(evidence());
    expect(checklistPassed(lines)).toBe(true);
    const l = byId(lines);
    expect(l["picked-up"]!.detail).toBe("Picked up 0.3 s after it was placed in outgoing/.");
    expect(l.archived!.detail).toMatch(/^Archived with Status: Completed, owned by uid 1001 gid 1001;/);
    expect(l["failed-leg"]!.detail).toMatch(/REASON 5 \(busy\)/);
  });

  it("blames the engine when no file was placed, and skips what depends on it", () => {
    const lines = buildChecklist(
      evidence({ promptLeg: leg({ spooledAt: null, pickedUpAt: null, state: "queued", final: false }) }),
    );
    expect(byId(lines)["picked-up"]).toMatchObject({ status: "failed", fix: expect.stringMatching(/engine must run/) });
    expect(statuses(lines).slice(1, 6)).toEqual([
      "archived:skipped",
      "answered:skipped",
      "ivr-reached:skipped",
      "token:skipped",
      "system-prompt:skipped",
    ]);
  });

  it("points at pbx_spool and the spool directory when Asterisk never picked the file up", () => {
    const lines = buildChecklist(evidence({ promptLeg: leg({ pickedUpAt: null, final: false, state: "spooled", events: [] }) }));
    expect(byId(lines)["picked-up"]).toMatchObject({ status: "failed", fix: expect.stringMatching(/pbx_spool.*astspooldir/) });
  });

  it("warns about a slow pickup, which a rename into outgoing/ never is", () => {
    const lines = buildChecklist(evidence({ promptLeg: leg({ pickedUpAt: at(5200) }) }));
    expect(byId(lines)["picked-up"]).toMatchObject({
      status: "warning",
      detail: "Picked up 5.2 s after it was placed in outgoing/.",
    });
    expect(checklistPassed(lines)).toBe(false);
  });

  it("fails the archive line when Asterisk could not append its StartRetry line (file owner)", () => {
    const lines = buildChecklist(evidence({ promptLeg: leg({ retryLines: false }) }));
    expect(byId(lines).archived).toMatchObject({ status: "failed", fix: expect.stringMatching(/file owner.*Asterisk's user/) });
  });

  it("warns when the archive does not belong to the configured owner, and says when the owner cannot be read (SFTP)", () => {
    const mismatch = byId(buildChecklist(evidence({ fileUid: 999 }))).archived!;
    expect(mismatch).toMatchObject({ status: "warning", fix: expect.stringMatching(/uid 999.*uid 1001/) });
    const sftp = byId(
      buildChecklist(evidence({ transport: "sftp", promptLeg: leg({ archive: { status: "Completed" } }) })),
    ).archived!;
    expect(sftp).toMatchObject({ status: "passed", detail: expect.stringMatching(/not read over SFTP/) });
  });

  it("fails the token line, not the IVR line, when the IVR server refused the session", () => {
    const refused = leg({
      events: [{ type: "answered", detail: "" }],
      authFailure: "IVR session refused from 10.0.0.2: bad token",
    });
    const lines = buildChecklist(evidence({ promptLeg: refused, messageLeg: refused }));
    const l = byId(lines);
    expect(l["ivr-reached"]!.status).toBe("passed");
    expect(l.token).toMatchObject({
      status: "failed",
      detail: expect.stringMatching(/bad token/),
      fix: expect.stringMatching(/SPOOLCAST_SECRET/),
    });
    expect(l["system-prompt"]!.status).toBe("skipped");
  });

  it("tells a missing system prompt (Z) from a silent PBX (no F)", () => {
    const missing = leg({
      events: [
        { type: "ivr.connected", detail: "" },
        { type: "ivr.error", detail: `cannot play ${PROMPT}` },
      ],
    });
    expect(byId(buildChecklist(evidence({ promptLeg: missing })))["system-prompt"]!.fix).toMatch(/sounds root/);
    const silent = leg({ final: false, state: "answered", events: [{ type: "ivr.connected", detail: "" }] });
    const l = byId(buildChecklist(evidence({ promptLeg: silent, messageLeg: silent })));
    expect(l["system-prompt"]!.fix).toMatch(/core sounds/);
    expect(l.message!.status).toBe("skipped");
  });

  it("says the library is empty when there is no message to play", () => {
    const l = byId(buildChecklist(evidence({ message: null, messageLeg: null })));
    expect(l.message).toMatchObject({ status: "failed", fix: expect.stringMatching(/Add a message/) });
  });

  it("fails the failing-leg line when no REASON came back in dialplan mode, and skips it in direct mode", () => {
    const silentFail = leg({ callId: "c3", channel: "Local/busy@spoolcast-selftest", state: "expired", reasons: [], events: [] });
    expect(byId(buildChecklist(evidence({ failingLeg: silentFail })))["failed-leg"]).toMatchObject({
      status: "failed",
      fix: expect.stringMatching(/\[spoolcast\] context needs its failed extension/),
    });
    const direct = buildChecklist(evidence({ ivrMode: "direct", failingLeg: null }));
    expect(byId(direct)["failed-leg"]!.status).toBe("skipped");
    expect(checklistPassed(direct)).toBe(true);
  });
});
