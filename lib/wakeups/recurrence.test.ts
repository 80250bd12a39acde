import { describe, expect, it } from "vitest";
import { DateTime } from "luxon";
import {
  localToInstant,
  occurrencesBetween,
  parseCustomRrule,
  recurrenceKindOf,
  rruleFor,
  type RecurrenceSpec,
} from "./recurrence";

const iso = (ds: Date[]) => ds.map((d) => d.toISOString());
const between = (spec: RecurrenceSpec, from: string, to: string) => iso(occurrencesBetween(spec, new Date(from), new Date(to)));
function thrown(spec: Partial<RecurrenceSpec>): unknown {
  try {
    occurrencesBetween(
      { localTime: "07:00", timeZone: "UTC", startDate: "2026-11-20", rrule: null, ...spec },
      new Date(0),
      new Date("2030-01-01"),
    );
  } catch (error) {
    return error;
  }
  return "no error";
}
const daily = (zone: string, localTime: string, startDate: string): RecurrenceSpec => ({
  localTime,
  timeZone: zone,
  startDate,
  rrule: "FREQ=DAILY",
});

describe("occurrencesBetween across DST", () => {
  it("America/New_York: 07:00 stays 07:00 local across spring forward and fall back", () => {
    expect(between(daily("America/New_York", "07:00", "2026-03-07"), "2026-03-07T00:00Z", "2026-03-10T00:00Z")).toEqual([
      "2026-03-07T12:00:00.000Z", // EST -5
      "2026-03-08T11:00:00.000Z", // EDT -4 (change at 02:00 that night)
      "2026-03-09T11:00:00.000Z",
    ]);
    expect(between(daily("America/New_York", "07:00", "2026-10-31"), "2026-10-31T00:00Z", "2026-11-03T00:00Z")).toEqual([
      "2026-10-31T11:00:00.000Z",
      "2026-11-01T12:00:00.000Z",
      "2026-11-02T12:00:00.000Z",
    ]);
  });

  it("America/New_York: 02:30 on the spring-forward night (does not exist) rings at 03:30 EDT", () => {
    expect(between(daily("America/New_York", "02:30", "2026-03-07"), "2026-03-07T00:00Z", "2026-03-10T00:00Z")).toEqual([
      "2026-03-07T07:30:00.000Z",
      "2026-03-08T07:30:00.000Z", // 03:30 EDT
      "2026-03-09T06:30:00.000Z",
    ]);
    expect(DateTime.fromISO("2026-03-08T07:30:00Z").setZone("America/New_York").toFormat("HH:mm")).toBe("03:30");
  });

  it("America/New_York: 01:30 on the fall-back night (happens twice) rings once, at the first", () => {
    const got = between(daily("America/New_York", "01:30", "2026-10-31"), "2026-10-31T00:00Z", "2026-11-03T00:00Z");
    expect(got).toEqual(["2026-10-31T05:30:00.000Z", "2026-11-01T05:30:00.000Z", "2026-11-02T06:30:00.000Z"]);
  });

  it("Europe/London: 01:30 gap in March → 02:30 BST; 01:30 twice in October → BST one", () => {
    expect(between(daily("Europe/London", "01:30", "2026-03-28"), "2026-03-28T00:00Z", "2026-03-31T00:00Z")).toEqual([
      "2026-03-28T01:30:00.000Z",
      "2026-03-29T01:30:00.000Z", // 02:30 BST
      "2026-03-30T00:30:00.000Z",
    ]);
    expect(between(daily("Europe/London", "01:30", "2026-10-24"), "2026-10-24T00:00Z", "2026-10-27T00:00Z")).toEqual([
      "2026-10-24T00:30:00.000Z",
      "2026-10-25T00:30:00.000Z", // first 01:30 (BST); the second would be 01:30Z
      "2026-10-26T01:30:00.000Z",
    ]);
  });

  it("Europe/Berlin: 02:15 gap and 02:15 twice", () => {
    expect(between(daily("Europe/Berlin", "02:15", "2026-03-28"), "2026-03-28T00:00Z", "2026-03-31T00:00Z")).toEqual([
      "2026-03-28T01:15:00.000Z",
      "2026-03-29T01:15:00.000Z", // 03:15 CEST
      "2026-03-30T00:15:00.000Z",
    ]);
    expect(between(daily("Europe/Berlin", "02:15", "2026-10-24"), "2026-10-24T00:00Z", "2026-10-27T00:00Z")).toEqual([
      "2026-10-24T00:15:00.000Z",
      "2026-10-25T00:15:00.000Z", // first 02:15 (CEST)
      "2026-10-26T01:15:00.000Z",
    ]);
  });

  it("Australia/Sydney (southern hemisphere): gap in October, repeat in April", () => {
    // DST starts 2026-10-04 02:00 → 03:00 (+10 → +11); ends 2026-04-05 03:00 → 02:00.
    expect(between(daily("Australia/Sydney", "02:30", "2026-10-03"), "2026-10-02T00:00Z", "2026-10-06T00:00Z")).toEqual([
      "2026-10-02T16:30:00.000Z",
      "2026-10-03T16:30:00.000Z", // 03:30 AEDT
      "2026-10-04T15:30:00.000Z",
      "2026-10-05T15:30:00.000Z",
    ]);
    expect(between(daily("Australia/Sydney", "02:30", "2026-04-04"), "2026-04-03T00:00Z", "2026-04-06T00:00Z")).toEqual([
      "2026-04-03T15:30:00.000Z",
      "2026-04-04T15:30:00.000Z", // first 02:30 (AEDT +11); the second would be 16:30Z
      "2026-04-05T16:30:00.000Z",
    ]);
  });

  it("Asia/Kolkata (no DST): the same UTC time every day, including on other zones' change nights", () => {
    expect(between(daily("Asia/Kolkata", "06:00", "2026-03-07"), "2026-03-06T00:00Z", "2026-03-10T00:00Z")).toEqual([
      "2026-03-07T00:30:00.000Z",
      "2026-03-08T00:30:00.000Z",
      "2026-03-09T00:30:00.000Z",
    ]);
  });

  it("never yields two calls for one local date, across a whole year of daily 01:30 in New York", () => {
    const got = occurrencesBetween(
      daily("America/New_York", "01:30", "2026-01-01"),
      new Date("2026-01-01T00:00Z"),
      new Date("2027-01-01T06:00Z"),
    );
    expect(got).toHaveLength(365);
    const dates = got.map((d) => DateTime.fromJSDate(d, { zone: "America/New_York" }).toISODate());
    expect(new Set(dates).size).toBe(365);
  });
});

describe("presets, start and until", () => {
  it("once rings only on the start date", () => {
    const spec: RecurrenceSpec = { localTime: "06:45", timeZone: "Europe/Berlin", startDate: "2026-06-10", rrule: null };
    expect(between(spec, "2026-06-01T00:00Z", "2026-07-01T00:00Z")).toEqual(["2026-06-10T04:45:00.000Z"]);
    expect(between(spec, "2026-06-10T04:46Z", "2026-07-01T00:00Z")).toEqual([]);
  });

  it("weekdays skip the weekend and until (check-out) is inclusive", () => {
    const spec: RecurrenceSpec = {
      localTime: "07:00",
      timeZone: "UTC",
      startDate: "2026-11-20",
      rrule: rruleFor("weekdays"),
      untilDate: "2026-11-25",
    };
    expect(between(spec, "2026-11-01T00:00Z", "2026-12-31T00:00Z")).toEqual([
      "2026-11-20T07:00:00.000Z", // Fri
      "2026-11-23T07:00:00.000Z",
      "2026-11-24T07:00:00.000Z",
      "2026-11-25T07:00:00.000Z",
    ]);
  });

  it("the local date, not the UTC date, decides the day (Sydney morning is the UTC evening before)", () => {
    const spec: RecurrenceSpec = {
      localTime: "07:00",
      timeZone: "Australia/Sydney",
      startDate: "2026-11-23",
      rrule: "FREQ=WEEKLY;BYDAY=MO",
    };
    expect(between(spec, "2026-11-20T00:00Z", "2026-12-01T00:00Z")).toEqual([
      "2026-11-22T20:00:00.000Z",
      "2026-11-29T20:00:00.000Z",
    ]);
  });

  it("rejects an until date before the start", () => {
    const spec: RecurrenceSpec = {
      localTime: "07:00",
      timeZone: "UTC",
      startDate: "2026-11-20",
      rrule: "FREQ=DAILY",
      untilDate: "2026-11-19",
    };
    expect(() => occurrencesBetween(spec, new Date("2026-11-01"), new Date("2026-12-01"))).toThrow(/before the start date/);
  });

  it("rejects bad times, dates and zones naming the field", () => {
    expect(thrown({ localTime: "24:00" })).toMatchObject({ name: "RecurrenceError", field: "localTime" });
    expect(thrown({ localTime: "7:00" })).toMatchObject({ field: "localTime" });
    expect(thrown({ timeZone: "Mars/Olympus" })).toMatchObject({ field: "timeZone" });
    expect(thrown({ startDate: "2026-02-30" })).toMatchObject({ field: "startDate" });
  });

  it("maps stored rules back to presets", () => {
    expect(recurrenceKindOf(null)).toBe("once");
    expect(recurrenceKindOf(rruleFor("daily"))).toBe("daily");
    expect(recurrenceKindOf(rruleFor("weekdays"))).toBe("weekdays");
    expect(recurrenceKindOf("FREQ=WEEKLY;BYDAY=SA")).toBe("custom");
  });
});

describe("parseCustomRrule", () => {
  it("accepts and normalises daily-or-slower rules", () => {
    expect(parseCustomRrule("rrule:freq=weekly;byday=mo,we,fr")).toBe("FREQ=WEEKLY;BYDAY=MO,WE,FR");
    expect(parseCustomRrule("FREQ=DAILY;INTERVAL=2;COUNT=5")).toBe("FREQ=DAILY;INTERVAL=2;COUNT=5");
    expect(parseCustomRrule("FREQ=MONTHLY;BYDAY=1MO")).toBe("FREQ=MONTHLY;BYDAY=1MO");
  });

  it.each([
    ["FREQ=HOURLY", /at most one call a day/],
    ["FREQ=MINUTELY", /at most one call a day/],
    ["FREQ=DAILY;BYHOUR=7", /BYHOUR is not supported/],
    ["FREQ=DAILY;BYMINUTE=5", /BYMINUTE is not supported/],
    ["FREQ=DAILY;UNTIL=20261231T000000Z", /UNTIL is not allowed/],
    ["DTSTART=20260101T000000Z;FREQ=DAILY", /DTSTART is not allowed/],
    ["FREQ=WEEKLY;BYDAY=XX", /BYDAY/],
    ["FREQ=DAILY;FREQ=WEEKLY", /twice/],
    ["BYDAY=MO", /needs FREQ/],
    ["FREQ=DAILY;INTERVAL=0", /INTERVAL/],
    ["FREQ=MONTHLY;BYSETPOS=1", /BYSETPOS is not supported/],
    ["", /empty/],
    ["FREQ=DAILY\nFREQ=WEEKLY", /single RRULE line/],
  ])("rejects %j", (rule, message) => {
    expect(() => parseCustomRrule(rule)).toThrow(message);
  });
});

describe("localToInstant", () => {
  it("handles Lord Howe's 30-minute DST gap", () => {
    // 2026-10-04 02:00 → 02:30 (+10:30 → +11). 02:15 does not exist → 02:45 (+11).
    const got = localToInstant({ year: 2026, month: 10, day: 4 }, { hour: 2, minute: 15 }, "Australia/Lord_Howe");
    expect(DateTime.fromJSDate(got, { zone: "Australia/Lord_Howe" }).toFormat("HH:mm")).toBe("02:45");
  });
});
