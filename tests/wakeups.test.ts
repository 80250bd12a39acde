/**
 * Wake-up services and scheduler against a real database: booking, materialising idempotently,
 * calls at the right instant, snooze, confirm, miss → escalation, edit, cancel, report. The
 * engine is not running here: call outcomes are written to the Call rows as the engine would.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PROVIDERS, createTestDb, type TestDb } from "@/tests/support/test-db";
import { ensureDefaultHost } from "@/lib/engine/default-host";
import { createWakeUp } from "@/lib/wakeups/create-wakeup";
import { updateWakeUp } from "@/lib/wakeups/update-wakeup";
import { cancelWakeUp } from "@/lib/wakeups/cancel-wakeup";
import { getWakeUpReport, listWakeUpAlerts, listWakeUps } from "@/lib/wakeups/list-wakeups";
import { runWakeUpTick } from "@/lib/wakeups/wakeup-scheduler";
import { alertSentence, OCCURRENCE_LABELS } from "@/lib/wakeups/wakeup-words";
import { resetEnvForTests } from "@/lib/env";
import { UserError } from "@/lib/errors";
import type { AuditActor } from "@/lib/audit/record-audit";

const actor: AuditActor = { type: "user", id: null, name: "desk" };

/** The field a rejected booking names, or "accepted". */
function bookingError(t: TestDb, input: Record<string, unknown>): Promise<string | undefined> {
  return createWakeUp(t.db, { room: "101", localTime: "07:00", ...input } as never, actor, new Date("2026-07-01T10:00:00Z")).then(
    () => "accepted",
    (e: unknown) => (e instanceof UserError ? e.field : String(e)),
  );
}

describe.each(PROVIDERS)("wake-ups on %s", (provider) => {
  let t: TestDb;
  let sounds: string;
  beforeAll(async () => {
    t = await createTestDb(provider);
    sounds = mkdtempSync(path.join(os.tmpdir(), "spoolcast-wakeup-sounds-"));
    await ensureDefaultHost(t.db, { spoolDir: path.join(sounds, "spool"), soundsDir: sounds });
    await t.db.setting.create({ data: { key: "defaultTimeZone", value: JSON.stringify("Europe/Berlin") } });
    // create/update read the scheduler options from the environment (schedulerOptionsFromEnv).
    Object.assign(process.env, {
      ASTERISK_SOUNDS_DIR: sounds,
      SPOOLCAST_DATA_DIR: sounds,
      SPOOLCAST_SECRET: "wake-up-test-secret-0123456789abcdef",
    });
    resetEnvForTests();
  }, 60_000);
  afterAll(async () => {
    for (const k of ["ASTERISK_SOUNDS_DIR", "SPOOLCAST_DATA_DIR", "SPOOLCAST_SECRET"]) Reflect.deleteProperty(process.env, k);
    resetEnvForTests();
    await t.drop();
    rmSync(sounds, { recursive: true, force: true });
  });

  // Greetings are generated into the sound store and delivered to the default host's sounds root (`sounds`).
  const opts = () => ({ soundStoreDir: path.join(sounds, "audio") });
  const finishCall = (id: string, data: { state: string; ackDigit?: string; reason?: string }) =>
    t.db.call.update({ where: { id }, data: { ...data, outcome: data.state, endedAt: new Date() } });

  it("books a daily wake-up in the site zone, calls it at 07:00 Berlin, idempotently", async () => {
    const now = new Date("2026-03-28T12:00:00Z");
    const w = await createWakeUp(t.db, { room: "101", guestName: "Ada", localTime: "07:00", recurrence: "daily" }, actor, now);
    expect(w).toMatchObject({ timeZone: "Europe/Berlin", destination: "101", startDate: "2026-03-29", recurrence: "daily" });
    const occ = await t.db.wakeUpOccurrence.findMany({ where: { wakeUpId: w.id }, orderBy: { occursAt: "asc" } });
    // 48 h horizon: the 29th (CEST from that night) and the 30th.
    expect(occ.map((o) => o.occursAt.toISOString())).toEqual(["2026-03-29T05:00:00.000Z", "2026-03-30T05:00:00.000Z"]);
    const call = await t.db.call.findUniqueOrThrow({ where: { id: occ[0]!.callId! } });
    expect(call).toMatchObject({ kind: "wakeup", destination: "101", channel: "PJSIP/101", maxRetries: 2, wakeUpId: w.id });
    expect(call.scheduledAt.toISOString()).toBe("2026-03-29T05:00:00.000Z");
    const script = JSON.parse(call.scriptJson);
    expect(script).toMatchObject({ kind: "wakeup", allowSnooze: true, message: "spoolcast/wakeup/greeting-0700" });
    expect(existsSync(path.join(sounds, "spoolcast/wakeup/greeting-0700.wav"))).toBe(true);
    // A second tick (and a third) adds nothing.
    expect(await runWakeUpTick(t.db, now, opts())).toMatchObject({ materialized: 0, called: 0 });
    expect(await t.db.call.count({ where: { wakeUpId: w.id } })).toBe(2);
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "wakeup.create", targetId: w.id } });
    expect(audit.summary).toContain("Room 101 (Ada)");
    // Out of the way of the later tests, which tick at other dates.
    await cancelWakeUp(t.db, { id: w.id }, actor);
  });

  it("snoozes on 5, then confirms on 1; the last call offers no snooze", async () => {
    const now = new Date("2026-05-01T06:59:30Z");
    const w = await createWakeUp(
      t.db,
      { room: "202", localTime: "09:00", timeZone: "Europe/Berlin", startDate: "2026-05-01", snoozeMinutes: 5, maxSnoozes: 1 },
      actor,
      now,
    );
    const [occ] = await t.db.wakeUpOccurrence.findMany({ where: { wakeUpId: w.id } });
    expect(occ!.occursAt.toISOString()).toBe("2026-05-01T07:00:00.000Z");
    await finishCall(occ!.callId!, { state: "acknowledged", ackDigit: "5" });
    const at = new Date("2026-05-01T07:00:40Z");
    await runWakeUpTick(t.db, at, opts());
    const snoozed = await t.db.wakeUpOccurrence.findUniqueOrThrow({ where: { id: occ!.id } });
    expect(snoozed).toMatchObject({ state: "snoozed", snoozes: 1 });
    expect(snoozed.callId).not.toBe(occ!.callId);
    const second = await t.db.call.findUniqueOrThrow({ where: { id: snoozed.callId! } });
    expect(second.scheduledAt.toISOString()).toBe("2026-05-01T07:05:40.000Z");
    expect(JSON.parse(second.scriptJson)).toMatchObject({ allowSnooze: false });
    await finishCall(second.id, { state: "acknowledged", ackDigit: "1" });
    await runWakeUpTick(t.db, new Date("2026-05-01T07:06:00Z"), opts());
    expect(await t.db.wakeUpOccurrence.findUniqueOrThrow({ where: { id: occ!.id } })).toMatchObject({
      state: "confirmed",
      outcome: "confirmed",
      snoozes: 1,
    });
  });

  it("a miss after the retries alerts the dashboard and calls the front desk", async () => {
    const now = new Date("2026-06-10T04:00:00Z");
    const w = await createWakeUp(
      t.db,
      {
        room: "Suite 4B",
        destination: "PJSIP/304",
        localTime: "06:30",
        timeZone: "Europe/Berlin",
        startDate: "2026-06-10",
        retries: 3,
        escalateTo: "100",
      },
      actor,
      now,
    );
    const [occ] = await t.db.wakeUpOccurrence.findMany({ where: { wakeUpId: w.id } });
    const call = await t.db.call.findUniqueOrThrow({ where: { id: occ!.callId! } });
    expect(call).toMatchObject({ channel: "PJSIP/304", maxRetries: 3 });
    await t.db.call.update({ where: { id: call.id }, data: { state: "dialling" } });
    await runWakeUpTick(t.db, new Date("2026-06-10T04:30:10Z"), opts());
    expect((await t.db.wakeUpOccurrence.findUniqueOrThrow({ where: { id: occ!.id } })).state).toBe("calling");
    await finishCall(call.id, { state: "no-answer", reason: "no answer after 4 attempts" });
    await runWakeUpTick(t.db, new Date("2026-06-10T04:40:00Z"), opts());
    expect((await t.db.wakeUpOccurrence.findUniqueOrThrow({ where: { id: occ!.id } })).state).toBe("escalated");
    const desk = await t.db.call.findFirstOrThrow({ where: { wakeUpId: w.id, destination: "100" } });
    expect(desk).toMatchObject({ kind: "wakeup", channel: "PJSIP/100", displayName: "Front desk: room Suite 4B did not answer" });
    expect(JSON.parse(desk.scriptJson)).toMatchObject({ kind: "message", requireAck: true });
    expect(existsSync(path.join(sounds, `${JSON.parse(desk.scriptJson).message}.wav`))).toBe(true);
    const alerts = await listWakeUpAlerts(t.db, new Date("2026-06-10T05:00:00Z"));
    expect(alerts).toEqual([
      expect.objectContaining({ room: "Suite 4B", localTime: "06:30", state: "escalated", escalateTo: "100" }),
    ]);
    // Another tick does not call the desk twice.
    await runWakeUpTick(t.db, new Date("2026-06-10T04:41:00Z"), opts());
    expect(await t.db.call.count({ where: { wakeUpId: w.id, destination: "100" } })).toBe(1);
    expect(await t.db.auditEvent.count({ where: { action: "wakeup.missed", targetId: w.id } })).toBe(1);
  });

  it("answered and hung up is 'answered, not confirmed': called again after the retry interval, then the desk", async () => {
    const now = new Date("2026-09-01T05:00:00Z");
    const w = await createWakeUp(
      t.db,
      {
        room: "510",
        guestName: "Ida",
        localTime: "07:30",
        timeZone: "UTC",
        startDate: "2026-09-01",
        retries: 1,
        escalateTo: "100",
      },
      actor,
      now,
    );
    const [occ] = await t.db.wakeUpOccurrence.findMany({ where: { wakeUpId: w.id } });
    const first = occ!.callId!;
    // Asterisk archived Completed: the guest's phone answered; no key was pressed.
    await finishCall(first, { state: "completed", reason: "answered" });
    await runWakeUpTick(t.db, new Date("2026-09-01T07:31:00Z"), opts());
    const retrying = await t.db.wakeUpOccurrence.findUniqueOrThrow({ where: { id: occ!.id } });
    expect(retrying).toMatchObject({ state: "retrying", retries: 1, outcome: "answered-not-confirmed" });
    // Not escalated yet: no desk call, no alert.
    expect(await t.db.call.count({ where: { wakeUpId: w.id, destination: "100" } })).toBe(0);
    expect(await listWakeUpAlerts(t.db, new Date("2026-09-01T07:32:00Z"))).toEqual([]);
    const again = await t.db.call.findUniqueOrThrow({ where: { id: retrying.callId! } });
    expect(again.id).not.toBe(first);
    expect(again.scheduledAt.toISOString()).toBe("2026-09-01T07:33:00.000Z");
    // What is left of the configured retries: none, since this call is the retry.
    expect(again).toMatchObject({ maxRetries: 0, destination: "510" });
    const listed = (await listWakeUps(t.db, { from: "2026-09-01", to: "2026-09-01" })).calls.find((c) => c.room === "510");
    expect(listed).toMatchObject({ state: "retrying", outcome: "answered-not-confirmed", retries: 1, maxRetries: 1 });

    // Answered again with no key: out of retries, so the front desk is called, saying why.
    await finishCall(again.id, { state: "not-acknowledged" });
    await runWakeUpTick(t.db, new Date("2026-09-01T07:34:00Z"), opts());
    expect(await t.db.wakeUpOccurrence.findUniqueOrThrow({ where: { id: occ!.id } })).toMatchObject({
      state: "escalated",
      outcome: "answered-not-confirmed",
    });
    const desk = await t.db.call.findFirstOrThrow({ where: { wakeUpId: w.id, destination: "100" } });
    expect(desk.displayName).toBe("Front desk: room 510 did not confirm");
    const [alert] = await listWakeUpAlerts(t.db, new Date("2026-09-01T07:40:00Z"));
    expect(alert).toMatchObject({ room: "510", state: "escalated", outcome: "answered-not-confirmed" });
    expect(alertSentence(alert!)).toBe(
      "Room 510 (Ida) answered the 07:30 wake-up but did not confirm being awake — front desk 100 was called.",
    );
    expect(await t.db.auditEvent.count({ where: { action: "wakeup.unconfirmed", targetId: w.id } })).toBe(1);
    expect(await t.db.auditEvent.count({ where: { action: "wakeup.missed", targetId: w.id } })).toBe(0);
  });

  it("a snooze is 'Snoozed', and the snooze call answered without a key is called again, not 'missed'", async () => {
    const now = new Date("2026-09-02T05:00:00Z");
    const w = await createWakeUp(
      t.db,
      { room: "511", localTime: "06:00", timeZone: "UTC", startDate: "2026-09-02", snoozeMinutes: 9, maxSnoozes: 2, retries: 1 },
      actor,
      now,
    );
    const [occ] = await t.db.wakeUpOccurrence.findMany({ where: { wakeUpId: w.id } });
    await finishCall(occ!.callId!, { state: "acknowledged", ackDigit: "5", reason: "acknowledged with 5" });
    await runWakeUpTick(t.db, new Date("2026-09-02T06:00:30Z"), opts());
    const snoozed = await t.db.wakeUpOccurrence.findUniqueOrThrow({ where: { id: occ!.id } });
    expect(snoozed).toMatchObject({ state: "snoozed", outcome: "snoozed", snoozes: 1 });
    const listed = (await listWakeUps(t.db, { from: "2026-09-02", to: "2026-09-02" })).calls.find((c) => c.room === "511")!;
    expect(OCCURRENCE_LABELS[listed.state].label).toBe("Snoozed");

    await finishCall(snoozed.callId!, { state: "not-acknowledged" });
    await runWakeUpTick(t.db, new Date("2026-09-02T06:10:00Z"), opts());
    const after = await t.db.wakeUpOccurrence.findUniqueOrThrow({ where: { id: occ!.id } });
    expect(after).toMatchObject({ state: "retrying", outcome: "answered-not-confirmed", snoozes: 1, retries: 1 });
    // The retry call still offers a snooze (1 of 2 used).
    expect(JSON.parse((await t.db.call.findUniqueOrThrow({ where: { id: after.callId! } })).scriptJson)).toMatchObject({
      allowSnooze: true,
    });
    // Answered and hung up again, no desk configured: "Answered, not confirmed", an alert, never "missed".
    await finishCall(after.callId!, { state: "completed" });
    await runWakeUpTick(t.db, new Date("2026-09-02T06:13:00Z"), opts());
    expect((await t.db.wakeUpOccurrence.findUniqueOrThrow({ where: { id: occ!.id } })).state).toBe("unconfirmed");
    const [alert] = await listWakeUpAlerts(t.db, new Date("2026-09-02T06:20:00Z"));
    expect(alertSentence(alert!)).toBe(
      "Room 511 answered the 06:00 wake-up but did not confirm being awake — please check on the guest.",
    );
    const day = (await getWakeUpReport(t.db, { days: 1 }, new Date("2026-09-02T12:00:00Z"))).at(-1)!;
    expect(day).toMatchObject({ total: 1, snoozed: 1, unconfirmed: 1, missed: 0, escalated: 0 });
  });

  it("no answer after Asterisk's retries is 'No answer' without a second round of calls", async () => {
    const now = new Date("2026-09-03T05:00:00Z");
    const w = await createWakeUp(
      t.db,
      { room: "512", localTime: "06:00", timeZone: "UTC", startDate: "2026-09-03", retries: 2 },
      actor,
      now,
    );
    const [occ] = await t.db.wakeUpOccurrence.findMany({ where: { wakeUpId: w.id } });
    expect((await t.db.call.findUniqueOrThrow({ where: { id: occ!.callId! } })).maxRetries).toBe(2);
    await finishCall(occ!.callId!, { state: "no-answer", reason: "no answer after 3 attempts" });
    await runWakeUpTick(t.db, new Date("2026-09-03T06:10:00Z"), opts());
    const missed = await t.db.wakeUpOccurrence.findUniqueOrThrow({ where: { id: occ!.id } });
    expect(missed).toMatchObject({ state: "missed", outcome: "no-answer", retries: 0 });
    expect(OCCURRENCE_LABELS.missed.label).toBe("No answer");
    expect(await t.db.call.count({ where: { wakeUpId: w.id } })).toBe(1);
    const [alert] = await listWakeUpAlerts(t.db, new Date("2026-09-03T06:20:00Z"));
    expect(alertSentence(alert!)).toBe("Room 512 did not answer the 06:00 wake-up — please check on the guest.");
  });

  it("edits move the pending call; cancel one occurrence or the series", async () => {
    const now = new Date("2026-07-01T10:00:00Z");
    const w = await createWakeUp(
      t.db,
      { room: "305", localTime: "07:00", recurrence: "weekdays", startDate: "2026-07-02", timeZone: "UTC" },
      actor,
      now,
    );
    const before = await t.db.wakeUpOccurrence.findMany({ where: { wakeUpId: w.id }, orderBy: { occursAt: "asc" } });
    expect(before.map((o) => o.occursAt.toISOString())).toEqual(["2026-07-02T07:00:00.000Z", "2026-07-03T07:00:00.000Z"]);
    await updateWakeUp(
      t.db,
      { id: w.id, room: "305", localTime: "07:15", recurrence: "weekdays", startDate: "2026-07-02", timeZone: "UTC" },
      actor,
      now,
    );
    const oldCall = await t.db.call.findUniqueOrThrow({ where: { id: before[0]!.callId! } });
    expect(oldCall.state).toBe("cancelled");
    const after = await t.db.wakeUpOccurrence.findMany({ where: { wakeUpId: w.id }, orderBy: { occursAt: "asc" } });
    expect(after.map((o) => o.occursAt.toISOString())).toEqual(["2026-07-02T07:15:00.000Z", "2026-07-03T07:15:00.000Z"]);

    await cancelWakeUp(t.db, { id: w.id, occurrenceId: after[0]!.id }, actor);
    expect((await t.db.wakeUpOccurrence.findUniqueOrThrow({ where: { id: after[0]!.id } })).state).toBe("cancelled");
    // A tick must not bring the cancelled occurrence back.
    await runWakeUpTick(t.db, now, opts());
    expect(await t.db.wakeUpOccurrence.count({ where: { wakeUpId: w.id, state: "pending" } })).toBe(1);

    const r = await cancelWakeUp(t.db, { id: w.id }, actor);
    expect(r).toMatchObject({ scope: "series", cancelled: 1 });
    expect(await t.db.call.count({ where: { wakeUpId: w.id, state: { not: "cancelled" } } })).toBe(0);
    await runWakeUpTick(t.db, new Date("2026-07-03T10:00:00Z"), opts());
    expect(await t.db.wakeUpOccurrence.count({ where: { wakeUpId: w.id, state: { in: ["pending", "claimed"] } } })).toBe(0);
    expect(await t.db.auditEvent.count({ where: { targetId: w.id, action: { in: ["wakeup.update", "wakeup.cancel"] } } })).toBe(
      3,
    );
  });

  it("rejects bad input naming the field", async () => {
    expect(await bookingError(t, { room: "Suite 4B" })).toBe("destination");
    expect(await bookingError(t, { room: "101\n" })).toBe("room");
    expect(await bookingError(t, { localTime: "25:00" })).toBe("localTime");
    expect(await bookingError(t, { destination: "PJSIP/1&2" })).toBe("destination");
    expect(await bookingError(t, { recurrence: "custom", customRrule: "FREQ=HOURLY" })).toBe("customRrule");
    expect(await bookingError(t, { timeZone: "Mars/Base" })).toBe("timeZone");
    expect(await bookingError(t, { startDate: "2026-06-01" })).toBe("localTime");
    expect(await bookingError(t, { escalateTo: "front desk" })).toBe("escalateTo");
  });

  it("a one-off booking ends once it has rung and leaves the list of bookings", async () => {
    const w = await createWakeUp(
      t.db,
      { room: "406", localTime: "08:00", timeZone: "UTC", startDate: "2026-08-01" },
      actor,
      new Date("2026-08-01T07:00:00Z"),
    );
    await runWakeUpTick(t.db, new Date("2026-08-01T07:59:00Z"), opts());
    expect((await t.db.wakeUp.findUniqueOrThrow({ where: { id: w.id } })).state).toBe("active");
    await runWakeUpTick(t.db, new Date("2026-08-01T08:03:00Z"), opts());
    expect((await t.db.wakeUp.findUniqueOrThrow({ where: { id: w.id } })).state).toBe("ended");
    const list = await listWakeUps(t.db, { from: "2026-08-01", to: "2026-08-01" }, new Date("2026-08-01T09:00:00Z"));
    expect(list.series.some((s) => s.id === w.id)).toBe(false);
    expect(list.calls.some((c) => c.wakeUpId === w.id)).toBe(true);
  });

  it("lists today's and tomorrow's calls and reports per day", async () => {
    const list = await listWakeUps(t.db, { from: "2026-06-10", to: "2026-06-10" }, new Date("2026-06-10T12:00:00Z"));
    expect(list.siteTimeZone).toBe("Europe/Berlin");
    expect(list.calls).toEqual([expect.objectContaining({ room: "Suite 4B", localTime: "06:30", state: "escalated" })]);
    const report = await getWakeUpReport(t.db, { days: 3 }, new Date("2026-06-11T12:00:00Z"));
    expect(report.find((d) => d.date === "2026-06-10")).toMatchObject({ total: 1, escalated: 1, confirmed: 0 });
    const may = await getWakeUpReport(t.db, { days: 1 }, new Date("2026-05-01T20:00:00Z"));
    expect(may[0]).toMatchObject({ date: "2026-05-01", confirmed: 1, snoozed: 1 });
  });
});
