import { describe, expect, it } from "vitest";
import { clickStatusFor } from "./click-to-call";
import { contactLegOf, DIAL_STATUSES, formatContactLegDetail, formatDuration, parseContactLegReport } from "./contact-leg";
import { ACTIVE_STATES, FINAL_STATES } from "@/lib/engine/call-state";

const call = { id: "c1", reason: null, displayName: "Ada", destination: "+12125550100" };
const dialplan = (status: string, seconds: string) => ({ ivrMode: "dialplan", leg: parseContactLegReport(status, seconds) });

describe("clickStatusFor", () => {
  it("follows the desk leg: ringing you, your phone answered and calling the contact, or the desk's failure", () => {
    expect(clickStatusFor({ ...call, state: "spooled" }, { ivrMode: "dialplan", leg: null })).toMatchObject({
      phase: "ringing-you",
      final: false,
      text: "Ringing your phone…",
    });
    expect(clickStatusFor({ ...call, state: "answered" }, { ivrMode: "dialplan", leg: null })).toMatchObject({
      phase: "connecting",
      final: false,
      text: "Your phone answered. Calling Ada (+12125550100)…",
    });
    expect(clickStatusFor({ ...call, state: "no-answer", reason: "no answer after 1 attempt" })).toMatchObject({
      phase: "failed",
      final: true,
      text: "Your phone was not answered: no answer after 1 attempt",
    });
  });

  it("in dialplan mode ends on the contact leg Asterisk reported", () => {
    const done = { ...call, state: "completed" };
    expect(clickStatusFor(done, dialplan("ANSWER", "71"))).toMatchObject({
      phase: "ended",
      final: true,
      text: "Connected to Ada (+12125550100) (call lasted 1:11); call ended",
    });
    expect(clickStatusFor(done, dialplan("BUSY", ""))).toMatchObject({
      phase: "failed",
      text: "Contact busy: Ada (+12125550100)",
    });
    expect(clickStatusFor(done, dialplan("NOANSWER", "")).text).toBe("Contact did not answer: Ada (+12125550100)");
    expect(clickStatusFor(done, dialplan("CHANUNAVAIL", "")).text).toBe(
      "Contact could not be reached: Ada (+12125550100) (number unavailable)",
    );
    expect(clickStatusFor(done, dialplan("CANCEL", "")).text).toBe("You hung up before Ada (+12125550100) answered");
    // A report that arrives before the archive already shows, without ending the toast.
    expect(clickStatusFor({ ...call, state: "answered" }, dialplan("ANSWER", "4"))).toMatchObject({
      phase: "connected",
      final: false,
    });
    // No report at all (an old snippet): say so, never "Connected".
    const silent = clickStatusFor(done, { ivrMode: "dialplan", leg: null });
    expect(silent).toMatchObject({ phase: "unknown", final: true });
    expect(silent.text).toMatch(/without a report from the PBX on the contact's leg/);
  });

  it("in direct mode never says Connected, whatever the state or a stray report", () => {
    for (const state of [...ACTIVE_STATES, ...FINAL_STATES]) {
      for (const leg of [null, parseContactLegReport("ANSWER", "11")]) {
        expect(clickStatusFor({ ...call, state }, { ivrMode: "direct", leg }).text).not.toMatch(/connected/i);
      }
    }
    expect(clickStatusFor({ ...call, state: "completed" }, { ivrMode: "direct", leg: null }).text).toBe(
      "Your phone answered; the call to Ada (+12125550100) ended. The other leg is not visible in direct IVR mode.",
    );
  });

  it("says Connected only for ANSWER", () => {
    for (const status of DIAL_STATUSES) {
      const s = clickStatusFor({ ...call, state: "completed" }, dialplan(status, status === "ANSWER" ? "3" : ""));
      expect(/Connected/.test(s.text)).toBe(status === "ANSWER");
    }
  });
});

describe("contact leg reports", () => {
  it("parses what Asterisk sends (BUSY with an empty ANSWEREDTIME, ANSWER,11) and refuses anything else", () => {
    expect(parseContactLegReport("BUSY", "")).toEqual({ status: "BUSY", seconds: null });
    expect(parseContactLegReport("ANSWER", "11")).toEqual({ status: "ANSWER", seconds: 11 });
    expect(parseContactLegReport("", "")).toEqual({ status: "", seconds: null });
    expect(() => parseContactLegReport("busy", "")).toThrow(/DIALSTATUS "busy"/);
    expect(() => parseContactLegReport("ANSWER", "1.5")).toThrow(/ANSWEREDTIME "1.5"/);
    expect(formatContactLegDetail({ status: "ANSWER", seconds: 11 })).toBe("ANSWER,11");
    expect(formatContactLegDetail({ status: "BUSY", seconds: null })).toBe("BUSY");
  });

  it("reads the latest report back from a timeline", () => {
    const at = new Date("2026-05-01T10:00:00Z");
    expect(contactLegOf([{ type: "ivr.connected", detail: "x", at }])).toBeNull();
    expect(
      contactLegOf([
        { type: "contact.dial", detail: "NOANSWER", at },
        { type: "contact.dial", detail: "ANSWER,3", at },
      ]),
    ).toEqual({ status: "ANSWER", seconds: 3, at });
  });

  it("formats durations as m:ss and h:mm:ss", () => {
    expect([formatDuration(0), formatDuration(11), formatDuration(71), formatDuration(3725)]).toEqual([
      "0:00",
      "0:11",
      "1:11",
      "1:02:05",
    ]);
  });
});
