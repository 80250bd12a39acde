import { describe, expect, it } from "vitest";
import { decideFollowUp, planOccurrences, wakeUpChannel } from "./wakeup-scheduler";

const now = new Date("2026-05-01T07:00:30Z");
const call = (state: string, ackDigit: string | null = null) => ({ state, ackDigit, outcome: state, reason: null });
const w = { snoozeMinutes: 9, maxSnoozes: 2, state: "active" };

describe("decideFollowUp", () => {
  it("waits while queued or spooled, shows calling once Asterisk dials", () => {
    expect(decideFollowUp(call("queued"), { state: "pending", snoozes: 0 }, w, now)).toEqual({ kind: "wait" });
    expect(decideFollowUp(call("spooled"), { state: "snoozed", snoozes: 1 }, w, now)).toEqual({ kind: "wait" });
    expect(decideFollowUp(call("dialling"), { state: "pending", snoozes: 0 }, w, now)).toEqual({ kind: "calling" });
    expect(decideFollowUp(call("retry-wait"), { state: "calling", snoozes: 0 }, w, now)).toEqual({ kind: "wait" });
  });

  it("1 confirms; 5 snoozes for snoozeMinutes (scaled in tests) until maxSnoozes", () => {
    expect(decideFollowUp(call("acknowledged", "1"), { state: "calling", snoozes: 0 }, w, now)).toEqual({ kind: "confirmed" });
    expect(decideFollowUp(call("acknowledged", "5"), { state: "calling", snoozes: 1 }, w, now)).toEqual({
      kind: "snooze",
      at: new Date("2026-05-01T07:09:30Z"),
    });
    expect(decideFollowUp(call("acknowledged", "5"), { state: "calling", snoozes: 1 }, w, now, 60)).toEqual({
      kind: "snooze",
      at: new Date("2026-05-01T07:00:39Z"),
    });
    expect(decideFollowUp(call("acknowledged", "5"), { state: "calling", snoozes: 2 }, w, now)).toEqual({ kind: "confirmed" });
    expect(
      decideFollowUp(call("acknowledged", "5"), { state: "calling", snoozes: 0 }, { ...w, state: "cancelled" }, now),
    ).toEqual({ kind: "confirmed" });
    expect(decideFollowUp(call("acknowledged", "5"), { state: "calling", snoozes: 0 }, { ...w, state: "ended" }, now).kind).toBe(
      "snooze",
    );
  });

  it("every other end is a miss; a cancelled call cancels the occurrence", () => {
    for (const state of ["no-answer", "busy", "congestion", "failed", "expired", "lost"]) {
      expect(decideFollowUp(call(state), { state: "calling", snoozes: 0 }, w, now).kind).toBe("missed");
    }
    expect(decideFollowUp(call("not-acknowledged"), { state: "calling", snoozes: 0 }, w, now)).toEqual({
      kind: "missed",
      reason: "answered but no key was pressed",
    });
    expect(decideFollowUp(call("cancelled"), { state: "pending", snoozes: 0 }, w, now)).toEqual({ kind: "cancelled" });
  });
});

describe("planOccurrences", () => {
  const spec = { localTime: "07:00", timeZone: "UTC", startDate: "2026-05-01", rrule: "FREQ=DAILY", untilDate: null };
  it("includes an occurrence up to the grace period late, and 48 hours ahead", () => {
    expect(planOccurrences(spec, now).map((d) => d.toISOString())).toEqual([
      "2026-05-01T07:00:00.000Z",
      "2026-05-02T07:00:00.000Z",
      "2026-05-03T07:00:00.000Z",
    ]);
    expect(planOccurrences(spec, new Date("2026-05-01T07:02:01Z")).map((d) => d.toISOString())).toEqual([
      "2026-05-02T07:00:00.000Z",
      "2026-05-03T07:00:00.000Z",
    ]);
  });
});

describe("wakeUpChannel", () => {
  it("dials a room extension as a PJSIP endpoint, leaves endpoints and E.164 to the engine", () => {
    expect(wakeUpChannel("101")).toBe("PJSIP/101");
    expect(wakeUpChannel("SIP/101")).toBeUndefined();
    expect(wakeUpChannel("+442071234567")).toBeUndefined();
  });
});
