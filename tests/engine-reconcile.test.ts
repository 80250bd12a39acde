/**
 * Bulk reconciliation on both providers: many archived files in one pass go through the
 * batched UPDATE … CASE path, whose SQL differs slightly between SQLite and PostgreSQL.
 */
import { afterEach, describe, expect, it } from "vitest";
import { callFileName } from "@/lib/callfile/types";
import { enqueueCalls, getCallTimeline } from "@/lib/engine/calls";
import { getEngineStatus } from "@/lib/engine/status";
import { createFakeSpoolEngine, WRITER_VARIANTS } from "./support/fake-spool-engine";
import { createTestDb, type TestDb } from "./support/test-db";

let t: TestDb | undefined;
afterEach(async () => {
  await t?.drop();
  t = undefined;
});

describe.each(WRITER_VARIANTS)("bulk reconciliation on %s (%s)", (provider, writer) => {
  it("reconciles 30 archived files in one pass: outcomes, end times, attempts and timelines, and nothing twice", async () => {
    t = await createTestDb(provider);
    const db = t.db;
    const host = await db.asteriskHost.create({
      data: { name: "h", spoolDir: "/x", soundsDir: "/x", maxConcurrent: 100, maxPerSecond: 100 },
    });
    let clock = Math.ceil(Date.now() / 1000) * 1000 + 2000;
    const { engine, fake } = createFakeSpoolEngine(t, writer, { now: () => clock });
    const ids = await enqueueCalls(
      db,
      Array.from({ length: 30 }, (_, i) => ({
        kind: "campaign" as const,
        hostId: host.id,
        destination: `+1555000${String(i).padStart(4, "0")}`,
        requireAck: i % 3 === 1,
        maxRetries: 1,
        retryTime: 60,
        waitTime: 30,
        scheduledAt: new Date(clock),
      })),
    );
    await engine.runOnce();
    expect(fake.outgoing.size).toBe(30);
    const s = clock / 1000;
    ids.forEach((id, i) => {
      const name = callFileName(id, 1);
      fake.startAttempt(name, 1, s, 60);
      if (i % 3 === 2) {
        fake.endAttempt(name, 1, s + 30);
        fake.startAttempt(name, 2, s + 60, 60);
      }
    });
    // The IVR recorded a key press for every sixth call.
    for (const [i, id] of ids.entries())
      if (i % 6 === 1) await db.call.update({ where: { id }, data: { ackDigit: "1", ackAt: new Date(clock + 5000) } });
    clock += 100_000;
    const archivedAt = clock;
    ids.forEach((id, i) =>
      fake.archive(callFileName(id, 1), i % 3 === 2 ? "Expired" : "Completed", new Date(archivedAt + i * 1000)),
    );
    // Read after the last one ended (an archive's time is never taken past the engine's clock).
    clock += 30_000;
    await engine.runOnce();

    const rows = await db.call.findMany({ where: { id: { in: ids } } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    ids.forEach((id, i) => {
      const r = byId.get(id)!;
      const expected = i % 3 === 2 ? "expired" : i % 6 === 1 ? "acknowledged" : i % 3 === 1 ? "not-acknowledged" : "completed";
      expect([i, r.state, r.outcome]).toEqual([i, expected, expected]);
      expect(r.endedAt?.getTime()).toBe(archivedAt + i * 1000);
      expect(r.attempts).toBe(i % 3 === 2 ? 2 : 1);
      expect(r.currentFile).toBe(callFileName(id, 1));
    });
    const expiredTimeline = await getCallTimeline(ids[2]!, { db });
    expect(expiredTimeline.events.map((e) => e.type)).toEqual([
      "queued",
      "spooled",
      "dialling",
      "retry-wait",
      "dialling",
      "expired",
    ]);
    expect(expiredTimeline.callAttempts.map((a) => [a.n, a.result])).toEqual([
      [1, "failed"],
      [2, "failed"],
    ]);

    const events = await db.callEvent.count();
    await engine.runOnce();
    expect(await db.callEvent.count()).toBe(events);
    expect(fake.moved.size).toBe(30);

    const status = await getEngineStatus(db, { transportFor: async () => fake, now: new Date(clock) });
    expect(status.hosts).toHaveLength(1);
    expect(status.hosts[0]).toMatchObject({
      queued: 0,
      inFlight: 0,
      lost: 0,
      leaseOwner: engine.workerId,
      transport: { ok: true },
    });
    await engine.stop();
  });
});
