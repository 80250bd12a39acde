/**
 * PA and click-to-call services on both providers: who gets called (dedupe, first number,
 * test groups), what the call files carry (PA caller ID and variables, click context), the
 * audit trail, stop-all, re-call unreached and the board's state mapping.
 */
import { afterEach, describe, expect, it } from "vitest";
import { parseCallFile } from "@/lib/callfile/parse";
import { serializeCallFile } from "@/lib/callfile/serialize";
import { createEngine } from "@/lib/engine/engine";
import { createFakeTransport, type FakeTransport } from "@/lib/engine/testing/fake-transport";
import { launchPa } from "@/lib/pa/launch-pa";
import { stopPa } from "@/lib/pa/stop-pa";
import { recallUnreached } from "@/lib/pa/recall-unreached";
import { getPaBoard } from "@/lib/pa/get-pa-board";
import { createPaTemplate, deletePaTemplate, listPaTemplates, updatePaTemplate } from "@/lib/pa/pa-templates";
import { getClickCallStatus, startClickToCall } from "@/lib/calls/click-to-call";
import type { AuditActor } from "@/lib/audit/record-audit";
import type { Db } from "@/lib/db";
import { createTestDb, PROVIDERS, type TestDb } from "./support/test-db";

const SECRET = "pa-secret-".padEnd(40, "x");
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
    data: {
      name: "pbx",
      isDefault: true,
      spoolDir: "/spool",
      soundsDir: "/sounds",
      paCallerId: '"PA" <911>',
      paVariables: "ALERT_INFO=emergency\n__AUTOANSWER=yes",
      waitTime: 25,
    },
  });
  const audio = await db.audioMessage.create({ data: { name: "Fire drill", soundName: "spoolcast/fire-drill" } });
  // On the host: a PA on a message the host lacks is refused (tests/pa-no-silent.test.ts).
  await db.audioDelivery.create({ data: { audioId: audio.id, hostId: host.id, state: "synced", syncedAt: new Date() } });
  const staff = await db.contactGroup.create({ data: { name: "Staff" } });
  const night = await db.contactGroup.create({ data: { name: "Night shift" } });
  const testers = await db.contactGroup.create({ data: { name: "PA testers", isTest: true } });
  const mk = async (name: string, phones: string[], groups: string[]) =>
    db.contact.create({
      data: {
        name,
        nameKey: name.toLowerCase(),
        phones: { create: phones.map((destination, position) => ({ destination, position })) },
        groups: { create: groups.map((groupId) => ({ groupId })) },
      },
    });
  const alice = await mk("Alice", ["+15550000001", "+15550000011"], [staff.id, night.id]);
  await mk("Bob", ["+15550000002"], [staff.id]);
  await mk("Bob's desk twin", ["+15550000002"], [night.id]);
  await mk("Carol", [], [staff.id]);
  await mk("Tess", ["+15550000009"], [testers.id]);
  await mk("Outsider", ["+15550000099"], []);
  return { user, actor, host, audio, staff, night, testers, alice };
}

describe.each(PROVIDERS)("PA services on %s", (provider) => {
  it("calls each unique first number of the chosen groups once, audits it, and spools PA files with the PA caller ID and variables", async () => {
    t = await createTestDb(provider);
    const s = await seed(t.db);
    const r = await launchPa(
      t.db,
      { groupIds: [s.staff.id, s.night.id], audioId: s.audio.id, requireAck: true, repeat: 2 },
      s.actor,
    );
    expect(r).toMatchObject({ recipients: 2, withoutNumber: 1, duplicates: 1 });
    const calls = await t.db.call.findMany({ where: { broadcastId: r.broadcastId }, orderBy: { destination: "asc" } });
    expect(calls.map((c) => [c.destination, c.displayName, c.kind, c.priority, c.maxRetries])).toEqual([
      ["+15550000001", "Alice", "pa", 0, 0],
      ["+15550000002", "Bob", "pa", 0, 0],
    ]);
    expect(JSON.parse(calls[0]!.scriptJson)).toMatchObject({ kind: "message", requireAck: true, repeat: 2 });
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "pa.launch" } });
    expect(audit).toMatchObject({ actorName: "Olga Operator", targetId: r.broadcastId });
    expect(audit.summary).toContain('PA "Fire drill" to groups Staff, Night shift: 2 phones');
    expect(audit.summary).toContain("1 contact without a number");

    const fake: FakeTransport = createFakeTransport();
    const engine = createEngine({
      db: t.db,
      provider,
      secret: SECRET,
      ivrPublicAddress: "127.0.0.1:2949",
      transportFor: () => fake,
      serialize: serializeCallFile,
      parse: parseCallFile,
      watch: false,
    });
    await engine.runOnce();
    await engine.stop();
    expect(fake.outgoing.size).toBe(2);
    for (const [, file] of fake.outgoing) {
      const text = file.content;
      expect(text).toContain('CallerID: "PA" <911>\n');
      expect(text).toContain("Set: ALERT_INFO=emergency\n");
      expect(text).toContain("Set: __AUTOANSWER=yes\n");
      expect(text).toContain("WaitTime: 25\n");
      expect(text).toContain("MaxRetries: 0\n");
    }
  });

  it("refuses a test PA to a group that is not a test group, and one to nobody", async () => {
    t = await createTestDb(provider);
    const s = await seed(t.db);
    await expect(launchPa(t.db, { groupIds: [s.staff.id], audioId: s.audio.id, isTest: true }, s.actor)).rejects.toMatchObject({
      field: "groupIds",
      message: expect.stringContaining("not a test group: Staff"),
    });
    await expect(launchPa(t.db, { everyone: true, audioId: s.audio.id, isTest: true }, s.actor)).rejects.toMatchObject({
      field: "everyone",
    });
    await expect(launchPa(t.db, { groupIds: [s.staff.id] }, s.actor)).rejects.toMatchObject({ field: "message" });
    const empty = await t.db.contactGroup.create({ data: { name: "Empty" } });
    await expect(launchPa(t.db, { groupIds: [empty.id], audioId: s.audio.id }, s.actor)).rejects.toMatchObject({
      field: "groupIds",
    });
    expect(await t.db.paBroadcast.count()).toBe(0);
    const ok = await launchPa(t.db, { groupIds: [s.testers.id], audioId: s.audio.id, isTest: true }, s.actor);
    expect(ok.recipients).toBe(1);
    expect((await t.db.paBroadcast.findUniqueOrThrow({ where: { id: ok.broadcastId } })).isTest).toBe(true);
    const everyone = await launchPa(t.db, { everyone: true, audioId: s.audio.id }, s.actor);
    expect(everyone.recipients).toBe(4); // Alice, Bob (twin deduped), Tess, Outsider
  });

  it("a launch repeated with its launch key (a retry after a lost answer) dials nobody twice, also when the two race", async () => {
    t = await createTestDb(provider);
    const s = await seed(t.db);
    const key = "0b3c4f9e-8a51-4d2e-9c7b-5e1f2a3b4c5d";
    const input = { everyone: true, audioId: s.audio.id };
    const first = await launchPa(t.db, input, s.actor, { launchKey: key });
    expect(first.replayed).toBeUndefined();
    const again = await launchPa(t.db, input, s.actor, { launchKey: key });
    expect(again).toMatchObject({ broadcastId: first.broadcastId, recipients: first.recipients, replayed: true });
    expect(await t.db.paBroadcast.count()).toBe(1);
    expect(await t.db.call.count()).toBe(first.recipients);
    expect(await t.db.auditEvent.count({ where: { action: "pa.launch" } })).toBe(1);

    // Two requests with one new key at once: one PA, and both answers name it.
    const racing = "7d2a9c41-3e6b-4f80-a1d5-c9e8b7a6f504";
    const [a, b] = await Promise.all([
      launchPa(t.db, input, s.actor, { launchKey: racing }),
      launchPa(t.db, input, s.actor, { launchKey: racing }),
    ]);
    expect(a.broadcastId).toBe(b.broadcastId);
    expect(await t.db.paBroadcast.count()).toBe(2);
    expect(await t.db.call.count()).toBe(first.recipients * 2);

    // Without a key (the REST API uses its Idempotency-Key instead) every launch is a new PA.
    await launchPa(t.db, input, s.actor);
    expect(await t.db.paBroadcast.count()).toBe(3);
  });

  it("stops what has not started, shows the board, and re-calls only the unreached", async () => {
    t = await createTestDb(provider);
    const s = await seed(t.db);
    const { broadcastId } = await launchPa(t.db, { everyone: true, audioId: s.audio.id, requireAck: true }, s.actor);
    const calls = await t.db.call.findMany({ where: { broadcastId }, orderBy: { destination: "asc" } });
    // Play the engine's part for three of the four: acknowledged, busy, dialling.
    await t.db.call.update({ where: { id: calls[0]!.id }, data: { state: "acknowledged", heardMs: 4000, endedAt: new Date() } });
    await t.db.call.update({ where: { id: calls[1]!.id }, data: { state: "busy", reason: "busy", endedAt: new Date() } });
    await t.db.call.update({ where: { id: calls[2]!.id }, data: { state: "dialling", claimedBy: "w", currentFile: "x.call" } });

    let board = await getPaBoard(t.db, broadcastId);
    expect(board.counters).toMatchObject({
      total: 4,
      acknowledged: 1,
      busy: 1,
      ringing: 1,
      queued: 1,
      active: 2,
      reached: 1,
      unreached: 1,
    });
    expect(board.done).toBe(false);

    const stop = await stopPa(t.db, { broadcastId }, s.actor, { transportFor: async () => createFakeTransport() });
    expect(stop).toMatchObject({ cancelled: 1, alreadyDialling: 1 });
    board = await getPaBoard(t.db, broadcastId);
    expect(board.counters).toMatchObject({ cancelled: 1, ringing: 1, queued: 0 });
    expect(board.broadcast.state).toBe("stopped");
    expect(await t.db.auditEvent.count({ where: { action: "pa.stop", targetId: broadcastId } })).toBe(1);

    const follow = await recallUnreached(t.db, { broadcastId }, s.actor);
    expect(follow.recipients).toBe(2); // busy + cancelled; the acknowledged and the ringing one are not re-called
    const again = await t.db.call.findMany({ where: { broadcastId: follow.broadcastId }, orderBy: { destination: "asc" } });
    expect(again.map((c) => c.destination)).toEqual([calls[1]!.destination, calls[3]!.destination]);
    expect((await t.db.paBroadcast.findUniqueOrThrow({ where: { id: follow.broadcastId } })).parentId).toBe(broadcastId);
    expect((await getPaBoard(t.db, broadcastId)).followUps).toEqual([follow.broadcastId]);
  });

  it("manages templates, and a PA from a template takes its message and options", async () => {
    t = await createTestDb(provider);
    const s = await seed(t.db);
    const { id } = await createPaTemplate(t.db, { name: "Fire", audioId: s.audio.id, requireAck: false, repeat: 3 }, s.actor);
    await expect(createPaTemplate(t.db, { name: "Fire", audioId: s.audio.id }, s.actor)).rejects.toMatchObject({ field: "name" });
    await expect(createPaTemplate(t.db, { name: "Flood", audioId: "nope" }, s.actor)).rejects.toMatchObject({ field: "audioId" });
    await expect(createPaTemplate(t.db, { name: "Bad", audioId: s.audio.id, repeat: 9 }, s.actor)).rejects.toMatchObject({
      field: "repeat",
    });
    const pa = await launchPa(t.db, { groupIds: [s.staff.id], templateId: id }, s.actor);
    const b = await t.db.paBroadcast.findUniqueOrThrow({ where: { id: pa.broadcastId } });
    expect(b).toMatchObject({ templateId: id, audioId: s.audio.id, requireAck: false, repeat: 3 });
    await updatePaTemplate(t.db, { id, name: "Fire alarm", audioId: s.audio.id, requireAck: true, repeat: 1 }, s.actor);
    expect((await listPaTemplates(t.db)).map((x) => [x.name, x.requireAck, x.broadcasts])).toEqual([["Fire alarm", true, 1]]);
    await deletePaTemplate(t.db, { id }, s.actor);
    expect(await t.db.paTemplate.count()).toBe(0);
    expect((await t.db.paBroadcast.findUniqueOrThrow({ where: { id: pa.broadcastId } })).templateId).toBeNull();
    expect(await t.db.auditEvent.count({ where: { action: { startsWith: "pa.template." } } })).toBe(3);
  });

  it("click-to-call rings the user's desk phone, then the contact through the outbound context", async () => {
    t = await createTestDb(provider);
    const s = await seed(t.db);
    await expect(startClickToCall(t.db, { contactId: s.alice.id, userId: s.user.id }, s.actor)).rejects.toMatchObject({
      field: "deskEndpoint",
    });
    await t.db.user.update({ where: { id: s.user.id }, data: { deskEndpoint: "PJSIP/1001" } });
    await expect(
      startClickToCall(t.db, { contactId: s.alice.id, userId: s.user.id, number: "+15550000002" }, s.actor),
    ).rejects.toMatchObject({
      field: "number",
    });
    const r = await startClickToCall(t.db, { contactId: s.alice.id, userId: s.user.id, number: "+15550000011" }, s.actor);
    expect(r).toMatchObject({ deskEndpoint: "PJSIP/1001", number: "+15550000011", name: "Alice" });
    expect((await getClickCallStatus(t.db, r.callId)).text).toBe("Calling your phone…");
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "call.click" } });
    expect(audit.summary).toBe("click-to-call Alice at +15550000011 from PJSIP/1001");

    const fake = createFakeTransport();
    const engine = createEngine({
      db: t.db,
      provider,
      secret: SECRET,
      ivrPublicAddress: "127.0.0.1:2949",
      transportFor: () => fake,
      serialize: serializeCallFile,
      parse: parseCallFile,
      watch: false,
    });
    await engine.runOnce();
    await engine.stop();
    const [file] = [...fake.outgoing.values()];
    expect(file!.content).toContain("Channel: PJSIP/1001\n");
    expect(file!.content).toContain("Context: from-internal\n");
    expect(file!.content).toContain("Extension: +15550000011\n");
    expect(file!.content).toContain('CallerID: "Spoolcast" <1000>\n');
    // Direct IVR mode: nothing shows the desk answer until the file is archived, and the toast says so.
    expect((await getClickCallStatus(t.db, r.callId)).text).toBe(
      "Ringing your phone… (in direct IVR mode Spoolcast sees the call again only when it ends)",
    );
    await t.db.call.update({ where: { id: r.callId }, data: { state: "busy", reason: "busy" } });
    expect(await getClickCallStatus(t.db, r.callId)).toMatchObject({
      phase: "failed",
      final: true,
      text: "Your phone is busy: busy",
    });
  });
});
