import { describe, expect, it } from "vitest";
import { createCampaignSchema, updateCampaignSchema } from "./campaign.schema";

const callerId = (v: string) => createCampaignSchema.safeParse({ name: "x", audioId: "a", callerId: v });

describe("campaign schemas", () => {
  it("the caller ID follows the call-file writer's rule, so nothing accepted here fails at dispatch", () => {
    for (const ok of ['"Front desk" <1000>', "1000", "+441614960000", '"Zoë Müller" <2000>', ""]) {
      expect({ ok, success: callerId(ok).success }).toEqual({ ok, success: true });
    }
    // Each was accepted before, and every call of the campaign then ended lost (issue 22, finding 5).
    for (const bad of [
      '"Front\u2028desk" <1000>',
      '"Front\u0085desk" <1000>',
      '"Front\u0000desk" <1000>',
      '"Front\tdesk" <1000>',
      '"Front #2" <1000>',
      '"Front\\desk" <1000>',
      '"Desk" <1000>\n',
    ]) {
      const r = callerId(bad);
      expect({ bad, success: r.success, path: r.error?.issues[0]?.path }).toEqual({ bad, success: false, path: ["callerId"] });
    }
  });

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
      callerId: '"Front" desk" <1000>',
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
