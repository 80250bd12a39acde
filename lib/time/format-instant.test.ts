import { describe, expect, it } from "vitest";
import { formatClock, formatInstant, formatRelative, isKnownTimeZone } from "./format-instant";

// 2026-12-04 21:05:09 UTC = 16:05:09 in New York (EST, UTC-5), 06:05 next day in Tokyo.
const AT = new Date("2026-12-04T21:05:09Z");

describe("formatInstant", () => {
  it("shows the instant on New York's clocks with the zone named", () => {
    expect(formatInstant(AT, "America/New_York", "en-US")).toBe("Dec 4, 2026, 4:05 PM EST");
  });

  it("follows the locale's order and the zone's own date", () => {
    expect(formatInstant(AT, "Asia/Tokyo", "en-GB")).toBe("5 Dec 2026, 06:05 GMT+9");
  });

  it("shows seconds for timelines and can leave the zone out", () => {
    expect(formatInstant(AT, "UTC", "en-US", { seconds: true, hideZone: true })).toBe("Dec 4, 2026, 9:05:09 PM");
  });

  it("gives a time of day for chart axes", () => {
    expect(formatClock(AT, "America/New_York", "en-US")).toBe("4:05:09 PM");
  });
});

describe("formatRelative", () => {
  const now = AT.getTime();
  it("reads the last minute as just now", () => {
    expect(formatRelative(new Date(now - 59_000), now)).toBe("just now");
  });
  it("counts whole minutes both ways", () => {
    expect(formatRelative(new Date(now - 2 * 60_000 - 5_000), now)).toBe("2 min ago");
    expect(formatRelative(new Date(now + 5 * 60_000), now)).toBe("in 5 min");
    expect(formatRelative(new Date(now + 10_000), now)).toBe("in under a minute");
  });
  it("gives no relative words past an hour", () => {
    expect(formatRelative(new Date(now - 60 * 60_000), now)).toBeNull();
    expect(formatRelative(new Date(now - 59 * 60_000), now)).toBe("59 min ago");
  });
});

describe("isKnownTimeZone", () => {
  it("accepts IANA zones and refuses anything else", () => {
    expect(isKnownTimeZone("America/New_York")).toBe(true);
    expect(isKnownTimeZone("UTC")).toBe(true);
    expect(isKnownTimeZone("Mars/Olympus")).toBe(false);
    expect(isKnownTimeZone("")).toBe(false);
  });
});
