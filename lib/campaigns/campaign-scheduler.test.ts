import { describe, expect, it } from "vitest";
import { decideCampaignTick, SKIP_DNC, SKIP_OUTSIDE_WINDOW, type SchedCampaign, type SchedTarget } from "./campaign-scheduler";

const now = new Date("2026-11-23T14:00:00Z"); // Monday: 09:00 New York, 23:00 Tokyo
const campaign = (over: Partial<SchedCampaign> = {}): SchedCampaign => ({
  id: "c1",
  state: "running",
  startAt: new Date("2026-11-23T13:00:00Z"),
  endAt: null,
  window: { days: [1, 2, 3, 4, 5], start: "09:00", end: "20:00" },
  maxConcurrent: 10,
  perMinute: 60,
  retryCount: 2,
  retryIntervalSec: 600,
  retryOn: ["no-answer", "busy"],
  ...over,
});
let seq = 0;
const target = (over: Partial<SchedTarget> = {}): SchedTarget => ({
  id: `t${++seq}`,
  destination: `+1555000${String(seq).padStart(4, "0")}`,
  timeZone: "America/New_York",
  status: "pending",
  attempts: 0,
  nextAt: null,
  releasedAt: null,
  callState: null,
  callEndedAt: null,
  ...over,
});
const decide = (
  c: SchedCampaign,
  targets: SchedTarget[],
  extra: { releasedLastMinute?: number; dnc?: string[]; at?: Date } = {},
) =>
  decideCampaignTick({
    campaign: c,
    targets,
    releasedLastMinute: extra.releasedLastMinute ?? 0,
    now: extra.at ?? now,
    dnc: new Set(extra.dnc ?? []),
    defaultZone: "UTC",
  });

describe("decideCampaignTick", () => {
  it("releases only callees whose own window is open; the others wait", () => {
    const ny = target();
    const tokyo = target({ timeZone: "Asia/Tokyo" });
    const d = decide(campaign(), [ny, tokyo]);
    expect(d.release).toEqual([ny.id]);
    expect(d.skip).toEqual([]);
    expect(d.state).toBe("running");
  });

  it("uses the site default zone for a callee without one", () => {
    const t = target({ timeZone: null }); // 14:00 UTC Monday: inside 09–20
    expect(decide(campaign(), [t]).release).toEqual([t.id]);
    expect(decide(campaign(), [t], { at: new Date("2026-11-23T21:00:00Z") }).release).toEqual([]);
  });

  it("skips a callee whose window never opens before the campaign ends", () => {
    const tokyo = target({ timeZone: "Asia/Tokyo" }); // next opening: Tuesday 09:00 Tokyo = Tue 00:00 UTC
    const d = decide(campaign({ endAt: new Date("2026-11-23T20:00:00Z") }), [tokyo]);
    expect(d.skip).toEqual([{ id: tokyo.id, reason: SKIP_OUTSIDE_WINDOW }]);
    expect(d.state).toBe("completed");
  });

  it("enforces max concurrent and per-minute pacing", () => {
    const active = [1, 2, 3].map(() => target({ status: "active", attempts: 1, callState: "dialling" }));
    const pending = Array.from({ length: 10 }, () => target());
    expect(decide(campaign({ maxConcurrent: 5 }), [...active, ...pending]).release).toHaveLength(2);
    expect(decide(campaign({ perMinute: 4 }), [...active, ...pending], { releasedLastMinute: 3 }).release).toHaveLength(1);
    expect(decide(campaign({ perMinute: 4 }), pending, { releasedLastMinute: 4 }).release).toHaveLength(0);
  });

  it("checks the do-not-call list right before release", () => {
    const t = target();
    const d = decide(campaign(), [t], { dnc: [t.destination] });
    expect(d.release).toEqual([]);
    expect(d.skip).toEqual([{ id: t.id, reason: SKIP_DNC }]);
  });

  it("retries a busy call after the interval while retries are left, and stops after retryCount", () => {
    const ended = new Date("2026-11-23T13:58:00Z");
    const busy = target({ status: "active", attempts: 1, callState: "busy", callEndedAt: ended });
    const d = decide(campaign(), [busy]);
    expect(d.finish).toEqual([
      { id: busy.id, outcome: "busy", status: "pending", nextAt: new Date(ended.getTime() + 600_000), refund: false },
    ]);
    expect(d.release).toEqual([]); // not before nextAt
    expect(d.state).toBe("running");
    const last = target({ status: "active", attempts: 3, callState: "busy", callEndedAt: ended });
    const d2 = decide(campaign(), [last]);
    expect(d2.finish[0]).toMatchObject({ status: "done", outcome: "busy" });
    expect(d2.state).toBe("completed");
  });

  it("does not retry outcomes not chosen, nor reached callees", () => {
    const failed = target({ status: "active", attempts: 1, callState: "failed" });
    const ack = target({ status: "active", attempts: 1, callState: "acknowledged" });
    const notAck = target({ status: "active", attempts: 1, callState: "not-acknowledged" });
    const d = decide(campaign(), [failed, ack, notAck]);
    expect(d.finish.map((f) => f.status)).toEqual(["done", "done", "done"]);
    const d2 = decide(campaign({ retryOn: ["not-acknowledged", "failed"] }), [failed, ack, notAck]);
    expect(d2.finish.map((f) => f.status)).toEqual(["pending", "done", "pending"]);
  });

  it("retries congestion only under Failed, and a reason unknown (direct IVR mode) only when chosen", () => {
    const states = ["no-answer", "busy", "congestion", "failed", "lost", "expired", "not-played", "playback-unconfirmed"];
    const retried = (retryOn: SchedCampaign["retryOn"]) => {
      const targets = states.map((callState) => target({ status: "active", attempts: 1, callState }));
      const d = decide(campaign({ retryOn }), targets);
      return states.filter((_, i) => d.finish[i]!.status === "pending");
    };
    // Direct IVR mode, only no-answer retries: the unknown reason (congestion among them) is not retried.
    expect(retried(["no-answer"])).toEqual(["no-answer"]);
    expect(retried(["no-answer", "busy"])).toEqual(["no-answer", "busy"]);
    expect(retried(["failed"])).toEqual(["congestion", "failed", "lost"]);
    expect(retried(["expired"])).toEqual(["expired"]);
    // A message that did not play is never dialled again automatically: it would not play again.
    expect(retried(["no-answer", "busy", "failed", "expired", "not-acknowledged"])).toEqual([
      "no-answer",
      "busy",
      "congestion",
      "failed",
      "lost",
      "expired",
    ]);
  });

  it("does not call again a callee whose key press was stored after the call closed as not acknowledged", () => {
    const late = target({ attempts: 1, nextAt: new Date(now.getTime() - 1000), callState: "acknowledged" });
    const waiting = target({ attempts: 1, nextAt: new Date(now.getTime() - 1000), callState: "not-acknowledged" });
    const d = decide(campaign({ retryOn: ["not-acknowledged"] }), [late, waiting]);
    expect(d.release).toEqual([waiting.id]);
    expect(d.finish).toEqual([
      { id: late.id, outcome: "acknowledged", status: "done", nextAt: null, refund: false, from: "pending" },
    ]);
  });

  it("releases a retry once its time has come", () => {
    const t = target({ attempts: 1, nextAt: new Date(now.getTime() - 1000) });
    const later = target({ attempts: 1, nextAt: new Date(now.getTime() + 60_000) });
    expect(decide(campaign(), [t, later]).release).toEqual([t.id]);
  });

  it("paused: releases nothing, and a call withdrawn by the pause goes back to the queue without counting", () => {
    const withdrawn = target({ status: "active", attempts: 1, callState: "cancelled" });
    const d = decide(campaign({ state: "paused" }), [withdrawn, target()]);
    expect(d.release).toEqual([]);
    expect(d.finish).toEqual([{ id: withdrawn.id, outcome: "cancelled", status: "pending", nextAt: null, refund: true }]);
    expect(d.state).toBe("paused");
  });

  it("becomes running at its start time, and completed when every target is final", () => {
    const c = campaign({ state: "scheduled", startAt: new Date(now.getTime() + 60_000) });
    expect(decide(c, [target()]).state).toBe("scheduled");
    expect(decide(c, [target()], { at: new Date(now.getTime() + 60_000) }).state).toBe("running");
    expect(decide(campaign(), []).state).toBe("completed");
  });

  it("after the end time, skips what was not called and does not retry", () => {
    const c = campaign({ endAt: new Date(now.getTime() - 1) });
    const p = target();
    const busy = target({ status: "active", attempts: 1, callState: "busy" });
    const d = decide(c, [p, busy]);
    expect(d.skip).toEqual([{ id: p.id, reason: SKIP_OUTSIDE_WINDOW }]);
    expect(d.finish[0]).toMatchObject({ status: "done" });
    expect(d.state).toBe("completed");
  });

  it("decides a 10,000-person campaign in well under a tick", () => {
    const zones = ["America/New_York", "Europe/London", "Asia/Tokyo", null];
    const many = Array.from({ length: 10_000 }, (_, i) => target({ timeZone: zones[i % 4]! }));
    const start = performance.now();
    const d = decide(campaign({ maxConcurrent: 50, endAt: new Date(now.getTime() + 86_400_000) }), many);
    expect(performance.now() - start).toBeLessThan(500);
    // New York (09:00) and UTC default (14:00) are open; London 14:00 too; Tokyo 23:00 is not.
    expect(d.release).toHaveLength(50);
    expect(d.skip).toEqual([]);
  });
});
