/**
 * Bulk inserts of the reconciler on both providers: an attempt row the IVR server created
 * between the reconciler's read and its insert is kept, not a failed pass.
 */
import { afterEach, describe, expect, it } from "vitest";
import { insertAttempts } from "@/lib/engine/bulk";
import { createTestDb, PROVIDERS, type TestDb } from "./support/test-db";

let t: TestDb | undefined;
afterEach(async () => {
  await t?.drop();
  t = undefined;
});

describe.each(PROVIDERS)("bulk attempt rows on %s", (provider) => {
  it("fills only the empty columns of a row the IVR wrote meanwhile, and inserts the others", async () => {
    t = await createTestDb(provider);
    const db = t.db;
    const host = await db.asteriskHost.create({ data: { name: "pbx", spoolDir: "/s", soundsDir: "/d" } });
    const call = await db.call.create({
      data: {
        kind: "campaign",
        priority: 3,
        state: "spooled",
        hostId: host.id,
        destination: "+15550001",
        channel: "PJSIP/x",
        scheduledAt: new Date(0),
      },
    });
    const file = "spoolcast-x-1.call";
    // The IVR's failure report for attempt 2 landed first: busy, with its REASON and end time.
    await db.callAttempt.create({
      data: { callId: call.id, fileName: file, n: 2, result: "busy", reason: "5", endedAt: new Date(65_000) },
    });
    await db.$transaction((tx) =>
      insertAttempts(tx, [
        { callId: call.id, fileName: file, n: 1, startedAt: new Date(0), endedAt: new Date(30_000), result: "failed" },
        { callId: call.id, fileName: file, n: 2, startedAt: new Date(60_000), endedAt: new Date(66_000), result: "failed" },
      ]),
    );
    const rows = await db.callAttempt.findMany({ where: { callId: call.id }, orderBy: { n: "asc" } });
    expect(rows.map((r) => [r.n, r.startedAt?.getTime(), r.endedAt?.getTime(), r.result, r.reason])).toEqual([
      [1, 0, 30_000, "failed", null],
      [2, 60_000, 65_000, "busy", "5"],
    ]);
  });
});
