import { describe, expect, it } from "vitest";
import { RateSlots } from "@/lib/engine/pacing";

describe("RateSlots", () => {
  it("admits at most perSecond originations in one second", () => {
    const r = new RateSlots(3);
    expect([r.reserve(100, 100), r.reserve(100, 100), r.reserve(100, 100), r.reserve(100, 100)]).toEqual([100, 100, 100, null]);
  });

  it("spreads a burst of future files over the following seconds", () => {
    const r = new RateSlots(2);
    const slots = Array.from({ length: 5 }, () => r.reserve(200, 260));
    expect(slots).toEqual([200, 200, 201, 201, 202]);
  });

  it("counts files found on disk and gives back unplaced slots", () => {
    const r = new RateSlots(1);
    r.seed(300);
    expect(r.reserve(300, 300)).toBeNull();
    r.release(300);
    expect(r.reserve(300, 300)).toBe(300);
    r.prune(301);
    expect(r.reserve(300, 300)).toBe(300);
  });
});
