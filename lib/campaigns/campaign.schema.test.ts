import { describe, expect, it } from "vitest";
import { createCampaignSchema, updateCampaignSchema } from "./campaign.schema";

describe("campaign schemas", () => {
  it("an update keeps only the keys given (no create defaults sneak in)", () => {
    expect(updateCampaignSchema.parse({ id: "c1", name: " New name " })).toEqual({ id: "c1", name: "New name" });
    expect(Object.keys(updateCampaignSchema.parse({ id: "c1", maxConcurrent: 3, endAt: null })).sort()).toEqual([
      "endAt",
      "id",
      "maxConcurrent",
    ]);
    expect(updateCampaignSchema.safeParse({ id: "c1", maxConcurrent: 0 }).error?.issues[0]?.path).toEqual(["maxConcurrent"]);
  });

  it("create fills sane defaults and names the field at fault", () => {
    const c = createCampaignSchema.parse({ name: "x", audioId: "a" });
    expect(c).toMatchObject({
      requireAck: true,
      retryCount: 2,
      // A reason unknown (direct IVR mode) is retried as no answer unless the user says otherwise.
      retryOn: ["no-answer", "busy", "expired"],
      windowStart: "00:00",
      windowEnd: "23:59",
      maxConcurrent: 10,
    });
    const bad = createCampaignSchema.safeParse({
      name: "x",
      audioId: "a",
      windowStart: "9am",
      callerId: "<script>",
      retryOn: ["maybe"],
    });
    expect(bad.error?.issues.map((i) => i.path[0]).sort()).toEqual(["callerId", "retryOn", "windowStart"]);
    const cross = createCampaignSchema.safeParse({
      name: "x",
      audioId: "a",
      startAt: "2026-11-23T10:00:00Z",
      endAt: "2026-11-23T09:00:00Z",
    });
    expect(cross.error?.issues[0]?.path).toEqual(["endAt"]);
  });
});
