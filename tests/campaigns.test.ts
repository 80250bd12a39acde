/**
 * Campaign services and scheduler on both providers: planning (dedupe, DNC, no number),
 * window, pacing, retries, pause/resume, cancel, edit rules, results and retry-unreached.
 * The engine's part (a call reaching its outcome) is played by updating the Call row, as the
 * reconciler would; tickCampaign is driven with explicit times.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { AuditActor } from "@/lib/audit/record-audit";
import type { Db } from "@/lib/db";
import { createCampaign } from "@/lib/campaigns/create-campaign";
import { updateCampaign } from "@/lib/campaigns/update-campaign";
import { startCampaign } from "@/lib/campaigns/start-campaign";
import { pauseCampaign } from "@/lib/campaigns/pause-campaign";
import { resumeCampaign } from "@/lib/campaigns/resume-campaign";
import { cancelCampaign } from "@/lib/campaigns/cancel-campaign";
import { getCampaignResults } from "@/lib/campaigns/get-campaign-results";
import { retryUnreached } from "@/lib/campaigns/retry-unreached";
import { tickCampaign } from "@/lib/campaigns/campaign-scheduler";
import { addDncEntry, importDncCsv } from "@/lib/campaigns/dnc";
import { createTestDb, PROVIDERS, type TestDb } from "./support/test-db";

let t: TestDb | undefined;
afterEach(async () => {
  await t?.drop();
  t = undefined;
});

async function seed(db: Db) {
  const user = await db.user.create({
    data: { email: "op@example.org", name: "Olga Operator", passwordHash: "x", role: "operator" },
  });
  const actor: AuditActor = { type: "user", id: user.id, name: user.name };
  const host = await db.asteriskHost.create({
    data: { name: "pbx", isDefault: true, spoolDir: "/nonexistent-spool", soundsDir: "/sounds" },
  });
  const audio = await db.audioMessage.create({ data: { name: "Reminder", soundName: "spoolcast/reminder" } });
  // On the host: a campaign on a message the host lacks is refused (tests/pa-no-silent.test.ts).
  await db.audioDelivery.create({ data: { audioId: audio.id, hostId: host.id, state: "synced", syncedAt: new Date() } });
  const staff = await db.contactGroup.create({ data: { name: "Staff" } });
  const night = await db.contactGroup.create({ data: { name: "Night" } });
  const mk = (name: string, phones: string[], groups: string[], extra: { timeZone?: string; doNotCall?: boolean } = {}) =>
    db.contact.create({
      data: {
        name,
        nameKey: name.toLowerCase(),
        ...extra,
        phones: { create: phones.map((destination, position) => ({ destination, position })) },
        groups: { create: groups.map((groupId) => ({ groupId })) },
      },
    });
  const alice = await mk("Alice", ["+15550000001"], [staff.id, night.id], { timeZone: "America/New_York" });
  const bob = await mk("Bob", ["+15550000002"], [staff.id], { timeZone: "America/New_York" });
  await mk("Bob twin", ["+15550000002"], [night.id]);
  await mk("Carol", [], [staff.id]);
  await mk("Dan", ["+442079460004"], [staff.id], { timeZone: "America/New_York" });
  const kenji = await mk("Kenji", ["+81312345678"], [], { timeZone: "Asia/Tokyo" });
  await mk("Opted out", ["+15550000006"], [staff.id], { doNotCall: true });
  return { actor, host, audio, staff, night, alice, bob, kenji };
}

// Monday 2026-11-23 14:00 UTC = 09:00 New York, 23:00 Tokyo.
const T0 = new Date("2026-11-23T14:00:00Z");
const at = (sec: number) => new Date(T0.getTime() + sec * 1000);

async function finishCall(db: Db, callId: string, state: string, endedAt: Date) {
  await db.call.update({
    where: { id: callId },
    data: {
      state,
      outcome: state,
      endedAt,
      attempts: 1,
      ...(state === "acknowledged" ? { ackAt: endedAt, ackDigit: "1", answeredAt: endedAt } : {}),
    },
  });
}

describe.each(PROVIDERS)("campaigns on %s", (provider) => {
  it("plans deduplicated targets with skip reasons, honours window, pacing, retries and DNC at release, and completes", async () => {
    t = await createTestDb(provider);
    const s = await seed(t.db);
    await addDncEntry(t.db, { number: "+442079460004", reason: "asked" }, s.actor);
    const { id } = await createCampaign(
      t.db,
      {
        name: "Flu shots",
        groupIds: [s.staff.id, s.night.id],
        contactIds: [s.kenji.id],
        audioId: s.audio.id,
        startAt: T0,
        windowDays: [1, 2, 3, 4, 5],
        windowStart: "09:00",
        windowEnd: "20:00",
        maxConcurrent: 1,
        perMinute: 10,
        retryCount: 1,
        retryIntervalSec: 60,
        retryOn: ["busy"],
      },
      s.actor,
    );
    const started = await startCampaign(t.db, { id }, s.actor, T0);
    expect(started).toMatchObject({ state: "scheduled", targets: 3, skipped: 3 });
    let r = await getCampaignResults(t.db, id);
    expect(r.skipped.map((x) => [x.name, x.reason]).sort()).toEqual([
      ["Carol", "no valid phone number, extension or endpoint"],
      ["Dan", "on the do-not-call list"],
      ["Opted out", "on the do-not-call list"],
    ]);

    // Tick 1: running; max concurrent 1 → one New York callee released; Kenji (23:00 in Tokyo) waits.
    expect(await tickCampaign(t.db, id, at(0))).toBe(1);
    let calls = await t.db.call.findMany({ where: { campaignId: id } });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ kind: "campaign", destination: "+15550000001", maxRetries: 0, requireAck: true });
    expect(JSON.parse(calls[0]!.scriptJson)).toMatchObject({ kind: "message", message: "spoolcast/reminder", requireAck: true });
    expect((await t.db.campaign.findUniqueOrThrow({ where: { id } })).state).toBe("running");
    expect(await tickCampaign(t.db, id, at(1))).toBe(0); // still one out

    // Alice acknowledges; Bob is next and is busy → retried after 60 s, once.
    await finishCall(t.db, calls[0]!.id, "acknowledged", at(5));
    expect(await tickCampaign(t.db, id, at(6))).toBe(1);
    const bobCall = await t.db.call.findFirstOrThrow({ where: { campaignId: id, destination: "+15550000002" } });
    expect(bobCall.contactId).toBe(s.bob.id);
    await finishCall(t.db, bobCall.id, "busy", at(10));
    expect(await tickCampaign(t.db, id, at(11))).toBe(0); // retry waits for its interval
    expect(await tickCampaign(t.db, id, at(71))).toBe(1);
    const retry = await t.db.call.findFirstOrThrow({
      where: { campaignId: id, destination: "+15550000002", id: { not: bobCall.id } },
    });
    await finishCall(t.db, retry.id, "busy", at(75));
    await tickCampaign(t.db, id, at(200)); // no retries left
    const bobTarget = await t.db.campaignTarget.findFirstOrThrow({ where: { campaignId: id, destination: "+15550000002" } });
    expect(bobTarget).toMatchObject({ status: "done", attempts: 2, outcome: "busy" });

    // Kenji's window opens Tuesday 09:00 Tokyo = Tuesday 00:00 UTC; added to DNC before that.
    expect((await t.db.campaign.findUniqueOrThrow({ where: { id } })).state).toBe("running");
    await importDncCsv(t.db, "number,reason\n+81312345678,opted out by letter\n", s.actor);
    await tickCampaign(t.db, id, new Date("2026-11-24T00:00:30Z"));
    const kenjiT = await t.db.campaignTarget.findFirstOrThrow({ where: { campaignId: id, contactId: s.kenji.id } });
    expect(kenjiT).toMatchObject({ status: "skipped", reason: "on the do-not-call list", attempts: 0 });
    expect((await t.db.campaign.findUniqueOrThrow({ where: { id } })).state).toBe("completed");

    r = await getCampaignResults(t.db, id);
    expect(r.counts).toMatchObject({ total: 6, done: 2, skipped: 4, reached: 1, acknowledged: 1 });
    expect(r.summary.reachedPct).toBe(0.5);
    expect(r.summary.attempts).toEqual([
      { attempts: 1, targets: 1 },
      { attempts: 2, targets: 1 },
    ]);
    expect(r.summary.medianAckMs).toBe(5000);
    expect(r.summary.outcomes).toEqual([
      { outcome: "busy", count: 2 },
      { outcome: "acknowledged", count: 1 },
    ]);
    // The page's chart and people list speak in outcome words.
    expect(r.summary.outcomeGroups).toEqual([
      { group: "Confirmed", count: 1, parts: [{ label: "Confirmed", count: 1 }] },
      { group: "Not reached", count: 2, parts: [{ label: "Busy", count: 2 }] },
    ]);
    expect(
      r.targets
        .filter((x) => x.status === "done")
        .map((x) => [x.displayName, x.outcomeLabel])
        .sort(),
    ).toEqual([
      ["Alice", "Confirmed"],
      ["Bob", "Busy"],
    ]);

    // Retry unreached: a draft with Bob only, linked to its parent.
    const follow = await retryUnreached(t.db, { id }, s.actor);
    expect(follow.contacts).toBe(1);
    const child = await t.db.campaign.findUniqueOrThrow({ where: { id: follow.id }, include: { contacts: true } });
    expect(child).toMatchObject({ parentId: id, state: "draft", retryOn: "busy", windowStart: "09:00" });
    expect(child.contacts.map((c) => c.contactId)).toEqual([s.bob.id]);
    expect(await t.db.auditEvent.count({ where: { targetId: id, action: { in: ["campaign.create", "campaign.start"] } } })).toBe(
      2,
    );
  });

  it("counts the chart's outcome groups by how much of the message was heard", async () => {
    t = await createTestDb(provider);
    const s = await seed(t.db);
    await t.db.audioMessage.update({ where: { id: s.audio.id }, data: { durationMs: 20_000 } });
    const { id } = await createCampaign(t.db, { name: "Heard", groupIds: [s.staff.id], audioId: s.audio.id }, s.actor);
    const call = (n: number, state: string, heardMs: number | null) => ({
      kind: "campaign",
      priority: 30,
      campaignId: id,
      hostId: s.host.id,
      audioId: s.audio.id,
      destination: `+1555000010${n}`,
      channel: "PJSIP/x",
      scheduledAt: T0,
      state,
      heardMs,
    });
    await t.db.call.createMany({
      data: [
        call(0, "not-acknowledged", 20_000),
        call(1, "not-acknowledged", 19_500), // within the margin of the end: heard in full
        call(2, "not-acknowledged", 3_000),
        call(3, "not-acknowledged", null), // no playback reported: never "Heard"
        call(4, "congestion", null),
        call(5, "dialling", null),
      ],
    });
    const r = await getCampaignResults(t.db, id);
    expect(r.summary.outcomeGroups).toEqual([
      {
        group: "Heard",
        count: 3,
        parts: [
          { label: "Heard, not confirmed", count: 2 },
          { label: "Heard part (hung up during the message)", count: 1 },
        ],
      },
      { group: "Not reached", count: 1, parts: [{ label: "Answered, not confirmed", count: 1 }] },
      { group: "Failed", count: 1, parts: [{ label: "Network congestion", count: 1 }] },
      { group: "In progress", count: 1, parts: [{ label: "Ringing", count: 1 }] },
    ]);
    expect(r.summary.outcomes.find((o) => o.outcome === "not-acknowledged")?.count).toBe(4);
  });

  it("pause withdraws queued calls without counting an attempt, resume calls them again; cancel is final", async () => {
    t = await createTestDb(provider);
    const s = await seed(t.db);
    const { id } = await createCampaign(
      t.db,
      {
        name: "Drill",
        groupIds: [s.staff.id],
        audioId: s.audio.id,
        maxConcurrent: 5,
        retryOn: ["failed"],
        requireAck: false,
        windowStart: "06:00",
      },
      s.actor,
    );
    await startCampaign(t.db, { id }, s.actor, T0);
    expect(await tickCampaign(t.db, id, at(0))).toBe(3); // Alice, Bob, Dan (no DNC entry in this test)
    const before = await t.db.call.findMany({ where: { campaignId: id } });
    expect(before.length).toBe(3);

    const paused = await pauseCampaign(t.db, { id }, s.actor);
    expect(paused).toMatchObject({ state: "paused", cancelled: 3, dialling: 0 });
    expect(await tickCampaign(t.db, id, at(5))).toBe(0);
    const targets = await t.db.campaignTarget.findMany({ where: { campaignId: id, status: { not: "skipped" } } });
    expect(targets.map((x) => [x.status, x.attempts])).toEqual([
      ["pending", 0],
      ["pending", 0],
      ["pending", 0],
    ]);
    await expect(updateCampaign(t.db, { id, groupIds: [s.night.id] }, s.actor)).rejects.toMatchObject({ field: "groupIds" });
    await expect(updateCampaign(t.db, { id, audioId: s.audio.id }, s.actor)).rejects.toMatchObject({ field: "audioId" });
    await updateCampaign(t.db, { id, name: "Drill 2", maxConcurrent: 1 }, s.actor);
    // Only what was given changed: no other setting fell back to its default.
    expect(await t.db.campaign.findUniqueOrThrow({ where: { id } })).toMatchObject({
      name: "Drill 2",
      maxConcurrent: 1,
      retryOn: "failed",
      requireAck: false,
      windowStart: "06:00",
    });

    await resumeCampaign(t.db, { id }, s.actor);
    expect(await tickCampaign(t.db, id, at(10))).toBe(1); // new max concurrent applies
    const after = await t.db.call.findMany({ where: { campaignId: id, state: "queued" } });
    expect(after).toHaveLength(1);
    expect(after[0]!.destination).not.toBe("+442079460004"); // Alice or Bob first (name order)
    await expect(resumeCampaign(t.db, { id }, s.actor)).rejects.toMatchObject({ field: "id" });

    // A contact opted out after planning is not called on resume either.
    const dan = await t.db.campaignTarget.findFirstOrThrow({ where: { campaignId: id, destination: "+442079460004" } });
    await t.db.contact.update({ where: { id: dan.contactId! }, data: { doNotCall: true } });
    await updateCampaign(t.db, { id, maxConcurrent: 5 }, s.actor);
    await tickCampaign(t.db, id, at(12));
    expect(await t.db.campaignTarget.findUniqueOrThrow({ where: { id: dan.id } })).toMatchObject({
      status: "skipped",
      reason: "on the do-not-call list",
    });
    expect(await t.db.call.count({ where: { campaignId: id, destination: "+442079460004", state: "queued" } })).toBe(0);

    const c = await cancelCampaign(t.db, { id }, s.actor);
    expect(c).toMatchObject({ state: "cancelled", cancelled: 2 }); // the one out before and the one released after raising the limit
    await tickCampaign(t.db, id, at(20));
    expect(await t.db.call.count({ where: { campaignId: id, state: { not: "cancelled" } } })).toBe(0);
    expect(await t.db.campaignTarget.count({ where: { campaignId: id, status: { in: ["pending", "active"] } } })).toBe(0);
    await expect(pauseCampaign(t.db, { id }, s.actor)).rejects.toMatchObject({ field: "id" });
    expect(
      await t.db.auditEvent.count({
        where: { targetId: id, action: { in: ["campaign.pause", "campaign.resume", "campaign.cancel", "campaign.update"] } },
      }),
    ).toBe(5);
  });

  it("releases a campaign of 1,200 people in one tick and still honours a do-not-call mark set after planning", async () => {
    t = await createTestDb(provider);
    const s = await seed(t.db);
    const big = await t.db.contactGroup.create({ data: { name: "Everyone" } });
    const n = 1200;
    const ids = Array.from({ length: n }, (_, i) => `cbulk${String(i).padStart(6, "0")}`);
    await t.db.contact.createMany({
      data: ids.map((id, i) => ({ id, name: `Person ${i}`, nameKey: `person ${i}`, timeZone: "America/New_York" })),
    });
    await t.db.contactPhone.createMany({
      data: ids.map((contactId, i) => ({ contactId, destination: `+1555${String(1000000 + i)}` })),
    });
    await t.db.groupMember.createMany({ data: ids.map((contactId) => ({ groupId: big.id, contactId })) });
    const { id } = await createCampaign(
      t.db,
      {
        name: "Everyone",
        groupIds: [big.id],
        contactIds: [],
        audioId: s.audio.id,
        startAt: T0,
        windowDays: [1, 2, 3, 4, 5],
        windowStart: "09:00",
        windowEnd: "20:00",
        maxConcurrent: 500,
        perMinute: 6000,
        retryCount: 0,
        retryIntervalSec: 60,
        retryOn: [],
      },
      s.actor,
    );
    await startCampaign(t.db, { id }, s.actor, T0);
    // Past the first 500 contacts the scheduler looks up: the mark must still be seen.
    await t.db.contact.update({ where: { id: ids[1100]! }, data: { doNotCall: true } });
    await t.db.campaign.update({ where: { id }, data: { maxConcurrent: 5000 } });
    expect(await tickCampaign(t.db, id, at(0))).toBe(n - 1);
    const flagged = await t.db.campaignTarget.findFirst({ where: { campaignId: id, contactId: ids[1100]! } });
    expect(flagged).toMatchObject({ status: "skipped" });
    expect(await t.db.call.count({ where: { campaignId: id } })).toBe(n - 1);
  });

  it("rejects bad input with the field named", async () => {
    t = await createTestDb(provider);
    const s = await seed(t.db);
    await expect(createCampaign(t.db, { name: "", audioId: s.audio.id }, s.actor)).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ["name"] })],
    });
    await expect(
      createCampaign(t.db, { name: "x", audioId: s.audio.id, windowStart: "20:00", windowEnd: "09:00" }, s.actor),
    ).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ["windowEnd"] })],
    });
    await expect(createCampaign(t.db, { name: "x", audioId: "nope" }, s.actor)).rejects.toMatchObject({ field: "audioId" });
    const empty = await createCampaign(t.db, { name: "Empty", audioId: s.audio.id }, s.actor);
    await expect(startCampaign(t.db, { id: empty.id }, s.actor)).rejects.toMatchObject({ field: "groupIds" });
    await expect(addDncEntry(t.db, { number: "12" }, s.actor)).rejects.toMatchObject({ field: "number" });
  });
});
