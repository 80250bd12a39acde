import { describe, expect, it } from "vitest";
import { decideFollowUp, guestOutcomeOf, planOccurrences } from "./wakeup-scheduler";

const now = new Date("2026-05-01T07:00:30Z");
const call = (state: string, ackDigit: string | null = null) => ({ state, ackDigit, outcome: state, reason: null });
const w = { snoozeMinutes: 9, maxSnoozes: 2, retries: 2, state: "active" };

const occ = (state: string, snoozes = 0, retries = 0) => ({ state, snoozes, retries });

describe("decideFollowUp", () => {
  it("waits while queued or spooled, shows calling once Asterisk dials", () => {
    expect(decideFollowUp(call("queued"), occ("pending"), w, now)).toEqual({ kind: "wait" });
    expect(decideFollowUp(call("spooled"), occ("snoozed", 1), w, now)).toEqual({ kind: "wait" });
    expect(decideFollowUp(call("dialling"), occ("pending"), w, now)).toEqual({ kind: "calling" });
    expect(decideFollowUp(call("retry-wait"), occ("calling"), w, now)).toEqual({ kind: "wait" });
  });

  it("confirmed: the confirm key", () => {
    expect(decideFollowUp(call("acknowledged", "1"), occ("calling"), w, now)).toEqual({ kind: "confirmed" });
    expect(guestOutcomeOf(call("acknowledged", "1"))).toBe("confirmed");
  });

  it("snoozed: key 5 calls again after snoozeMinutes (scaled in tests) until maxSnoozes; never 'acknowledged'", () => {
    expect(guestOutcomeOf(call("acknowledged", "5"))).toBe("snoozed");
    expect(decideFollowUp(call("acknowledged", "5"), occ("calling", 1), w, now)).toEqual({
      kind: "snooze",
      at: new Date("2026-05-01T07:09:30Z"),
    });
    expect(decideFollowUp(call("acknowledged", "5"), occ("calling", 1), w, now, 60)).toEqual({
      kind: "snooze",
      at: new Date("2026-05-01T07:00:39Z"),
    });
    // Out of snoozes, or the series was cancelled: the guest is awake, so confirmed.
    expect(decideFollowUp(call("acknowledged", "5"), occ("calling", 2), w, now)).toEqual({ kind: "confirmed" });
    expect(decideFollowUp(call("acknowledged", "5"), occ("calling"), { ...w, state: "cancelled" }, now)).toEqual({
      kind: "confirmed",
    });
    expect(decideFollowUp(call("acknowledged", "5"), occ("calling"), { ...w, state: "ended" }, now).kind).toBe("snooze");
  });

  it("answered, not confirmed: answered and hung up, or no key, is called again before anything else", () => {
    for (const state of ["completed", "not-acknowledged", "not-played", "playback-unconfirmed"]) {
      expect(guestOutcomeOf(call(state))).toBe("answered-not-confirmed");
    }
    expect(decideFollowUp(call("completed"), occ("calling"), w, now)).toEqual({
      kind: "retry",
      at: new Date("2026-05-01T07:02:30Z"),
      reason: "answered and hung up without pressing a key",
    });
    // The snooze call answered without a key is the same: not "missed".
    expect(decideFollowUp(call("not-acknowledged"), occ("snoozed", 1), w, now, 60)).toEqual({
      kind: "retry",
      at: new Date("2026-05-01T07:00:32Z"),
      reason: "answered, but no key was pressed",
    });
    // Once WakeUp.retries calls were placed again, it is unconfirmed (then escalated if configured).
    expect(decideFollowUp(call("completed"), occ("retrying", 0, 2), w, now)).toEqual({
      kind: "unreached",
      outcome: "answered-not-confirmed",
      reason: "answered and hung up without pressing a key",
    });
    expect(decideFollowUp(call("completed"), occ("calling"), { ...w, retries: 0 }, now).kind).toBe("unreached");
  });

  it("no answer: every end without an answer, after Asterisk's own retries; a cancelled call cancels", () => {
    for (const state of ["no-answer", "busy", "congestion", "failed", "expired", "lost"]) {
      expect(guestOutcomeOf(call(state))).toBe("no-answer");
      expect(decideFollowUp(call(state), occ("calling"), w, now)).toMatchObject({ kind: "unreached", outcome: "no-answer" });
    }
    expect(decideFollowUp(call("cancelled"), occ("pending"), w, now)).toEqual({ kind: "cancelled" });
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
