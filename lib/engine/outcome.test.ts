import { describe, expect, it } from "vitest";
import type { RetryLine } from "@/lib/callfile/types";
import { attemptsFromRetries, lostDeadline, outcomeFor, progressFromRetries, stateForAttemptReason } from "@/lib/engine/outcome";

const line = (kind: RetryLine["kind"], n: number, time: number): RetryLine => ({ kind, pid: 1308, n, time, line: 0 });
// expired-after-retry-with-delayed.call (tests/fixtures/asterisk/spool): RetryTime 5.
const GOLDEN_RETRY: RetryLine[] = [
  line("StartRetry", 1, 1795452302),
  line("DelayedRetry", 0, 1795452302),
  line("EndRetry", 1, 1795452302),
  line("StartRetry", 2, 1795452312),
];

describe("attempts and progress from Asterisk's bookkeeping lines", () => {
  it("dates each attempt start RetryTime before its StartRetry time", () => {
    expect(attemptsFromRetries(GOLDEN_RETRY, 5)).toEqual([
      { n: 1, startedAt: new Date(1795452297000), endedAt: new Date(1795452302000), result: "failed" },
      { n: 2, startedAt: new Date(1795452307000), endedAt: null, result: "dialling" },
    ]);
  });

  it("shows dialling for an open StartRetry and retry-wait after an EndRetry", () => {
    expect(progressFromRetries(GOLDEN_RETRY, 5)).toMatchObject({ state: "dialling", attempt: 2 });
    expect(progressFromRetries(GOLDEN_RETRY.slice(0, 3), 5)).toMatchObject({
      state: "retry-wait",
      attempt: 1,
      detail: "attempt 1 failed",
    });
    expect(progressFromRetries([], 5)).toMatchObject({ state: "spooled", attempt: 0 });
  });

  // Asterisk (pbx_spool.c scan_service) increments Used before it writes AbortRetry, so the
  // restarted Asterisk writes AbortRetry and StartRetry with the number it aborts and re-dials.
  it("ends the interrupted attempt when Asterisk restarted, and shows the same number dialled again", () => {
    const a = attemptsFromRetries([line("StartRetry", 1, 1000), line("AbortRetry", 1, 2000), line("StartRetry", 1, 2300)], 300);
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({
      n: 1,
      startedAt: new Date(2000_000),
      endedAt: null,
      result: "dialling",
      abortedAt: new Date(2000_000),
    });
  });

  it("an attempt cut short after an earlier failure keeps the failure of the one before", () => {
    const a = attemptsFromRetries(
      [line("StartRetry", 1, 1000), line("EndRetry", 1, 1100), line("StartRetry", 2, 1700), line("AbortRetry", 2, 2000)],
      300,
    );
    expect(a[0]).toMatchObject({ n: 1, endedAt: new Date(1100_000), result: "failed" });
    expect(a[1]).toMatchObject({ n: 2, startedAt: new Date(1400_000), endedAt: new Date(2000_000), result: "aborted" });
    expect(progressFromRetries([line("StartRetry", 2, 1700), line("AbortRetry", 2, 2000)], 300)).toMatchObject({
      state: "retry-wait",
      attempt: 2,
      detail: "attempt 2 aborted (Asterisk restarted)",
    });
  });
});

describe("outcomeFor", () => {
  const call = { kind: "campaign", requireAck: true, ackDigit: null };
  const answered = { status: "Completed" as const, retries: [line("StartRetry", 1, 1795452726)] };

  it("maps Completed to acknowledged, not-acknowledged or completed", () => {
    expect(outcomeFor(answered, { ...call, ackDigit: "1" }, null)?.state).toBe("acknowledged");
    expect(outcomeFor(answered, call, null)?.state).toBe("not-acknowledged");
    expect(outcomeFor(answered, { ...call, requireAck: false }, null)?.state).toBe("completed");
    expect(outcomeFor(answered, { ...call, kind: "click" }, null)?.state).toBe("completed");
  });

  it("maps Expired to the last attempt's reason, else expired", () => {
    const expired = { status: "Expired" as const, retries: GOLDEN_RETRY };
    expect(outcomeFor(expired, call, "5")).toEqual({ state: "busy", outcome: "busy", reason: "busy after 2 attempts" });
    expect(outcomeFor(expired, call, "3")?.state).toBe("no-answer");
    expect(outcomeFor(expired, call, "8")?.state).toBe("congestion");
    expect(outcomeFor(expired, call, "0")?.state).toBe("failed");
    expect(outcomeFor(expired, call, null)).toEqual({
      state: "expired",
      outcome: "expired",
      reason: "not reached after 2 attempts; Asterisk reported no reason (direct IVR mode)",
    });
    expect(outcomeFor({ status: "Expired", retries: [] }, call, null)?.reason).toMatch(/without dialling/);
  });

  it("maps Failed to failed with Asterisk's rejection, and no status to nothing yet", () => {
    expect(outcomeFor({ status: "Failed", retries: [] }, call, null)).toEqual({
      state: "failed",
      outcome: "failed",
      reason: "Asterisk rejected the call file",
    });
    expect(outcomeFor({ retries: [] }, call, null)).toBeNull();
  });

  it("reads reasons written as numbers or state names", () => {
    expect(["3", "5", "8", "0", "busy", "no-answer", "weird"].map(stateForAttemptReason)).toEqual([
      "no-answer",
      "busy",
      "congestion",
      "failed",
      "busy",
      "no-answer",
      "failed",
    ]);
  });
});

describe("lostDeadline", () => {
  it("allows (maxRetries+1)·RetryTime + WaitTime + margin after the schedule", () => {
    const d = lostDeadline({
      scheduledAt: new Date(0),
      maxRetries: 2,
      retryTime: 60,
      waitTime: 30,
      marginMs: 1000,
      activity: null,
    });
    expect(d.getTime()).toBe((3 * 60 + 30) * 1000 + 1000);
  });

  it("extends the deadline while Asterisk shows life (a long answered call gets DelayedRetry lines)", () => {
    const d = lostDeadline({
      scheduledAt: new Date(0),
      maxRetries: 0,
      retryTime: 60,
      waitTime: 30,
      marginMs: 0,
      activity: new Date(600_000),
    });
    expect(d.getTime()).toBe(600_000 + 90_000);
  });
});
