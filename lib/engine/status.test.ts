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

  it("raises a playback error for a host whose last message call was not confirmed, until one plays", async () => {
    const a = await t.db.asteriskHost.create({ data: { name: "a", spoolDir: "/a", soundsDir: "/a" } });
    const b = await t.db.asteriskHost.create({ data: { name: "b", spoolDir: "/b", soundsDir: "/b" } });
    const [earlier, silent, other] = await enqueueCalls(t.db, [
      { kind: "pa", hostId: a.id, destination: "PJSIP/1" },
      { kind: "pa", hostId: a.id, destination: "PJSIP/2" },
      { kind: "pa", hostId: b.id, destination: "PJSIP/3" },
    ]);
    await t.db.call.update({ where: { id: earlier! }, data: { state: "completed", heardMs: 4000 } });
    await t.db.call.update({ where: { id: silent! }, data: { state: "playback-unconfirmed", reason: "no F" } });
    await t.db.call.update({ where: { id: other! }, data: { state: "no-answer" } });
    let status = await getEngineStatus(t.db);
    expect(status.ok).toBe(false);
    expect(status.hosts[0]!.playbackError).toMatchObject({
      message: "the PBX did not play audio: are Asterisk's core sounds (silence/*) installed?",
      callId: silent,
    });
    expect(status.hosts[1]!.playbackError).toBeNull();
    // Asterisk confirmed a playback on that host since: the error clears.
    await new Promise((r) => setTimeout(r, 5));
    await t.db.call.update({ where: { id: earlier! }, data: { heardMs: 4100 } });
    status = await getEngineStatus(t.db);
    expect(status.hosts[0]!.playbackError).toBeNull();
  });

  it("raises an error per message the PBX could not play, until a call there plays it", async () => {
    const a = await t.db.asteriskHost.create({ data: { name: "a", spoolDir: "/a", soundsDir: "/a" } });
    const fire = await t.db.audioMessage.create({
      data: { name: "Fire drill", soundName: "spoolcast/msg-fire", durationMs: 3000, sizeBytes: 1, source: "upload" },
    });
    const [first, second] = await enqueueCalls(t.db, [
      { kind: "pa", hostId: a.id, destination: "PJSIP/1", audioId: fire.id },
      { kind: "pa", hostId: a.id, destination: "PJSIP/2", audioId: fire.id },
    ]);
    await t.db.call.update({ where: { id: first! }, data: { state: "not-played", reason: "sound missing on the PBX" } });
    let status = await getEngineStatus(t.db);
    expect(status.ok).toBe(false);
    expect(status.hosts[0]!.missingMessages).toEqual([
      { audioId: fire.id, name: "Fire drill", since: expect.any(Date), callId: first },
    ]);
    await new Promise((r) => setTimeout(r, 5));
    await t.db.call.update({ where: { id: second! }, data: { state: "acknowledged", heardMs: 3000 } });
    status = await getEngineStatus(t.db);
    expect(status.hosts[0]!.missingMessages).toEqual([]);
  });
});
