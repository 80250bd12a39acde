import { describe, expect, it } from "vitest";
import { CALL_KINDS } from "@/lib/calls/call-state-machine";
import { VALID_FOR_MS, missedReason, validUntilFor } from "@/lib/engine/valid-until";

const at = new Date("2026-12-04T06:00:00.000Z");
const plus = (ms: number) => new Date(at.getTime() + ms).toISOString();
const MIN = 60_000;

describe("validUntilFor", () => {
  it("gives each kind its window past the scheduled start", () => {
    const got = Object.fromEntries(CALL_KINDS.map((k) => [k, validUntilFor(k, at).toISOString()]));
    expect(got).toEqual({
      wakeup: plus(15 * MIN),
      pa: plus(10 * MIN),
      test: plus(10 * MIN),
      click: plus(2 * MIN),
      campaign: plus(30 * MIN),
    });
    // Every kind has one (a new kind without a window would be a compile error and this would catch NaN).
    for (const k of CALL_KINDS) expect(Number.isFinite(VALID_FOR_MS[k])).toBe(true);
  });

  it("takes a sooner limit (a campaign's end), never a later one, and never ends before the start", () => {
    expect(validUntilFor("campaign", at, { limit: new Date(at.getTime() + 5 * MIN) }).toISOString()).toBe(plus(5 * MIN));
    expect(validUntilFor("campaign", at, { limit: new Date(at.getTime() + 300 * MIN) }).toISOString()).toBe(plus(30 * MIN));
    expect(validUntilFor("campaign", at, { limit: new Date(at.getTime() - MIN) }).toISOString()).toBe(plus(0));
    expect(validUntilFor("campaign", at, { limit: null }).toISOString()).toBe(plus(30 * MIN));
    expect(validUntilFor("wakeup", at, { windowMs: 5 * MIN }).toISOString()).toBe(plus(5 * MIN));
  });
});

describe("missedReason", () => {
  it("says when the call was due, until when it was valid and how late the engine came", () => {
    const r = missedReason(at, validUntilFor("wakeup", at), new Date(at.getTime() + 19.5 * 60 * MIN));
    expect(r).toBe(
      "not dialled: due 2026-12-04T06:00:00.000Z, valid until 2026-12-04T06:15:00.000Z, reached at 2026-12-05T01:30:00.000Z (20 h late)",
    );
    expect(missedReason(at, validUntilFor("click", at), new Date(at.getTime() + 3 * MIN))).toContain("(3 min late)");
  });
});
