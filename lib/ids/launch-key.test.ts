import { describe, expect, it } from "vitest";
import { z } from "zod";
import { newLaunchKey } from "@/lib/ids/launch-key";

describe("newLaunchKey", () => {
  it("makes version-4 UUIDs that the launch action's schema accepts, each different", () => {
    const keys = Array.from({ length: 200 }, () => newLaunchKey());
    for (const k of keys) expect(z.uuid().safeParse(k).success).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("sets the version and variant bits whatever the random bytes are", () => {
    expect(newLaunchKey((b) => b.fill(0xff))).toBe("ffffffff-ffff-4fff-bfff-ffffffffffff");
    expect(newLaunchKey((b) => b.fill(0))).toBe("00000000-0000-4000-8000-000000000000");
  });
});
