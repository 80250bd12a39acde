/**
 * The home page's "Live now" and host health queries on both providers: only PAs with a call
 * still in progress, running campaigns with their progress, wake-ups due within the hour,
 * failed and unconfirmed calls of the last 24 h in plain words, the last self-test per host.
 */
import { afterEach, describe, expect, it } from "vitest";
import { listLivePas, listRecentProblemCalls, listRunningCampaigns, listWakeUpsDueSoon } from "@/lib/dashboard/live-now";
import { listHostHealth } from "@/lib/dashboard/host-health";
import { saveSelfTestResult } from "@/lib/hosts/self-test-store";
import { createTestDb, PROVIDERS, type TestDb } from "./support/test-db";

let t: TestDb | undefined;
afterEach(async () => {
  await t?.drop();
  t = undefined;
});

const NOW = new Date(Date.UTC(2026, 11, 4, 12, 0, 0));
const minutes = (m: number) => new Date(NOW.getTime() + m * 60_000);

async function seedBase(test: TestDb) {
  const db = test.db;
  const host = await db.asteriskHost.create({ data: { name: "pbx", spoolDir: "/s", soundsDir: "/d", isDefault: true } });
  const audio = await db.audioMessage.create({
    data: { name: "Fire alarm", soundName: "fire", durationMs: 10_000 },
  });
  return { host, audio };
}

function callData(hostId: string, over: Record<string, unknown>) {
  return {
    kind: "pa",
    priority: 0,
    hostId,
    destination: "+12125550100",
    channel: "PJSIP/x",
    scheduledAt: minutes(-30),
    ...over,
  };
}

describe.each(PROVIDERS)("home page queries on %s", (provider) => {
  it("lists only PAs with a call in progress that were not stopped", async () => {
    t = await createTestDb(provider);
    const { host, audio } = await seedBase(t);
    const db = t.db;
    const live = await db.paBroadcast.create({ data: { audioId: audio.id } });
    const ended = await db.paBroadcast.create({ data: { audioId: audio.id } });
    const stopped = await db.paBroadcast.create({ data: { audioId: audio.id, state: "stopped", stoppedAt: minutes(-1) } });
    await db.call.create({ data: callData(host.id, { broadcastId: live.id, state: "dialling" }) });
    await db.call.create({ data: callData(host.id, { broadcastId: live.id, state: "acknowledged", endedAt: minutes(-2) }) });
    await db.call.create({ data: callData(host.id, { broadcastId: ended.id, state: "acknowledged", endedAt: minutes(-2) }) });
    await db.call.create({ data: callData(host.id, { broadcastId: stopped.id, state: "queued" }) });

    const pas = await listLivePas(db);
    expect(pas.map((p) => ({ id: p.id, active: p.active, calls: p.calls, audioName: p.audioName }))).toEqual([
      { id: live.id, active: 1, calls: 2, audioName: "Fire alarm" },
    ]);
  });

  it("shows running campaigns with finished targets out of all", async () => {
    t = await createTestDb(provider);
    await seedBase(t);
    const db = t.db;
    const running = await db.campaign.create({ data: { name: "Flu shots", state: "running" } });
    await db.campaign.create({ data: { name: "Draft one", state: "draft" } });
    const statuses = ["done", "done", "skipped", "active", "pending"];
    for (const [n, status] of statuses.entries()) {
      await db.campaignTarget.create({ data: { campaignId: running.id, destination: `+1212555010${n}`, status } });
    }
    expect(await listRunningCampaigns(db)).toEqual([{ id: running.id, name: "Flu shots", total: 5, finished: 3, inProgress: 1 }]);
  });

  it("lists wake-ups still to place within the next hour, soonest first", async () => {
    t = await createTestDb(provider);
    await seedBase(t);
    const db = t.db;
    const make = (room: string, state = "active") =>
      db.wakeUp.create({
        data: {
          room,
          guestName: `Guest ${room}`,
          destination: "+12125550100",
          timeZone: "UTC",
          localTime: "07:00",
          startDate: "2026-12-04",
          state,
        },
      });
    const soon = await make("101");
    const later = await make("102");
    const far = await make("103");
    const past = await make("104");
    const cancelled = await make("105", "cancelled");
    await db.wakeUpOccurrence.create({ data: { wakeUpId: later.id, occursAt: minutes(50) } });
    await db.wakeUpOccurrence.create({ data: { wakeUpId: soon.id, occursAt: minutes(5) } });
    await db.wakeUpOccurrence.create({ data: { wakeUpId: far.id, occursAt: minutes(90) } });
    await db.wakeUpOccurrence.create({ data: { wakeUpId: past.id, occursAt: minutes(-5), state: "done" } });
    await db.wakeUpOccurrence.create({ data: { wakeUpId: cancelled.id, occursAt: minutes(10) } });
    const due = await listWakeUpsDueSoon(db, NOW);
    expect(due.map((d) => d.room)).toEqual(["101", "102"]);
    expect(due[0]!.occursAt.toISOString()).toBe(minutes(5).toISOString());
  });

  it("lists failed and unconfirmed calls of the last 24 h in plain words, not reached ones only", async () => {
    t = await createTestDb(provider);
    const { host, audio } = await seedBase(t);
    const db = t.db;
    const mk = (id: string, over: Record<string, unknown>) =>
      db.call.create({ data: callData(host.id, { id, audioId: audio.id, endedAt: minutes(-10), ...over }) });
    await mk("busy", { state: "busy", displayName: "Ann", endedAt: minutes(-3) });
    await mk("unconfirmed", { state: "completed", requireAck: true, heardMs: 10_000, endedAt: minutes(-4) });
    await mk("heard", { state: "completed", requireAck: false, heardMs: 10_000 });
    await mk("confirmed", { state: "acknowledged", requireAck: true, heardMs: 10_000 });
    await mk("cancelled", { state: "cancelled" });
    await mk("old", { state: "failed", endedAt: minutes(-25 * 60) });
    await mk("selftest", { state: "failed", kind: "test" });
    await mk("running", { state: "dialling", endedAt: null });

    const calls = await listRecentProblemCalls(db, NOW);
    expect(calls.map((c) => c.id)).toEqual(["busy", "unconfirmed"]);
    expect(calls[0]).toMatchObject({ who: "Ann", kind: "PA", words: { label: "Busy", group: "Not reached" } });
    expect(calls[1]!.who).toBe("+12125550100");
    expect(calls[1]!.words.label).not.toMatch(/confirmed/i);
  });

  it("gives each enabled host its last self-test, or none", async () => {
    t = await createTestDb(provider);
    const { host } = await seedBase(t);
    const db = t.db;
    const spare = await db.asteriskHost.create({ data: { name: "spare", spoolDir: "/s2", soundsDir: "/d2" } });
    await db.asteriskHost.create({ data: { name: "off", spoolDir: "/s3", soundsDir: "/d3", enabled: false } });
    await saveSelfTestResult(db, {
      hostId: host.id,
      hostName: "pbx",
      ivrMode: "direct",
      startedAt: minutes(-6).toISOString(),
      finishedAt: minutes(-5).toISOString(),
      ok: false,
      callIds: [],
      lines: [
        { id: "picked-up", label: "Asterisk picked up the call file", status: "passed", detail: "" },
        { id: "answered", label: "The test phone answered", status: "failed", detail: "No answer." },
      ],
    });
    expect(await listHostHealth(db)).toEqual([
      {
        id: host.id,
        name: "pbx",
        isDefault: true,
        lastSelfTest: { ok: false, finishedAt: minutes(-5).toISOString(), failed: ["The test phone answered"] },
      },
      { id: spare.id, name: "spare", isDefault: false, lastSelfTest: null },
    ]);
  });
});
