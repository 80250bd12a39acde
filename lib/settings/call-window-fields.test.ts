import { describe, expect, it } from "vitest";
import { callWindowSettingsSchema } from "@/lib/settings/call-window-fields";
import { createWakeUpSchema } from "@/lib/wakeups/wakeup.schema";

function issues(input: unknown) {
  const r = callWindowSettingsSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => [i.path.join("."), i.message]);
}

describe("late-call settings fields", () => {
  it("accepts whole minutes in range, from the form's strings too", () => {
    expect(callWindowSettingsSchema.parse({ wakeupToleranceMinutes: "30", paValidMinutes: 5 })).toEqual({
      wakeupToleranceMinutes: 30,
      paValidMinutes: 5,
    });
    expect(callWindowSettingsSchema.parse({ wakeupToleranceMinutes: 120, paValidMinutes: "60" })).toEqual({
      wakeupToleranceMinutes: 120,
      paValidMinutes: 60,
    });
  });

  it.each([
    ["empty", "", ""],
    ["zero", "0", "0"],
    ["too many", "121", "61"],
    ["a fraction", "7.5", "2.5"],
    ["not a number", "soon", "later"],
    ["negative", "-5", "-1"],
  ])("refuses %s, naming the field", (_what, wake, pa) => {
    expect(issues({ wakeupToleranceMinutes: wake, paValidMinutes: pa })).toEqual([
      ["wakeupToleranceMinutes", "Wake-up tolerance: a whole number of minutes from 1 to 120"],
      ["paValidMinutes", "PA validity: a whole number of minutes from 1 to 60"],
    ]);
  });

  it("a booking's own tolerance: empty means the site's, else the same rule", () => {
    const base = { room: "101", localTime: "07:00" };
    expect(createWakeUpSchema.parse({ ...base, toleranceMinutes: "" }).toleranceMinutes).toBeUndefined();
    expect(createWakeUpSchema.parse({ ...base, toleranceMinutes: "45" }).toleranceMinutes).toBe(45);
    const bad = createWakeUpSchema.safeParse({ ...base, toleranceMinutes: "600" });
    expect(bad.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["toleranceMinutes", "Wake-up tolerance: a whole number of minutes from 1 to 120"],
    ]);
  });
});
