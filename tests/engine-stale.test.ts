/**
 * No stale calls (lib/engine/valid-until.ts): a wake-up and a PA queued before a 20-hour
 * outage are not dialled when the engine starts again; they end `missed` with the words
 * "Missed: Spoolcast was not running at the time", the PA board counts them unreached, the
 * wake-up's occurrence shows it was not called and the front desk is alerted (banner and desk
 * call). A call still within its window is dialled. The engine runs with an injected clock and
 * a fake transport; the services are the real ones.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DateTime } from "luxon";
import { parseCallFile } from "@/lib/callfile/parse";
import { serializeCallFile } from "@/lib/callfile/serialize";
import { callFileName } from "@/lib/callfile/types";
import { describeOutcome } from "@/lib/calls/outcome-words";
import { createEngine, type Engine } from "@/lib/engine/engine";
import { enqueueCalls, getCallTimeline, requeueCall } from "@/lib/engine/calls";
import { createFakeTransport, type FakeTransport } from "@/lib/engine/testing/fake-transport";
import { launchPa } from "@/lib/pa/launch-pa";
import { exportCallsCsv } from "@/lib/results/export-calls";
import { startClickToCall } from "@/lib/calls/click-to-call";
import { createCampaign } from "@/lib/campaigns/create-campaign";
import { startCampaign } from "@/lib/campaigns/start-campaign";
import { tickCampaign } from "@/lib/campaigns/campaign-scheduler";
import { getPaBoard } from "@/lib/pa/get-pa-board";
import { createWakeUp } from "@/lib/wakeups/create-wakeup";
import { listWakeUpAlerts, listWakeUps } from "@/lib/wakeups/list-wakeups";
import { acknowledgeWakeUpAlert } from "@/lib/wakeups/acknowledge-alert";
import { runWakeUpTick } from "@/lib/wakeups/wakeup-scheduler";
import { alertSentence, occurrenceBadge, occurrenceDetail } from "@/lib/wakeups/wakeup-words";
import { resetEnvForTests } from "@/lib/env";
import { backfillValidUntil } from "@/lib/engine/valid-until-backfill";
import { getCallWindowSettings, saveCallWindowSettings } from "@/lib/settings/call-windows";
import type { AuditActor } from "@/lib/audit/record-audit";
import { PROVIDERS, createTestDb, type TestDb } from "@/tests/support/test-db";

const WORDS = "Missed: Spoolcast was not running at the time";
const HOUR = 3_600_000;
const MIN = 60_000;
const ZONE = "Europe/Berlin";

describe.each(PROVIDERS)("stale calls after an outage on %s", (provider) => {
  let t: TestDb;
  let sounds: string;
  let engine: Engine | undefined;
  beforeAll(async () => {
    t = await createTestDb(provider);
    sounds = mkdtempSync(path.join(os.tmpdir(), "spoolcast-stale-"));
    Object.assign(process.env, {
      ASTERISK_SOUNDS_DIR: sounds,
      SPOOLCAST_DATA_DIR: sounds,
      SPOOLCAST_SECRET: "stale-test-secret-0123456789abcdef",
    });
    resetEnvForTests();
  }, 60_000);
  afterAll(async () => {
    await engine?.stop();
    for (const k of ["ASTERISK_SOUNDS_DIR", "SPOOLCAST_DATA_DIR", "SPOOLCAST_SECRET"]) Reflect.deleteProperty(process.env, k);
    resetEnvForTests();
    await t.drop();
    rmSync(sounds, { recursive: true, force: true });
  });

  it("enqueue sets each kind's valid-until", async () => {
    const host = await t.db.asteriskHost.create({
      data: { name: "kinds", spoolDir: "/spool", soundsDir: "/sounds", enabled: false },
    });
    const at = new Date("2026-12-04T06:00:00.000Z");
    const end = new Date(at.getTime() + 7 * MIN);
    const ids = await enqueueCalls(t.db, [
      { kind: "wakeup", hostId: host.id, destination: "101", scheduledAt: at },
      { kind: "pa", hostId: host.id, destination: "+15550000001", scheduledAt: at },
      { kind: "test", hostId: host.id, destination: "+15550000001", scheduledAt: at },
      { kind: "click", hostId: host.id, destination: "+15550000001", channel: "PJSIP/1001", scheduledAt: at },
      { kind: "campaign", hostId: host.id, destination: "+15550000001", scheduledAt: at },
      { kind: "campaign", hostId: host.id, destination: "+15550000002", scheduledAt: at, validUntil: end },
    ]);
    const rows = await t.db.call.findMany({ where: { id: { in: ids } } });
    const byId = new Map(rows.map((r) => [r.id, r.validUntil?.getTime()]));
    expect(ids.map((id) => (byId.get(id)! - at.getTime()) / MIN)).toEqual([15, 10, 10, 2, 30, 7]);
    await t.db.call.deleteMany({ where: { id: { in: ids } } });
    await t.db.asteriskHost.delete({ where: { id: host.id } });
  });

  it("the site's wake-up tolerance and PA validity, and a booking's own tolerance, set the valid-until", async () => {
    const admin: AuditActor = { type: "system", id: null, name: "test" };
    const host = await t.db.asteriskHost.create({
      // Enabled: the wake-up bookings below go to the default host (this one, the only one now).
      data: { name: "windows", spoolDir: "/spool", soundsDir: "/sounds" },
    });
    expect(await getCallWindowSettings(t.db)).toEqual({ wakeupToleranceMinutes: 15, paValidMinutes: 10 });
    // Bad values are refused naming the field, and nothing is stored.
    await expect(
      saveCallWindowSettings(t.db, { wakeupToleranceMinutes: "0", paValidMinutes: "10" }, { actor: admin }),
    ).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ["wakeupToleranceMinutes"] })] });
    await expect(
      saveCallWindowSettings(t.db, { wakeupToleranceMinutes: "30", paValidMinutes: "61" }, { actor: admin }),
    ).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ["paValidMinutes"] })] });
    expect(await getCallWindowSettings(t.db)).toEqual({ wakeupToleranceMinutes: 15, paValidMinutes: 10 });

    await saveCallWindowSettings(t.db, { wakeupToleranceMinutes: "30", paValidMinutes: "5" }, { actor: admin });
    expect(await getCallWindowSettings(t.db)).toEqual({ wakeupToleranceMinutes: 30, paValidMinutes: 5 });
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "settings.update" }, orderBy: { at: "desc" } });
    expect(audit.summary).toBe("wakeupToleranceMinutes: 15 → 30 min; paValidMinutes: 10 → 5 min");
    try {
      const at = new Date("2026-12-04T06:00:00.000Z");
      const ids = await enqueueCalls(t.db, [
        { kind: "wakeup", hostId: host.id, destination: "101", scheduledAt: at },
        { kind: "pa", hostId: host.id, destination: "+15550000001", scheduledAt: at },
        { kind: "test", hostId: host.id, destination: "+15550000001", scheduledAt: at },
        { kind: "click", hostId: host.id, destination: "+15550000001", channel: "PJSIP/1001", scheduledAt: at },
        { kind: "wakeup", hostId: host.id, destination: "102", scheduledAt: at, validForMs: 45 * MIN },
      ]);
      const rows = await t.db.call.findMany({ where: { id: { in: ids } } });
      const byId = new Map(rows.map((r) => [r.id, r.validUntil!.getTime()]));
      expect(ids.map((id) => (byId.get(id)! - at.getTime()) / MIN)).toEqual([30, 5, 5, 2, 45]);

      // A booking's own tolerance reaches its calls; without one, the site's applies.
      const now = new Date("2026-12-04T05:00:00.000Z");
      const own = await createWakeUp(
        t.db,
        { room: "201", localTime: "07:00", timeZone: "UTC", toleranceMinutes: "50" },
        admin,
        now,
      );
      const site = await createWakeUp(
        t.db,
        { room: "202", localTime: "07:00", timeZone: "UTC", toleranceMinutes: "" },
        admin,
        now,
      );
      expect([own.toleranceMinutes, site.toleranceMinutes]).toEqual([50, null]);
      for (const [w, minutes] of [
        [own, 50],
        [site, 30],
      ] as const) {
        const call = await t.db.call.findFirstOrThrow({ where: { wakeUpId: w.id } });
        expect((call.validUntil!.getTime() - call.scheduledAt.getTime()) / MIN).toBe(minutes);
      }
      await expect(
        createWakeUp(t.db, { room: "203", localTime: "07:00", timeZone: "UTC", toleranceMinutes: "600" }, admin, now),
      ).rejects.toMatchObject({
        field: "toleranceMinutes",
        message: "Wake-up tolerance: a whole number of minutes from 1 to 120",
      });
      for (const w of [own, site]) await t.db.wakeUp.delete({ where: { id: w.id } });
    } finally {
      await t.db.setting.deleteMany({ where: { key: { in: ["wakeupToleranceMinutes", "paValidMinutes"] } } });
      await t.db.call.deleteMany({ where: { hostId: host.id } });
      await t.db.asteriskHost.delete({ where: { id: host.id } });
    }
  });

  it("calls queued before valid-until existed get one at start-up; those long past it are missed, not dialled", async () => {
    const host = await t.db.asteriskHost.create({
      data: { name: "backfill", spoolDir: "/spool", soundsDir: "/sounds", maxConcurrent: 10, maxPerSecond: 10 },
    });
    const booking = await t.db.wakeUp.create({
      data: {
        room: "301",
        destination: "301",
        timeZone: "UTC",
        localTime: "07:00",
        startDate: "2026-11-23",
        toleranceMinutes: 40,
      },
    });
    const camp = await t.db.campaign.create({ data: { name: "Old survey", endAt: new Date("2026-11-23T07:05:00.000Z") } });
    // Eleven days ago (the issue's worst case), and one due a minute before the restart.
    const old = new Date("2026-11-23T07:00:00.000Z");
    let clock = old.getTime() + 11 * 24 * HOUR;
    const recent = new Date(clock - MIN);
    const ids = await enqueueCalls(t.db, [
      { kind: "wakeup", hostId: host.id, destination: "301", scheduledAt: old, wakeUpId: booking.id },
      { kind: "pa", hostId: host.id, destination: "+15550000011", scheduledAt: old },
      { kind: "campaign", hostId: host.id, destination: "+15550000012", scheduledAt: old, campaignId: camp.id },
      { kind: "pa", hostId: host.id, destination: "+15550000013", scheduledAt: recent },
    ]);
    // As an older Spoolcast left them: no valid-until.
    await t.db.call.updateMany({ where: { id: { in: ids } }, data: { validUntil: null } });

    expect(await backfillValidUntil(t.db)).toBe(4);
    const rows = new Map((await t.db.call.findMany({ where: { id: { in: ids } } })).map((r) => [r.id, r]));
    expect(ids.map((id) => rows.get(id)!.validUntil!.toISOString())).toEqual([
      "2026-11-23T07:40:00.000Z", // the booking's own 40 minutes
      "2026-11-23T07:10:00.000Z", // the site's PA validity
      "2026-11-23T07:05:00.000Z", // the campaign's end
      new Date(recent.getTime() + 10 * MIN).toISOString(),
    ]);
    // Idempotent: nothing left without one.
    expect(await backfillValidUntil(t.db)).toBe(0);

    const fake = createFakeTransport();
    const restarted = createEngine({
      db: t.db,
      provider,
      secret: "s".repeat(40),
      ivrPublicAddress: "127.0.0.1:2949",
      transportFor: () => fake,
      serialize: serializeCallFile,
      parse: parseCallFile,
      watch: false,
      workerId: "w4",
      now: () => clock,
    });
    try {
      await restarted.runOnce();
      clock += 1000;
      await restarted.runOnce();
    } finally {
      await restarted.stop();
    }
    expect(fake.writes).toEqual([callFileName(ids[3]!, 1)]);
    for (const id of ids.slice(0, 3)) {
      const c = await t.db.call.findUniqueOrThrow({ where: { id } });
      expect(describeOutcome({ state: c.state, kind: c.kind, reason: c.reason }).label).toBe(WORDS);
      expect(c.reason).toMatch(/\(264 h late\)$/);
    }
    await t.db.call.deleteMany({ where: { hostId: host.id } });
    await t.db.wakeUp.delete({ where: { id: booking.id } });
    await t.db.campaign.delete({ where: { id: camp.id } });
    await t.db.asteriskHost.delete({ where: { id: host.id } });
  });

  it("a campaign call released inside its calling window is not dialled after the window closed during an outage", async () => {
    const actor: AuditActor = { type: "system", id: null, name: "test" };
    const host = await t.db.asteriskHost.create({
      data: { name: "campaign-window", spoolDir: "/spool", soundsDir: "/sounds", maxConcurrent: 10, maxPerSecond: 10 },
    });
    const audio = await t.db.audioMessage.create({ data: { name: "Reminder", soundName: "spoolcast/reminder" } });
    await t.db.audioDelivery.create({ data: { audioId: audio.id, hostId: host.id, state: "synced", syncedAt: new Date() } });
    const group = await t.db.contactGroup.create({ data: { name: "Window callees" } });
    await t.db.contact.create({
      data: {
        name: "Carl",
        nameKey: "carl",
        timeZone: "UTC",
        phones: { create: [{ destination: "+15550000021", position: 0 }] },
        groups: { create: [{ groupId: group.id }] },
      },
    });
    // Monday 2026-11-23 16:50 UTC, ten minutes before a 09:00-17:00 window closes.
    const release = new Date("2026-11-23T16:50:00.000Z");
    const launch = async (windowEnd: string) => {
      const c = await createCampaign(
        t.db,
        {
          name: `Window to ${windowEnd}`,
          groupIds: [group.id],
          audioId: audio.id,
          hostId: host.id,
          windowStart: "09:00",
          windowEnd,
        },
        actor,
      );
      await startCampaign(t.db, { id: c.id }, actor, release);
      expect(await tickCampaign(t.db, c.id, release)).toBe(1);
      return (await t.db.call.findFirstOrThrow({ where: { campaignId: c.id } })).id;
    };
    const closesAt17 = await launch("17:00");
    const closesAt20 = await launch("20:00");
    const until = async (id: string) => (await t.db.call.findUniqueOrThrow({ where: { id } })).validUntil!.toISOString();
    // Valid until the window closes, or the 30 minutes past release when the window is longer.
    expect(await until(closesAt17)).toBe("2026-11-23T17:00:00.000Z");
    expect(await until(closesAt20)).toBe("2026-11-23T17:20:00.000Z");

    // Spoolcast was down from just after the release until 17:10: the window has closed.
    const clock = new Date("2026-11-23T17:10:00.000Z").getTime();
    const fake = createFakeTransport();
    const restarted = createEngine({
      db: t.db,
      provider,
      secret: "s".repeat(40),
      ivrPublicAddress: "127.0.0.1:2949",
      transportFor: () => fake,
      serialize: serializeCallFile,
      parse: parseCallFile,
      watch: false,
      workerId: "w5",
      now: () => clock,
    });
    try {
      await restarted.runOnce();
    } finally {
      await restarted.stop();
    }
    expect(fake.writes).toEqual([callFileName(closesAt20, 1)]);
    const missed = await t.db.call.findUniqueOrThrow({ where: { id: closesAt17 } });
    expect(describeOutcome({ state: missed.state, kind: missed.kind, reason: missed.reason }).label).toBe(WORDS);
  });

  it("after a 20-hour outage dials no stale wake-up, PA, campaign or click-to-call call, ends them missed, alerts the desk, and dials a call still in its window", async () => {
    // ── Before the outage: a PA launched now, a campaign call released, a click-to-call
    // started, a daily wake-up due in an hour (front desk 100).
    const before = new Date();
    const user = await t.db.user.create({
      data: { email: "op@example.org", name: "Olga", passwordHash: "x", role: "operator", deskEndpoint: "PJSIP/1001" },
    });
    const actor: AuditActor = { type: "user", id: user.id, name: user.name };
    const host = await t.db.asteriskHost.create({
      data: { name: "pbx", isDefault: true, spoolDir: "/spool", soundsDir: sounds, maxConcurrent: 10, maxPerSecond: 10 },
    });
    await t.db.setting.create({ data: { key: "defaultTimeZone", value: JSON.stringify(ZONE) } });
    const audio = await t.db.audioMessage.create({ data: { name: "Evacuate", soundName: "spoolcast/evacuate" } });
    await t.db.audioDelivery.create({ data: { audioId: audio.id, hostId: host.id, state: "synced", syncedAt: new Date() } });
    const staff = await t.db.contactGroup.create({ data: { name: "Staff" } });
    const alice = await t.db.contact.create({
      data: {
        name: "Alice",
        nameKey: "alice",
        phones: { create: [{ destination: "+15550000001", position: 0 }] },
        groups: { create: [{ groupId: staff.id }] },
      },
    });
    const pa = await launchPa(t.db, { groupIds: [staff.id], audioId: audio.id }, actor);
    const campaign = await createCampaign(t.db, { name: "Survey", groupIds: [staff.id], audioId: audio.id }, actor);
    await startCampaign(t.db, { id: campaign.id }, actor, before);
    expect(await tickCampaign(t.db, campaign.id, before)).toBe(1);
    const click = await startClickToCall(t.db, { contactId: alice.id, userId: user.id }, actor);
    const localTime = DateTime.fromJSDate(new Date(before.getTime() + HOUR), { zone: ZONE }).toFormat("HH:mm");
    const booking = await createWakeUp(
      t.db,
      { room: "101", guestName: "Ada", localTime, recurrence: "daily", escalateTo: "100" },
      actor,
      before,
    );
    const occ = await t.db.wakeUpOccurrence.findFirstOrThrow({ where: { wakeUpId: booking.id }, orderBy: { occursAt: "asc" } });
    const wakeCallId = occ.callId!;
    const paCallId = (await t.db.call.findFirstOrThrow({ where: { broadcastId: pa.broadcastId } })).id;
    const campaignCallId = (await t.db.call.findFirstOrThrow({ where: { campaignId: campaign.id } })).id;
    const clickCallId = click.callId;

    // ── Spoolcast is down for 20 hours past the wake-up's time; then it starts again.
    let clock = occ.occursAt.getTime() + 20 * HOUR;
    const restart = () => new Date(clock);
    // A wake-up due 5 minutes before the restart is still within its 15-minute tolerance.
    const [fresh] = await enqueueCalls(t.db, [
      { kind: "wakeup", destination: "102", channel: "PJSIP/102", scheduledAt: new Date(clock - 5 * MIN) },
    ]);
    const fake: FakeTransport = createFakeTransport();
    engine = createEngine({
      db: t.db,
      provider,
      secret: "s".repeat(40),
      ivrPublicAddress: "127.0.0.1:2949",
      transportFor: () => fake,
      serialize: serializeCallFile,
      parse: parseCallFile,
      watch: false,
      now: () => clock,
    });
    await engine.runOnce();

    // Only the call still within its window was dialled.
    expect(fake.writes).toEqual([callFileName(fresh!, 1)]);
    for (const id of [wakeCallId, paCallId, campaignCallId, clickCallId]) {
      const c = await t.db.call.findUniqueOrThrow({ where: { id } });
      expect(c).toMatchObject({ state: "missed", outcome: "missed", currentFile: null, fileSeq: 0 });
      expect(c.endedAt?.getTime()).toBe(clock);
      expect(c.reason).toMatch(/^not dialled: due .*, valid until .*, reached at .* \(\d+ h late\)$/);
      const words = describeOutcome({ state: c.state, kind: c.kind, reason: c.reason });
      expect(words).toMatchObject({ label: WORDS, group: "Not reached" });
      const timeline = (await getCallTimeline(id, { db: t.db })).events.map((e) => e.type);
      expect(timeline).toEqual(["queued", "missed"]);
    }
    // The results CSV says it in the same words, for every kind.
    let csv = "";
    for await (const chunk of exportCallsCsv(t.db, {})) csv += chunk;
    for (const id of [wakeCallId, paCallId, campaignCallId, clickCallId]) {
      // Every field is quoted: "id","kind","outcome",…
      const line = csv.split("\r\n").find((l) => l.startsWith(`"${id}",`));
      expect(line?.split('","')[2]).toBe(WORDS);
    }
    // A second pass writes nothing more.
    clock += 1000;
    await engine.runOnce();
    expect(fake.writes).toEqual([callFileName(fresh!, 1)]);

    // The PA board shows it in those words and counts it unreached (so "Re-call unreached" takes it).
    const board = await getPaBoard(t.db, pa.broadcastId, restart());
    const row = board.recipients.find((r) => r.callId === paCallId)!;
    expect(row).toMatchObject({ state: "missed", final: true });
    expect(board.counters).toMatchObject({ missed: 1, unreached: 1, reached: 0 });

    // The wake-up scheduler, running again, marks the occurrence missed (not called) and alerts the desk.
    await runWakeUpTick(t.db, restart(), { soundStoreDir: path.join(sounds, "audio") });
    const after = await t.db.wakeUpOccurrence.findUniqueOrThrow({ where: { id: occ.id } });
    expect(after).toMatchObject({ state: "escalated", outcome: "not-called" });
    const desk = await t.db.call.findFirstOrThrow({ where: { wakeUpId: booking.id, destination: "100" } });
    expect(desk.displayName).toBe("Front desk: room 101 was not called");
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "wakeup.missed", targetId: booking.id } });
    expect(audit.summary).toContain(
      `Room 101 was not called for the ${localTime} wake-up: Spoolcast was not running at the time`,
    );
    // The banner lists it although the wake-up was due more than 12 hours ago: it was found now.
    const alerts = await listWakeUpAlerts(t.db, restart());
    expect(alerts.map((a) => alertSentence(a))).toEqual([
      `Room 101 (Ada) was not called for the ${localTime} wake-up (${WORDS}) — front desk 100 was called.`,
    ]);
    const day = DateTime.fromJSDate(occ.occursAt, { zone: ZONE }).toFormat("yyyy-MM-dd");
    // The due time shown with it: the day too, as it was yesterday.
    expect(alerts.map((a) => [a.localDate, a.localTime])).toEqual([[day, localTime]]);
    const list = await listWakeUps(t.db, { from: day, to: day }, restart());
    const shown = list.calls.find((c) => c.occurrenceId === occ.id)!;
    expect(occurrenceBadge(shown).label).toBe("Front desk called");
    expect(occurrenceDetail(shown)).toEqual(["not called: Spoolcast was not running at the time"]);
    // A user acknowledges it: it leaves the banner (once), the audit log says who; the guest's
    // occurrence keeps what happened.
    await acknowledgeWakeUpAlert(t.db, { occurrenceId: occ.id }, actor, restart());
    expect(await listWakeUpAlerts(t.db, restart())).toEqual([]);
    expect(await t.db.wakeUpOccurrence.findUniqueOrThrow({ where: { id: occ.id } })).toMatchObject({
      state: "escalated",
      outcome: "not-called",
      alertAckBy: "Olga",
      alertAckAt: restart(),
    });
    expect(
      (await t.db.auditEvent.findFirstOrThrow({ where: { action: "wakeup.alert-acknowledged", targetId: booking.id } })).summary,
    ).toBe(`Alert for room 101 (${localTime} wake-up, escalated) acknowledged`);
    await expect(acknowledgeWakeUpAlert(t.db, { occurrenceId: occ.id }, actor)).rejects.toMatchObject({
      field: "occurrenceId",
      message: "Already acknowledged by Olga",
    });
    const next = await t.db.wakeUpOccurrence.findFirstOrThrow({ where: { wakeUpId: booking.id, state: "pending" } });
    await expect(acknowledgeWakeUpAlert(t.db, { occurrenceId: next.id }, actor)).rejects.toMatchObject({
      field: "occurrenceId",
      message: "This wake-up call has no alert to acknowledge",
    });
    await expect(acknowledgeWakeUpAlert(t.db, { occurrenceId: "" }, actor)).rejects.toMatchObject({ field: "occurrenceId" });
    // Without a front desk to call, the occurrence stays missed, and never reads "No answer".
    expect(occurrenceBadge({ state: "missed", outcome: "not-called" }).label).toBe(WORDS);
    expect(occurrenceBadge({ state: "missed", outcome: "no-answer" }).label).toBe("No answer");

    // Re-queued by a user, a missed call gets a new window and is dialled.
    await requeueCall(paCallId, { name: "Olga" }, { db: t.db, now: restart });
    clock += 1000;
    await engine.runOnce();
    expect(fake.writes).toContain(callFileName(paCallId, 1));
  }, 60_000);

  it("a call whose window passes while the engine runs (waiting behind maxConcurrent) is still dialled, never 'not running'", async () => {
    const host = await t.db.asteriskHost.create({
      data: { name: "busy", spoolDir: "/spool", soundsDir: "/sounds", maxConcurrent: 1, maxPerSecond: 10 },
    });
    let clock = Date.now();
    const fake = createFakeTransport();
    const busy = createEngine({
      db: t.db,
      provider,
      secret: "s".repeat(40),
      ivrPublicAddress: "127.0.0.1:2949",
      transportFor: () => fake,
      serialize: serializeCallFile,
      parse: parseCallFile,
      watch: false,
      workerId: "w3",
      now: () => clock,
    });
    try {
      const [first, second] = await enqueueCalls(t.db, [
        { kind: "click", hostId: host.id, destination: "+15550000004", channel: "PJSIP/1001", scheduledAt: new Date(clock) },
        { kind: "click", hostId: host.id, destination: "+15550000005", channel: "PJSIP/1002", scheduledAt: new Date(clock) },
      ]);
      await busy.runOnce();
      expect(fake.writes).toEqual([callFileName(first!, 1)]);
      // Five minutes later (past the second call's 2 minutes) the first file is gone: room for one.
      clock += 5 * MIN;
      fake.outgoing.delete(callFileName(first!, 1));
      await busy.runOnce();
      expect(fake.writes).toEqual([callFileName(first!, 1), callFileName(second!, 1)]);
      expect(await t.db.call.findUniqueOrThrow({ where: { id: second! } })).toMatchObject({ state: "spooled" });
    } finally {
      await busy.stop();
    }
  });

  it("recovery does not write late a claim that never became a file: it ends missed", async () => {
    const host = await t.db.asteriskHost.create({
      data: { name: "recovery", spoolDir: "/spool", soundsDir: "/sounds", maxConcurrent: 10, maxPerSecond: 10 },
    });
    const due = new Date(Date.now() - 21 * HOUR);
    const [id] = await enqueueCalls(t.db, [{ kind: "pa", hostId: host.id, destination: "+15550000003", scheduledAt: due }]);
    // A worker claimed it and died before writing the file; Spoolcast was then down for 20 hours.
    await t.db.call.update({ where: { id: id! }, data: { claimedBy: "dead-worker", claimedAt: due, fileSeq: 1 } });
    const fake = createFakeTransport();
    const clock = Date.now();
    const recovering = createEngine({
      db: t.db,
      provider,
      secret: "s".repeat(40),
      ivrPublicAddress: "127.0.0.1:2949",
      transportFor: () => fake,
      serialize: serializeCallFile,
      parse: parseCallFile,
      watch: false,
      workerId: "w2",
      now: () => clock,
    });
    try {
      await recovering.runOnce();
    } finally {
      await recovering.stop();
    }
    expect(fake.writes).toEqual([]);
    const c = await t.db.call.findUniqueOrThrow({ where: { id: id! } });
    expect(c).toMatchObject({ state: "missed", currentFile: null });
    expect(describeOutcome({ state: c.state, kind: c.kind, reason: c.reason }).label).toBe(WORDS);
  });
});
