import { describe, expect, it } from "vitest";
import { ACTIVE_STATES, CALL_KINDS, FINAL_STATES } from "@/lib/engine/call-state";
import {
  OUTCOME_GROUPS,
  OUTCOME_STATES,
  attemptResultLabel,
  outcomeBreakdown,
  retryChoiceLabel,
  describeOutcome,
  stateFilterOptions,
  stateGroup,
  stateLabel,
  timelineEventLabel,
} from "@/lib/calls/outcome-words";

/** What a message call (PA, campaign) with playback reported reads, state by state. */
const MESSAGE_CALL: Record<(typeof OUTCOME_STATES)[number], { label: string; tone: string; group: string }> = {
  queued: { label: "Waiting to be placed", tone: "active", group: "In progress" },
  spooled: { label: "Handed to the PBX", tone: "active", group: "In progress" },
  dialling: { label: "Ringing", tone: "active", group: "In progress" },
  "retry-wait": { label: "Waiting to retry", tone: "active", group: "In progress" },
  answered: { label: "Answered, in progress", tone: "active", group: "In progress" },
  acknowledged: { label: "Confirmed", tone: "good", group: "Confirmed" },
  "not-acknowledged": { label: "Heard, not confirmed", tone: "warn", group: "Heard" },
  completed: { label: "Heard", tone: "good", group: "Heard" },
  "not-played": { label: "Answered, message not played", tone: "bad", group: "Not reached" },
  "playback-unconfirmed": { label: "Answered, playback not confirmed", tone: "bad", group: "Not reached" },
  "no-answer": { label: "No answer", tone: "warn", group: "Not reached" },
  busy: { label: "Busy", tone: "warn", group: "Not reached" },
  congestion: { label: "Network congestion", tone: "bad", group: "Failed" },
  failed: { label: "Could not be placed", tone: "bad", group: "Failed" },
  expired: { label: "Not reached (reason unknown in direct IVR mode)", tone: "warn", group: "Not reached" },
  lost: { label: "Lost (Asterisk never processed the file)", tone: "bad", group: "Failed" },
  missed: { label: "Missed: Spoolcast was not running at the time", tone: "bad", group: "Not reached" },
  cancelled: { label: "Cancelled", tone: "neutral", group: "Cancelled" },
};

describe("describeOutcome", () => {
  it("names every state of a message call in plain words", () => {
    for (const state of OUTCOME_STATES) {
      const w = describeOutcome({ state, kind: "pa", heardMs: 20_000, messageMs: 20_000 });
      expect([state, { label: w.label, tone: w.tone, group: w.group }]).toEqual([state, MESSAGE_CALL[state]]);
    }
  });

  it("knows every state the engine has, and never echoes a state name", () => {
    for (const state of [...ACTIVE_STATES, ...FINAL_STATES]) {
      expect(OUTCOME_STATES).toContain(state);
      for (const kind of CALL_KINDS) {
        for (const heardMs of [null, 0, 4000, 20_000]) {
          const w = describeOutcome({ state, kind, heardMs, messageMs: 20_000 });
          expect(OUTCOME_GROUPS).toContain(w.group);
          // "no-answer" → "No answer" is fine; "no-answer" itself, or "not-acknowledged", is not.
          expect(w.label).not.toMatch(/\b[a-z]+-[a-z]+\b/);
          expect(w.label).not.toBe(state);
          expect(w.label).toMatch(/^[A-Z]/);
        }
      }
    }
  });

  it("says Heard part, with the seconds, when the callee hung up during the message", () => {
    expect(describeOutcome({ state: "not-acknowledged", kind: "pa", heardMs: 3200, messageMs: 20_000 })).toEqual({
      label: "Heard part (hung up after 3 s)",
      detail: "heard 3.2 s of 20.0 s",
      tone: "warn",
      group: "Heard",
    });
    expect(describeOutcome({ state: "completed", kind: "campaign", heardMs: 11_600, messageMs: 20_000 }).label).toBe(
      "Heard part (hung up after 12 s)",
    );
    expect(describeOutcome({ state: "completed", kind: "pa", heardMs: 300, messageMs: 20_000 }).label).toBe(
      "Heard part (hung up within 1 s)",
    );
  });

  it("counts a message heard to within a second of its end as heard in full", () => {
    expect(describeOutcome({ state: "completed", kind: "pa", heardMs: 19_100, messageMs: 20_000 })).toMatchObject({
      label: "Heard",
      detail: "heard 19.1 s of 20.0 s",
    });
    expect(describeOutcome({ state: "not-acknowledged", kind: "pa", heardMs: 18_900, messageMs: 20_000 }).label).toBe(
      "Heard part (hung up after 19 s)",
    );
    // Length unknown (0): nothing to compare with, so no "part".
    expect(describeOutcome({ state: "not-acknowledged", kind: "pa", heardMs: 3000, messageMs: 0 })).toMatchObject({
      label: "Heard, not confirmed",
      detail: "heard 3.0 s",
    });
  });

  it("never says Heard without a playback Asterisk reported", () => {
    for (const state of ["completed", "not-acknowledged"]) {
      const w = describeOutcome({ state, kind: "pa", heardMs: null, messageMs: 20_000 });
      expect(w.label).not.toMatch(/heard/i);
      expect(w).toMatchObject({ group: "Not reached", tone: "warn", detail: "Asterisk did not report the message playing" });
    }
  });

  it("says Answered for a click-to-call or test call, Heard for a message call", () => {
    for (const kind of ["click", "test"]) {
      expect(describeOutcome({ state: "completed", kind, heardMs: null })).toEqual({
        label: "Answered",
        tone: "good",
        group: "Answered",
      });
    }
    for (const kind of ["pa", "campaign", "wakeup"]) {
      expect(describeOutcome({ state: "completed", kind, heardMs: 20_000, messageMs: 20_000 }).label).toBe("Heard");
    }
  });

  it("carries the cause of a message that did not play, with a default when none is recorded", () => {
    expect(
      describeOutcome({ state: "not-played", kind: "pa", reason: "sound missing on the PBX: spoolcast/msg-12", heardMs: null }),
    ).toEqual({
      label: "Answered, message not played",
      detail: "sound missing on the PBX: spoolcast/msg-12",
      tone: "bad",
      group: "Not reached",
    });
    expect(describeOutcome({ state: "not-played", kind: "pa" }).detail).toBe("the PBX could not play the message");
    expect(describeOutcome({ state: "playback-unconfirmed", kind: "campaign", reason: "  " }).detail).toBe(
      "Asterisk never confirmed that the message played",
    );
    expect(describeOutcome({ state: "busy", kind: "campaign", reason: "busy after 2 attempts" }).detail).toBe(
      "busy after 2 attempts",
    );
    expect(describeOutcome({ state: "busy", kind: "campaign" })).not.toHaveProperty("detail");
  });

  it("tells a wake-up snooze from a confirmation", () => {
    expect(describeOutcome({ state: "acknowledged", kind: "wakeup", ackDigit: "5" })).toMatchObject({
      label: "Snoozed",
      group: "Heard",
    });
    expect(describeOutcome({ state: "acknowledged", kind: "wakeup", ackDigit: "1" })).toMatchObject({
      label: "Confirmed",
      detail: "pressed 1",
    });
    // 5 is only a snooze on a wake-up.
    expect(describeOutcome({ state: "acknowledged", kind: "pa", ackDigit: "5" }).label).toBe("Confirmed");
  });

  it("puts congestion under Failed, never with busy", () => {
    expect(describeOutcome({ state: "congestion", kind: "campaign" }).group).toBe("Failed");
    expect(stateGroup("congestion")).toBe("Failed");
    expect(stateGroup("busy")).toBe("Not reached");
  });

  it("does not invent words for a state it does not know", () => {
    expect(describeOutcome({ state: "weird", kind: "pa", reason: "x" })).toEqual({
      label: "Unknown outcome",
      detail: "x",
      tone: "neutral",
      group: "Not reached",
    });
  });
});

describe("labels without a single call", () => {
  it("labels filter options, grouped, keeping the machine code as the value", () => {
    const groups = stateFilterOptions([...FINAL_STATES, ...ACTIVE_STATES]);
    expect(groups.map((g) => g.group)).toEqual(["Confirmed", "Heard", "Not reached", "Failed", "In progress", "Cancelled"]);
    const failed = groups.find((g) => g.group === "Failed")!;
    expect(failed.options).toEqual([
      { value: "congestion", label: "Network congestion" },
      { value: "failed", label: "Could not be placed" },
      { value: "lost", label: "Lost (Asterisk never processed the file)" },
    ]);
    expect(groups.flatMap((g) => g.options).length).toBe(ACTIVE_STATES.length + FINAL_STATES.length);
    expect(stateLabel("completed")).toBe("Heard (answered, for click-to-call and test calls)");
  });

  it("names campaign retry choices", () => {
    expect(["no-answer", "busy", "failed", "not-acknowledged", "expired"].map(retryChoiceLabel)).toEqual([
      "No answer",
      "Busy",
      "Failed (network congestion, could not be placed)",
      "Heard, not confirmed",
      "Not reached (reason unknown in direct IVR mode)",
    ]);
  });

  it("names attempt results and timeline events", () => {
    expect(attemptResultLabel(null)).toBe("In progress");
    expect(attemptResultLabel("answered")).toBe("Answered");
    expect(attemptResultLabel("busy")).toBe("Busy");
    expect(attemptResultLabel("aborted")).toBe("Cut short (Asterisk restarted)");
    expect(timelineEventLabel("spooled")).toBe("Handed to the PBX");
    expect(timelineEventLabel("completed")).toBe("Finished");
    expect(timelineEventLabel("ivr.dtmf")).toBe("Key pressed");
    expect(timelineEventLabel("something.new")).toBeNull();
  });
});

describe("outcomeBreakdown", () => {
  it("sums counts into groups with their labels, congestion under Failed, partial hearings as one label", () => {
    expect(
      outcomeBreakdown([
        { state: "acknowledged", kind: "campaign", heard: "full", count: 5 },
        { state: "not-acknowledged", kind: "campaign", heard: "full", count: 2 },
        { state: "not-acknowledged", kind: "campaign", heard: "part", count: 3 },
        { state: "completed", kind: "campaign", heard: "none", count: 1 },
        { state: "busy", kind: "campaign", heard: "none", count: 4 },
        { state: "congestion", kind: "campaign", heard: "none", count: 1 },
        { state: "failed", kind: "campaign", heard: "none", count: 1 },
        { state: "not-played", kind: "campaign", heard: "none", count: 2 },
        { state: "dialling", kind: "campaign", heard: "none", count: 0 },
      ]),
    ).toEqual([
      { group: "Confirmed", count: 5, parts: [{ label: "Confirmed", count: 5 }] },
      {
        group: "Heard",
        count: 5,
        parts: [
          { label: "Heard part (hung up during the message)", count: 3 },
          { label: "Heard, not confirmed", count: 2 },
        ],
      },
      {
        group: "Not reached",
        count: 7,
        parts: [
          { label: "Busy", count: 4 },
          { label: "Answered", count: 1 },
          { label: "Answered, message not played", count: 2 },
        ].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label)),
      },
      {
        group: "Failed",
        count: 2,
        parts: [
          { label: "Could not be placed", count: 1 },
          { label: "Network congestion", count: 1 },
        ],
      },
    ]);
  });
});
