import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readWavInfo } from "@/lib/audio/convert";
import { createTts } from "@/lib/audio/create-tts";
import { deleteAudio } from "@/lib/audio/delete-audio";
import { importUpload } from "@/lib/audio/import-audio";
import { listAudio, listAudioTags } from "@/lib/audio/list-audio";
import { renameAudio } from "@/lib/audio/rename-audio";
import { masterPath } from "@/lib/audio/store";
import { UserError } from "@/lib/errors";
import { PROVIDERS, createTestDb, type TestDb } from "./support/test-db";
import { ACTOR, createLocalHost, listFiles, toneWav, useTempDataDir } from "./support/audio-fixtures";

async function refusal(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe.each(PROVIDERS)("message library on %s", (provider) => {
  let t: TestDb;
  let data: ReturnType<typeof useTempDataDir>;
  let soundsDir: string;

  beforeAll(async () => {
    t = await createTestDb(provider);
  });
  afterAll(async () => {
    await t.drop();
  });
  beforeEach(async () => {
    data = useTempDataDir();
    soundsDir = path.join(data.dir, "host-sounds");
    await createLocalHost(t.db, { name: "pbx-1", soundsDir });
  });
  afterEach(async () => {
    await t.db.auditEvent.deleteMany();
    await t.db.paTemplate.deleteMany();
    await t.db.campaign.deleteMany();
    await t.db.wakeUp.deleteMany();
    await t.db.call.deleteMany();
    await t.db.audioMessage.deleteMany();
    await t.db.asteriskHost.deleteMany();
    data.cleanup();
  });

  it("stores an upload as 8 kHz mono 16-bit with its duration, delivers it and audits it", async () => {
    const saved = await importUpload(t.db, {
      name: "Fire alarm",
      tags: "Fire, drill",
      bytes: toneWav(1.2),
      fileName: "fire.wav",
      actor: ACTOR,
    });

    const row = await t.db.audioMessage.findUniqueOrThrow({ where: { id: saved.id } });
    expect(row).toMatchObject({
      name: "Fire alarm",
      tags: ",fire,drill,",
      source: "upload",
      soundName: `spoolcast/msg-${saved.id}`,
    });
    expect(Math.abs(row.durationMs - 1200)).toBeLessThanOrEqual(20);

    const master = readFileSync(masterPath(row.soundName));
    expect(row.sizeBytes).toBe(master.length);
    expect(readWavInfo(master)).toMatchObject({ sampleRate: 8000, channels: 1, bitDepth: "16" });
    expect(readFileSync(path.join(soundsDir, `${row.soundName}.wav`)).equals(master)).toBe(true);

    const delivery = await t.db.audioDelivery.findFirstOrThrow({ where: { audioId: saved.id } });
    expect(delivery).toMatchObject({ state: "synced", error: null });
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "audio.create" } });
    expect(audit).toMatchObject({ targetId: saved.id, actorName: "Test Operator" });
    expect(audit.summary).toContain('from "fire.wav"');
  });

  it.each([
    ["an oversize file", () => Buffer.alloc(50 * 1024 * 1024 + 1), /limit is 50 MB/],
    ["a text file named .wav", () => Buffer.from("this is not audio"), /not an audio file/],
    ["a truncated WAV", () => toneWav(2).subarray(0, 30_000), /truncated/],
    ["a zero-length WAV", () => toneWav(2).subarray(0, 44).fill(0, 40, 44), /empty/],
  ])("stores nothing for %s", async (_label, bytes, message) => {
    const error = await refusal(importUpload(t.db, { name: "Bad", bytes: bytes(), actor: ACTOR }));
    expect(error.field).toBe("file");
    expect(error.message).toMatch(message);
    expect(await t.db.audioMessage.count()).toBe(0);
    expect(await t.db.audioDelivery.count()).toBe(0);
    expect(await t.db.auditEvent.count()).toBe(0);
    expect(listFiles(path.join(data.dir, "audio"))).toEqual([]);
    expect(listFiles(soundsDir)).toEqual([]);
  });

  it("refuses a bad name or tag before converting anything", async () => {
    expect((await refusal(importUpload(t.db, { name: "  ", bytes: toneWav(), actor: ACTOR }))).field).toBe("name");
    expect((await refusal(importUpload(t.db, { name: "Evil\nname", bytes: toneWav(), actor: ACTOR }))).message).toBe(
      "Message name must not contain a line break",
    );
    const tagError = await refusal(importUpload(t.db, { name: "Ok", tags: "fire, <script>", bytes: toneWav(), actor: ACTOR }));
    expect(tagError.field).toBe("tags");
    expect(await t.db.audioMessage.count()).toBe(0);
  });

  it("creates a text-to-speech message with its text and voice", async () => {
    const saved = await createTts(t.db, {
      name: "Lockdown",
      text: "Lockdown. Stay in your room.",
      voice: "en-us",
      wpm: 150,
      actor: ACTOR,
    });
    const row = await t.db.audioMessage.findUniqueOrThrow({ where: { id: saved.id } });
    expect(row).toMatchObject({ source: "tts", text: "Lockdown. Stay in your room.", voice: "en-us@150" });
    expect(row.durationMs).toBeGreaterThan(1000);
    expect(readWavInfo(readFileSync(masterPath(row.soundName)))).toMatchObject({ sampleRate: 8000, channels: 1 });
  });

  it("renames and re-tags a message, and filters the list by tag", async () => {
    const a = await importUpload(t.db, { name: "Drill", tags: "fire", bytes: toneWav(0.5), actor: ACTOR });
    await importUpload(t.db, { name: "Weather", tags: "storm", bytes: toneWav(0.5), actor: ACTOR });
    await renameAudio(t.db, { id: a.id, name: "Fire drill", tags: ["Fire", "monthly"], actor: ACTOR });

    expect((await listAudio(t.db, { tag: "monthly" })).map((m) => m.name)).toEqual(["Fire drill"]);
    expect((await listAudio(t.db)).map((m) => [m.name, m.tags])).toEqual([
      ["Fire drill", ["fire", "monthly"]],
      ["Weather", ["storm"]],
    ]);
    expect(await listAudioTags(t.db)).toEqual(["fire", "monthly", "storm"]);
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "audio.update" } });
    expect(audit.summary).toBe('name "Drill" → "Fire drill"; tags [fire] → [fire, monthly]');
  });

  it("refuses to delete a message a PA template, campaign or wake-up uses, naming them", async () => {
    const audio = await importUpload(t.db, { name: "Evacuate", bytes: toneWav(0.5), actor: ACTOR });
    await t.db.paTemplate.create({ data: { name: "Fire", audioId: audio.id } });
    await t.db.campaign.create({ data: { name: "Open day", audioId: audio.id } });
    await t.db.wakeUp.create({
      data: {
        room: "204",
        destination: "PJSIP/204",
        timeZone: "Europe/Paris",
        localTime: "07:00",
        startDate: "2026-11-24",
        audioId: audio.id,
      },
    });

    const [item] = await listAudio(t.db);
    expect(item!.usage).toEqual({ templates: 1, campaigns: 1, wakeUps: 1, broadcasts: 0, calls: 0 });

    const error = await refusal(deleteAudio(t.db, { id: audio.id, actor: ACTOR }));
    expect(error.message).toBe(
      "“Evacuate” cannot be deleted: it is used by PA template “Fire”, campaign “Open day” and 1 wake-up (room 204). Choose another message there first.",
    );
    expect(await t.db.audioMessage.count()).toBe(1);
    expect(listFiles(path.join(data.dir, "audio"))).toHaveLength(1);
    expect(listFiles(soundsDir)).toHaveLength(1);

    await t.db.paTemplate.deleteMany();
    await t.db.campaign.deleteMany();
    expect((await refusal(deleteAudio(t.db, { id: audio.id, actor: ACTOR }))).message).toMatch(/used by 1 wake-up \(room 204\)/);
  });

  it("refuses to delete a message past calls played", async () => {
    const audio = await importUpload(t.db, { name: "Reminder", bytes: toneWav(0.5), actor: ACTOR });
    const host = await t.db.asteriskHost.findFirstOrThrow();
    await t.db.call.create({
      data: {
        kind: "campaign",
        priority: 5,
        hostId: host.id,
        destination: "+3312345678",
        channel: "PJSIP/x",
        scheduledAt: new Date(),
        audioId: audio.id,
      },
    });
    expect((await refusal(deleteAudio(t.db, { id: audio.id, actor: ACTOR }))).message).toMatch(/used by 1 past call\./);
  });

  it("deletes an unused message from the database, the master copy and every host", async () => {
    const audio = await importUpload(t.db, { name: "Old", bytes: toneWav(0.5), actor: ACTOR });
    expect(listFiles(soundsDir)).toHaveLength(1);
    await deleteAudio(t.db, { id: audio.id, actor: ACTOR });
    expect(await t.db.audioMessage.count()).toBe(0);
    expect(await t.db.audioDelivery.count()).toBe(0);
    expect(listFiles(path.join(data.dir, "audio"))).toEqual([]);
    expect(listFiles(soundsDir)).toEqual([]);
    expect(await t.db.auditEvent.count({ where: { action: "audio.delete", targetId: audio.id } })).toBe(1);
  });

  it("lists per-host sync state: synced, failed with the reason, and pending for a new host", async () => {
    const blocker = path.join(data.dir, "not-a-dir");
    await import("node:fs/promises").then((fs) => fs.writeFile(blocker, "x"));
    await createLocalHost(t.db, { name: "pbx-broken", soundsDir: path.join(blocker, "sounds") });
    const audio = await importUpload(t.db, { name: "Hello", bytes: toneWav(0.5), actor: ACTOR });
    await createLocalHost(t.db, { name: "pbx-new", soundsDir: path.join(data.dir, "new-sounds") });

    const [item] = await listAudio(t.db);
    expect(item!.id).toBe(audio.id);
    expect(item!.deliveries.map((d) => [d.hostName, d.state])).toEqual([
      ["pbx-1", "synced"],
      ["pbx-broken", "failed"],
      ["pbx-new", "pending"],
    ]);
    expect(item!.deliveries[1]!.error).toMatch(/ENOTDIR|not a directory/);
  });
});
