/**
 * No silent PA: a PA (and its re-call), PA template or campaign whose message is not on the Asterisk host the
 * calls go to is refused before anything is queued, naming the message, the host and the
 * field (services and the REST API); an emergency PA may instead speak the message's text by
 * text-to-speech, and the board says why.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditActor } from "@/lib/audit/record-audit";
import { runEndpoint } from "@/lib/api/endpoint";
import { launchPaEndpoint } from "@/lib/api/endpoints/pa";
import { API_SCOPES } from "@/lib/api/scopes";
import { createApiToken } from "@/lib/api/tokens";
import { MessageNotDeliveredError, undeliveredNotes } from "@/lib/audio/delivery-check";
import { masterPath } from "@/lib/audio/store";
import { createCampaign } from "@/lib/campaigns/create-campaign";
import { startCampaign } from "@/lib/campaigns/start-campaign";
import type { Db } from "@/lib/db";
import { getPaBoard } from "@/lib/pa/get-pa-board";
import { launchPa } from "@/lib/pa/launch-pa";
import { recallUnreached } from "@/lib/pa/recall-unreached";
import { createPaTemplate, updatePaTemplate } from "@/lib/pa/pa-templates";
import { useTempDataDir } from "./support/audio-fixtures";
import { createTestDb, type TestDb } from "./support/test-db";

let t: TestDb | undefined;
let data: ReturnType<typeof useTempDataDir> | undefined;
let root: string | undefined;

beforeEach(() => {
  data = useTempDataDir();
  root = mkdtempSync(path.join(os.tmpdir(), "spoolcast-no-silent-"));
});
afterEach(async () => {
  await t?.drop();
  data?.cleanup();
  if (root) rmSync(root, { recursive: true, force: true });
  t = data = root = undefined;
});

async function seed(db: Db) {
  const user = await db.user.create({ data: { email: "op@example.org", name: "Olga", passwordHash: "x", role: "operator" } });
  const actor: AuditActor = { type: "user", id: user.id, name: user.name };
  const soundsDir = path.join(root!, "sounds");
  const host = await db.asteriskHost.create({
    data: { name: "Front PBX", isDefault: true, transport: "local", spoolDir: path.join(root!, "spool"), soundsDir },
  });
  const other = await db.asteriskHost.create({
    data: { name: "Annex PBX", transport: "local", spoolDir: path.join(root!, "spool2"), soundsDir: path.join(root!, "s2") },
  });
  // A spoken message never copied to the host, an uploaded one whose copy failed, one on it.
  const fire = await db.audioMessage.create({
    data: {
      name: "Fire drill",
      soundName: "spoolcast/msg-aaaaaaaaaaaaaaaaaaaa",
      source: "tts",
      text: "This is a fire drill. Please leave the building.",
      voice: "en-us@170",
      durationMs: 3000,
    },
  });
  const siren = await db.audioMessage.create({
    data: { name: "Siren", soundName: "spoolcast/msg-bbbbbbbbbbbbbbbbbbbb", source: "upload", durationMs: 2000 },
  });
  await db.audioDelivery.create({
    data: { audioId: siren.id, hostId: host.id, state: "failed", error: "EACCES: permission denied, open '/x'" },
  });
  const evacuate = await db.audioMessage.create({
    data: { name: "Evacuate", soundName: "spoolcast/msg-cccccccccccccccccccc", durationMs: 2000 },
  });
  await db.audioDelivery.create({ data: { audioId: evacuate.id, hostId: host.id, state: "synced", syncedAt: new Date() } });
  const group = await db.contactGroup.create({ data: { name: "Staff" } });
  for (const [i, name] of ["Alice", "Bob"].entries()) {
    await db.contact.create({
      data: {
        name,
        nameKey: name.toLowerCase(),
        phones: { create: [{ destination: `+1212555010${i}`, position: 0 }] },
        groups: { create: [{ groupId: group.id }] },
      },
    });
  }
  return { actor, host, other, soundsDir, fire, siren, evacuate, group };
}

const NOT_ON_FRONT = (name: string) => `The message "${name}" is not on the Asterisk host "Front PBX"`;

describe("no silent PA", () => {
  it("refuses a PA on a library message or template the host lacks, naming message, host and field; nothing is queued", async () => {
    t = await createTestDb("sqlite");
    const s = await seed(t.db);
    const refused = launchPa(t.db, { groupIds: [s.group.id], audioId: s.fire.id }, s.actor);
    await expect(refused).rejects.toBeInstanceOf(MessageNotDeliveredError);
    await expect(refused).rejects.toMatchObject({
      field: "audioId",
      message: expect.stringContaining(`${NOT_ON_FRONT("Fire drill")} (it was never copied there)`),
    });
    await expect(launchPa(t.db, { groupIds: [s.group.id], audioId: s.siren.id }, s.actor)).rejects.toMatchObject({
      field: "audioId",
      message: expect.stringContaining(`${NOT_ON_FRONT("Siren")} (copying it failed: EACCES: permission denied`),
    });

    // A template on a message the host lacks cannot be made; one that loses its message is refused at launch.
    await expect(createPaTemplate(t.db, { name: "Drill", audioId: s.fire.id }, s.actor)).rejects.toMatchObject({
      field: "audioId",
      message: expect.stringContaining(NOT_ON_FRONT("Fire drill")),
    });
    const template = await createPaTemplate(t.db, { name: "Evacuation", audioId: s.evacuate.id }, s.actor);
    await expect(
      updatePaTemplate(t.db, { id: template.id, name: "Evacuation", audioId: s.siren.id }, s.actor),
    ).rejects.toMatchObject({ field: "audioId", message: expect.stringContaining(NOT_ON_FRONT("Siren")) });
    await t.db.audioDelivery.update({
      where: { audioId_hostId: { audioId: s.evacuate.id, hostId: s.host.id } },
      data: { state: "failed", error: "host unreachable" },
    });
    await expect(launchPa(t.db, { groupIds: [s.group.id], templateId: template.id }, s.actor)).rejects.toMatchObject({
      field: "templateId",
      message: expect.stringContaining(`${NOT_ON_FRONT("Evacuate")} (copying it failed: host unreachable)`),
    });
    // Renaming a template keeps its message: not refused for a delivery problem of that message.
    await updatePaTemplate(t.db, { id: template.id, name: "Evacuate all", audioId: s.evacuate.id }, s.actor);
    expect(await t.db.paBroadcast.count()).toBe(0);
    expect(await t.db.call.count()).toBe(0);

    // The form's notes say the same, for each message the host lacks.
    const notes = await undeliveredNotes(t.db, [s.fire, s.siren, s.evacuate]);
    expect([...notes.keys()].sort()).toEqual([s.fire.id, s.siren.id, s.evacuate.id].sort());
    await t.db.audioDelivery.update({
      where: { audioId_hostId: { audioId: s.evacuate.id, hostId: s.host.id } },
      data: { state: "synced", error: null, syncedAt: new Date() },
    });
    expect((await undeliveredNotes(t.db, [s.fire, s.evacuate])).has(s.evacuate.id)).toBe(false);
    const ok = await launchPa(t.db, { groupIds: [s.group.id], templateId: template.id }, s.actor);
    expect(ok).toMatchObject({ recipients: 2, audioId: s.evacuate.id, spokenNote: null });

    // "Re-call unreached" is a launch too: refused once the message has left the host.
    await t.db.call.updateMany({ where: { broadcastId: ok.broadcastId }, data: { state: "no-answer", endedAt: new Date() } });
    await t.db.audioDelivery.deleteMany({ where: { audioId: s.evacuate.id } });
    await expect(recallUnreached(t.db, { broadcastId: ok.broadcastId }, s.actor)).rejects.toMatchObject({
      field: "broadcastId",
      message: expect.stringContaining(`${NOT_ON_FRONT("Evacuate")} (it was never copied there)`),
    });
    expect(await t.db.paBroadcast.count()).toBe(1);
  });

  it("refuses a campaign on a message its host lacks, when it is created and when it is started", async () => {
    t = await createTestDb("sqlite");
    const s = await seed(t.db);
    const fields = { name: "Reminder", groupIds: [s.group.id] };
    await expect(createCampaign(t.db, { ...fields, audioId: s.fire.id }, s.actor)).rejects.toMatchObject({
      field: "audioId",
      message: expect.stringContaining(NOT_ON_FRONT("Fire drill")),
    });
    // On the default host but not on the campaign's own host.
    await expect(createCampaign(t.db, { ...fields, audioId: s.evacuate.id, hostId: s.other.id }, s.actor)).rejects.toMatchObject({
      field: "audioId",
      message: expect.stringContaining('The message "Evacuate" is not on the Asterisk host "Annex PBX"'),
    });
    expect(await t.db.campaign.count()).toBe(0);
    const { id } = await createCampaign(t.db, { ...fields, audioId: s.evacuate.id }, s.actor);
    await t.db.audioDelivery.deleteMany({ where: { audioId: s.evacuate.id } });
    await expect(startCampaign(t.db, { id }, s.actor)).rejects.toMatchObject({
      field: "audioId",
      message: expect.stringContaining(`${NOT_ON_FRONT("Evacuate")} (it was never copied there)`),
    });
    expect((await t.db.campaign.findUniqueOrThrow({ where: { id } })).state).toBe("draft");
    expect(await t.db.campaignTarget.count()).toBe(0);
  });

  it("the REST API answers 422 naming the field and the host", async () => {
    t = await createTestDb("sqlite");
    const s = await seed(t.db);
    const { token } = await createApiToken(t.db, { name: "fire panel", scopes: [...API_SCOPES] }, { actor: s.actor });
    const res = await runEndpoint(
      launchPaEndpoint,
      new Request("http://spoolcast.test/api/v1/pa", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": "k1" },
        body: JSON.stringify({ groupIds: [s.group.id], audioId: s.fire.id }),
      }),
      { db: t.db },
    );
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      error: { field: "audioId", message: expect.stringContaining(NOT_ON_FRONT("Fire drill")) },
    });
    expect(await t.db.paBroadcast.count()).toBe(0);
  });

  it("speaks the message's text by text-to-speech instead when asked, delivered to the host, and the board says why", async () => {
    t = await createTestDb("sqlite");
    const s = await seed(t.db);
    const r = await launchPa(t.db, { groupIds: [s.group.id], audioId: s.fire.id, ttsFallback: true }, s.actor);
    expect(r.spokenNote).toBe('"Fire drill" is not on "Front PBX"');
    expect(r.audioId).not.toBe(s.fire.id);
    const spoken = await t.db.audioMessage.findUniqueOrThrow({ where: { id: r.audioId }, include: { deliveries: true } });
    expect(spoken).toMatchObject({ name: "Fire drill (spoken)", source: "tts", text: s.fire.text, voice: "en-us@170" });
    expect(spoken.durationMs).toBeGreaterThan(1000);
    expect(spoken.deliveries.map((d) => [d.hostId, d.state])).toContainEqual([s.host.id, "synced"]);
    const onHost = readFileSync(path.join(s.soundsDir, `${spoken.soundName}.wav`));
    expect(onHost.equals(readFileSync(masterPath(spoken.soundName)))).toBe(true);
    const calls = await t.db.call.findMany({ where: { broadcastId: r.broadcastId }, select: { audioId: true } });
    expect(calls).toEqual([{ audioId: spoken.id }, { audioId: spoken.id }]);
    const board = await getPaBoard(t.db, r.broadcastId);
    expect(board.broadcast).toMatchObject({ audioName: "Fire drill (spoken)", spokenNote: '"Fire drill" is not on "Front PBX"' });
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "pa.launch" } });
    expect(audit.summary).toContain('spoken by text-to-speech because "Fire drill" is not on "Front PBX"');

    // A message that is on the host plays as it is, fallback or not.
    const plain = await launchPa(t.db, { groupIds: [s.group.id], audioId: s.evacuate.id, ttsFallback: true }, s.actor);
    expect(plain).toMatchObject({ audioId: s.evacuate.id, spokenNote: null });
  }, 60_000);

  it("refuses the fallback for a message without text, and when even the spoken copy cannot reach the host", async () => {
    t = await createTestDb("sqlite");
    const s = await seed(t.db);
    await expect(
      launchPa(t.db, { groupIds: [s.group.id], audioId: s.siren.id, ttsFallback: true }, s.actor),
    ).rejects.toMatchObject({
      field: "audioId",
      message: expect.stringContaining("It has no text that could be spoken instead: type the announcement."),
    });
    // The host's sounds directory cannot be created (a file is in the way): no copy reaches it.
    const blocker = path.join(root!, "not-a-dir");
    writeFileSync(blocker, "x");
    await t.db.asteriskHost.update({ where: { id: s.host.id }, data: { soundsDir: path.join(blocker, "sounds") } });
    await expect(
      launchPa(t.db, { groupIds: [s.group.id], audioId: s.fire.id, ttsFallback: true }, s.actor),
    ).rejects.toMatchObject({
      field: "audioId",
      message: expect.stringContaining(
        'Neither "Fire drill" nor its spoken text could be copied to the Asterisk host "Front PBX"',
      ),
    });
    // Typed text that cannot reach the host is refused too, next to the text.
    await expect(launchPa(t.db, { groupIds: [s.group.id], ttsText: "Leave now." }, s.actor)).rejects.toMatchObject({
      field: "ttsText",
      message: expect.stringContaining('could not be copied to the Asterisk host "Front PBX"'),
    });
    expect(await t.db.paBroadcast.count()).toBe(0);
    expect(await t.db.call.count()).toBe(0);
    expect(existsSync(path.join(blocker, "sounds"))).toBe(false);
  }, 60_000);
});
