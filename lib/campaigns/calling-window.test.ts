import { describe, expect, it } from "vitest";
import { isInWindow, nextWindowOpen, windowCloseAfter } from "./calling-window";

const weekdays9to20 = { days: [1, 2, 3, 4, 5], start: "09:00", end: "20:00" };

describe("calling window", () => {
  it("is evaluated in the callee's zone", () => {
    // Monday 2026-11-23 14:00 UTC = 09:00 in New York, 23:00 in Tokyo.
    const at = new Date("2026-11-23T14:00:00Z");
    expect(isInWindow(at, "America/New_York", weekdays9to20)).toBe(true);
    expect(isInWindow(at, "Asia/Tokyo", weekdays9to20)).toBe(false);
    expect(isInWindow(new Date("2026-11-23T13:59:00Z"), "America/New_York", weekdays9to20)).toBe(false);
    // 20:00 itself is outside (end exclusive); 23:59 as the end means until midnight.
    expect(isInWindow(new Date("2026-11-24T01:00:00Z"), "America/New_York", weekdays9to20)).toBe(false);
    expect(isInWindow(new Date("2026-11-23T23:59:30Z"), "UTC", { days: [1], start: "00:00", end: "23:59" })).toBe(true);
  });

  it("excludes days not chosen (Saturday in Paris)", () => {
    expect(isInWindow(new Date("2026-11-28T10:00:00Z"), "Europe/Paris", weekdays9to20)).toBe(false);
  });

  it("finds the next opening across a weekend and a DST change", () => {
    // Friday 2026-11-27 21:00 in Paris → Monday 09:00 Paris = 08:00 UTC.
    expect(nextWindowOpen(new Date("2026-11-27T20:00:00Z"), "Europe/Paris", weekdays9to20)?.toISOString()).toBe(
      "2026-11-30T08:00:00.000Z",
    );
    // Saturday 2026-03-28 in Paris; clocks go forward Sunday → Monday 09:00 CEST = 07:00 UTC.
    expect(nextWindowOpen(new Date("2026-03-28T12:00:00Z"), "Europe/Paris", weekdays9to20)?.toISOString()).toBe(
      "2026-03-30T07:00:00.000Z",
    );
    const inside = new Date("2026-11-23T15:00:00Z");
    expect(nextWindowOpen(inside, "America/New_York", weekdays9to20)).toEqual(inside);
  });

  it("returns null when no day is allowed or the zone is unknown", () => {
    expect(nextWindowOpen(new Date(), "Mars/Base", weekdays9to20)).toBeNull();
    expect(nextWindowOpen(new Date(), "UTC", { days: [], start: "09:00", end: "10:00" })).toBeNull();
  });

  it("closes at the window's end on the callee's local day, midnight for 23:59, and is null outside it", () => {
    // Monday 2026-11-23 15:00 UTC = 10:00 in New York: the window closes at 20:00 local (01:00 UTC).
    expect(windowCloseAfter(new Date("2026-11-23T15:00:00Z"), "America/New_York", weekdays9to20)?.toISOString()).toBe(
      "2026-11-24T01:00:00.000Z",
    );
    expect(
      windowCloseAfter(new Date("2026-11-23T10:00:00Z"), "UTC", { days: [1], start: "00:00", end: "23:59" })?.toISOString(),
    ).toBe("2026-11-24T00:00:00.000Z");
    // On the day clocks go back (Sunday 2026-10-25 in Paris) 20:00 local is 19:00 UTC.
    const everyDay = { days: [1, 2, 3, 4, 5, 6, 7], start: "09:00", end: "20:00" };
    expect(windowCloseAfter(new Date("2026-10-25T12:00:00Z"), "Europe/Paris", everyDay)?.toISOString()).toBe(
      "2026-10-25T19:00:00.000Z",
    );
    expect(windowCloseAfter(new Date("2026-11-23T13:00:00Z"), "America/New_York", weekdays9to20)).toBeNull();
  });
});
