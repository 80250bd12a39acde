import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { RetryLine } from "@/lib/callfile/types";
import {
  applyAll,
  archiveImpliedBy,
  FINAL_STATES,
  initialStatus,
  isFinalState,
  isUnreached,
  storedFacts,
  transition,
  type CallEvidence,
  type CallStatus,
} from "./call-state-machine";

const T0 = 1_795_452_000;
const start = (n: number, at: number): RetryLine => ({ kind: "StartRetry", pid: 42, n, time: at, line: 0 });
const end = (n: number, at: number): RetryLine => ({ kind: "EndRetry", pid: 42, n, time: at, line: 0 });

const reason = (attempt: number, r: string): CallEvidence => ({ kind: "failure-reason", attempt, reason: r });
const pa = () => initialStatus({ kind: "pa", requireAck: true, retryTime: 60 });
const run = (status: CallStatus, evidence: CallEvidence[]) => {
  const s = applyAll(status, evidence);
  return [s.state, s.reason];
};

describe("the call state machine: each rule", () => {
  it("moves through queued, spooled, dialling, retry-wait and answered on the engine's and Asterisk's evidence", () => {
    let s = pa();
    expect(s.state).toBe("queued");
    s = transition(s, { kind: "spooled" });
    expect(s.state).toBe("spooled");
    s = transition(s, { kind: "progress", retries: [start(1, T0 + 60)] });
    expect([s.state, s.reason]).toEqual(["dialling", "attempt 1"]);
    s = transition(s, { kind: "progress", retries: [start(1, T0 + 60), end(1, T0 + 30)] });
    expect([s.state, s.reason]).toEqual(["retry-wait", "attempt 1 failed"]);
    // An older reading of the same file never moves the call back.
    s = transition(s, { kind: "progress", retries: [start(1, T0 + 60)] });
    expect(s.state).toBe("retry-wait");
    s = transition(s, { kind: "ivr-answered" });
    expect(s.state).toBe("answered");
  });

  it("archived Completed: acknowledged with the key, else not-acknowledged (ack required) or completed", () => {
    const done: CallEvidence = { kind: "archived", status: "Completed", attempts: 1 };
    expect(run(pa(), [done, { kind: "key", digit: "1" }])).toEqual(["acknowledged", "acknowledged with 1"]);
    expect(run(pa(), [done])).toEqual(["not-acknowledged", "answered, but no acknowledgement key was pressed"]);
    expect(run(initialStatus({ kind: "pa", requireAck: false }), [done])).toEqual(["completed", "answered"]);
    expect(run(initialStatus({ kind: "click", requireAck: true }), [done])).toEqual(["completed", "answered"]);
  });

  it("a message Asterisk answered with Z ends not-played with its cause; no F in time ends playback-unconfirmed", () => {
    const done: CallEvidence = { kind: "archived", status: "Completed", attempts: 1 };
    const missing: CallEvidence = { kind: "message-missing", cause: "sound missing on the PBX: spoolcast/msg-12" };
    expect(run(pa(), [{ kind: "ivr-answered" }, missing, done])).toEqual([
      "not-played",
      "sound missing on the PBX: spoolcast/msg-12",
    ]);
    expect(run(pa(), [done, { kind: "playback-unconfirmed", cause: "no F" }])).toEqual(["playback-unconfirmed", "no F"]);
    // Before the archive the call is still answered: the archive decides when it ended.
    expect(run(pa(), [{ kind: "ivr-answered" }, missing])[0]).toBe("answered");
    // Asterisk confirmed the message once: delivered, whatever the watchdog said later.
    expect(run(pa(), [done, { kind: "message-played", heardMs: 4000 }, { kind: "playback-unconfirmed", cause: "x" }])[0]).toBe(
      "not-acknowledged",
    );
    // A key press is the strongest evidence of all.
    expect(run(pa(), [done, missing, { kind: "key", digit: "1" }])[0]).toBe("acknowledged");
  });

  it("archived Expired: the REASON of the last reporting attempt, else expired (reason unknown)", () => {
    const expired: CallEvidence = { kind: "archived", status: "Expired", attempts: 2 };
    expect(run(pa(), [expired, reason(1, "3"), reason(2, "5")])).toEqual(["busy", "busy after 2 attempts"]);
    expect(run(pa(), [reason(2, "8"), expired, reason(1, "5")])[0]).toBe("congestion");
    expect(run(pa(), [expired, reason(2, "3")])[0]).toBe("no-answer");
    expect(run(pa(), [expired, reason(2, "0")])[0]).toBe("failed");
    expect(run(pa(), [expired])).toEqual([
      "expired",
      "not reached after 2 attempts; Asterisk reported no reason (direct IVR mode)",
    ]);
    expect(run(pa(), [{ kind: "archived", status: "Expired", attempts: 0 }])[1]).toMatch(/without dialling/);
  });

  it("archived Failed is failed; the lost deadline is lost until an archive turns up; cancel only without one", () => {
    expect(run(pa(), [{ kind: "archived", status: "Failed", attempts: 0 }])).toEqual([
      "failed",
      "Asterisk rejected the call file",
    ]);
    const lost: CallEvidence = { kind: "lost", detail: "never processed" };
    expect(run(pa(), [{ kind: "spooled" }, lost])).toEqual(["lost", "never processed"]);
    expect(run(pa(), [lost, { kind: "archived", status: "Completed", attempts: 1 }])[0]).toBe("not-acknowledged");
    expect(run(pa(), [{ kind: "cancelled", detail: "stopped" }])).toEqual(["cancelled", "stopped"]);
  });

  it("rebuilds the facts of a stored call: the archive its final state implies, its reasons and delivery events", () => {
    expect(archiveImpliedBy("not-acknowledged", 1, false)).toEqual({ status: "Completed", attempts: 1 });
    expect(archiveImpliedBy("expired", 2, false)).toEqual({ status: "Expired", attempts: 2 });
    expect(archiveImpliedBy("failed", 1, true)).toEqual({ status: "Expired", attempts: 1 });
    expect(archiveImpliedBy("failed", 0, false)).toBeNull();
    expect(archiveImpliedBy("lost", 1, false)).toBeNull();
    const row = { kind: "pa", requireAck: true, attempts: 1, ackDigit: null, heardMs: null, answeredAt: new Date() };
    const f = storedFacts({ ...row, state: "not-acknowledged" }, [], [{ type: "ivr.not-played", detail: "sound missing" }]);
    expect([f.archive?.status, f.notPlayed, f.answered]).toEqual(["Completed", "sound missing", true]);
    const g = storedFacts({ ...row, state: "expired" }, [{ n: 1, reason: "5" }], []);
    expect(g.reasons).toEqual({ 1: "5" });
  });

  it("counts delivery failures, failures and an unconfirmed answer (when acknowledgement is required) as unreached", () => {
    const unreached = FINAL_STATES.filter((s) => isUnreached(s, true));
    expect(unreached).toEqual([
      "completed",
      "not-acknowledged",
      "not-played",
      "playback-unconfirmed",
      "no-answer",
      "busy",
      "congestion",
      "failed",
      "expired",
      "lost",
      "missed",
      "cancelled",
    ]);
    expect(FINAL_STATES.filter((s) => !isUnreached(s, false))).toEqual(["acknowledged", "completed", "not-acknowledged"]);
  });

  it("ends a queued call past its valid-until missed, with the claim step's reason, idempotently", () => {
    const queued = initialStatus({ kind: "wakeup", requireAck: true });
    const missed = transition(queued, { kind: "missed", detail: "not dialled: due 07:00, 20 h late" });
    expect(missed).toMatchObject({ state: "missed", reason: "not dialled: due 07:00, 20 h late" });
    expect(isFinalState(missed.state)).toBe(true);
    expect(transition(missed, { kind: "missed", detail: "not dialled: due 07:00, 20 h late" })).toEqual(missed);
  });
});

/**
 * Every arrival order of one call's evidence: the IVR's reports (answered, key, playback
 * events, REASONs of the failed extension), the progress lines read from the file at several
 * moments, and the archive. The machine must end in one state with one reason, whatever the order.
 */
describe("the call state machine: order of arrival never changes the result", () => {
  const scenario = fc.record({
    requireAck: fc.boolean(),
    attempts: fc.integer({ min: 1, max: 3 }),
    answered: fc.boolean(),
    status: fc.constantFrom("Completed" as const, "Expired" as const),
    reasons: fc.array(fc.constantFrom("3", "5", "8", "0", null), { minLength: 3, maxLength: 3 }),
    key: fc.constantFrom(null, "1"),
    played: fc.constantFrom(null, 0, 1800, 5000),
    missing: fc.boolean(),
    unconfirmed: fc.boolean(),
    lost: fc.boolean(),
  });

  type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

  function evidenceOf(s: Scenario): CallEvidence[] {
    const lines: RetryLine[] = [];
    for (let n = 1; n <= s.attempts; n++) {
      lines.push(start(n, T0 + n * 100));
      if (n < s.attempts || s.status === "Expired") lines.push(end(n, T0 + n * 100 + 30));
    }
    const ev: CallEvidence[] = [{ kind: "spooled" }];
    // The progress tracker reads the growing file at several moments.
    for (let k = 1; k <= lines.length; k++) ev.push({ kind: "progress", retries: lines.slice(0, k) });
    ev.push({ kind: "archived", status: s.status, attempts: s.attempts });
    if (s.status === "Expired") {
      s.reasons.slice(0, s.attempts).forEach((r, i) => {
        if (r !== null) ev.push({ kind: "failure-reason", attempt: i + 1, reason: r });
      });
    } else {
      if (s.answered) ev.push({ kind: "ivr-answered" });
      if (s.key) ev.push({ kind: "key", digit: s.key });
      if (s.played !== null) ev.push({ kind: "message-played", heardMs: s.played });
      if (s.missing) ev.push({ kind: "message-missing", cause: "sound missing on the PBX: spoolcast/msg-12" });
      if (s.unconfirmed) ev.push({ kind: "playback-unconfirmed", cause: "no F within 10 s" });
    }
    if (s.lost) ev.push({ kind: "lost", detail: "past its deadline" });
    return ev;
  }

  it("gives one final state and reason for every permutation of the evidence", () => {
    fc.assert(
      fc.property(
        scenario.chain((s) => {
          const ev = evidenceOf(s);
          return fc.tuple(
            fc.constant(s),
            fc.constant(ev),
            fc.shuffledSubarray(ev, { minLength: ev.length, maxLength: ev.length }),
          );
        }),
        ([s, inOrder, shuffled]) => {
          const init = initialStatus({ kind: "pa", requireAck: s.requireAck, retryTime: 60 });
          const a = applyAll(init, inOrder);
          const b = applyAll(init, shuffled);
          expect([b.state, b.reason]).toEqual([a.state, a.reason]);
          expect(FINAL_STATES).toContain(b.state);
          // Evidence seen twice (a second scan, a retried write) changes nothing either.
          const c = applyAll(b, shuffled);
          expect([c.state, c.reason]).toEqual([a.state, a.reason]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("REASON then archive, or archive then REASON: the same final state with its reason (dialplan mode, 2 of 6)", () => {
    const busy = reason(1, "5");
    const archive: CallEvidence = { kind: "archived", status: "Expired", attempts: 1 };
    expect(run(pa(), [busy, archive])).toEqual(["busy", "busy after 1 attempt"]);
    expect(run(pa(), [archive, busy])).toEqual(["busy", "busy after 1 attempt"]);
  });
});
