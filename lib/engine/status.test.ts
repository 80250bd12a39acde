import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { enqueueCalls } from "@/lib/engine/calls";
import { getEngineStatus } from "@/lib/engine/status";
import { createTestDb, type TestDb } from "@/tests/support/test-db";

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb("sqlite");
});
afterEach(async () => {
  await t.drop();
});

describe("getEngineStatus", () => {
  it("reports per host queue depth, due, oldest waiting, in flight, lost, lease and transport health", async () => {
    const a = await t.db.asteriskHost.create({ data: { name: "a", spoolDir: "/a", soundsDir: "/a" } });
    const b = await t.db.asteriskHost.create({ data: { name: "b", spoolDir: "/b", soundsDir: "/b" } });
    const now = new Date("2026-11-23T12:00:00Z");
    const [, , , inflight, lost] = await enqueueCalls(t.db, [
      { kind: "pa", hostId: a.id, destination: "PJSIP/1", scheduledAt: new Date("2026-11-23T11:58:00Z") },
      { kind: "pa", hostId: a.id, destination: "PJSIP/2", scheduledAt: new Date("2026-11-23T11:59:00Z") },
      { kind: "wakeup", hostId: a.id, destination: "PJSIP/3", scheduledAt: new Date("2026-11-23T13:00:00Z") },
      { kind: "pa", hostId: a.id, destination: "PJSIP/4" },
      { kind: "pa", hostId: b.id, destination: "PJSIP/5" },
    ]);
    await t.db.call.update({ where: { id: inflight! }, data: { state: "dialling" } });
    await t.db.call.update({ where: { id: lost! }, data: { state: "lost" } });
    await t.db.hostLease.create({
      data: {
        hostId: a.id,
        owner: "w1",
        expiresAt: new Date("2026-11-23T12:00:10Z"),
        heartbeatAt: new Date("2026-11-23T11:59:58Z"),
      },
    });
    const status = await getEngineStatus(t.db, {
      now,
      transportFor: async (hostId) => {
        if (hostId === b.id) throw new Error("connection refused");
        return { health: async () => ({ ok: true, checks: [] }), close: async () => {} } as never;
      },
    });
    expect(status.ok).toBe(false);
    const [sa, sb] = status.hosts;
    expect(sa).toMatchObject({
      name: "a",
      queued: 3,
      due: 2,
      inFlight: 1,
      lost: 0,
      oldestWaitingSince: new Date("2026-11-23T11:58:00Z"),
      leaseOwner: "w1",
      lastReconcileAt: new Date("2026-11-23T11:59:58Z"),
      transport: { ok: true },
    });
    expect(sb).toMatchObject({
      name: "b",
      queued: 0,
      lost: 1,
      leaseOwner: null,
      transport: { ok: false, error: "connection refused" },
    });
  });
});
