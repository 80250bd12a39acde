import { describe, expect, it } from "vitest";
import { newRowId } from "@/lib/engine/bulk";
import { orderTimeline, type OrderableEvent } from "./timeline-order";

const at = (iso: string) => new Date(`2026-05-01T10:00:${iso}Z`);

/** Events in insertion order: each gets the next newRowId, as every writer now does. */
function inserted(list: Array<[string, string, string]>): OrderableEvent[] {
  return list.map(([type, source, time]) => ({ id: newRowId(), type, source, at: at(time) }));
}

describe("orderTimeline", () => {
  it("shows spooled before the IVR session Asterisk opened while the engine was still recording the batch", () => {
    // The engine stamps and inserts "spooled" after the batch; the IVR connected in between.
    const events = inserted([
      ["queued", "engine", "04.100"],
      ["ivr.connected", "ivr", "05.200"],
      ["answered", "ivr", "05.200"],
      ["spooled", "engine", "05.600"],
    ]);
    expect(orderTimeline(events).map((e) => e.type)).toEqual(["queued", "spooled", "ivr.connected", "answered"]);
  });

  it("puts Asterisk's whole-second dialling after the spooling of the same second", () => {
    const events = inserted([
      ["spooled", "engine", "05.400"],
      ["dialling", "asterisk", "05.000"],
      ["ivr.connected", "ivr", "05.300"],
    ]);
    expect(orderTimeline(events).map((e) => e.type)).toEqual(["spooled", "dialling", "ivr.connected"]);
  });

  it("keeps insertion order for events of the same instant, and time order across seconds", () => {
    const events = inserted([
      ["ivr.played", "ivr", "09.000"],
      ["ivr.dtmf", "ivr", "09.000"],
      ["ivr.acknowledged", "ivr", "09.000"],
      ["completed", "asterisk", "12.000"],
      ["ivr.hangup", "ivr", "11.500"],
    ]);
    expect(orderTimeline(events).map((e) => e.type)).toEqual([
      "ivr.played",
      "ivr.dtmf",
      "ivr.acknowledged",
      "ivr.hangup",
      "completed",
    ]);
    // The same result whatever order the database returned the rows in.
    expect(orderTimeline(events.toReversed()).map((e) => e.id)).toEqual(orderTimeline(events).map((e) => e.id));
  });

  it("lists a user's re-queue after the end it follows, even within the same second", () => {
    const events = inserted([
      ["lost", "engine", "07.100"],
      ["queued", "user", "07.900"],
    ]);
    expect(orderTimeline(events).map((e) => e.type)).toEqual(["lost", "queued"]);
  });
});
