/**
 * "Remove demo data" (lib/demo/demo-manifest.ts): removes every record the demo seeded and what
 * was done only with them, and nothing a user added: their contacts, groups, messages, PAs and
 * wake-ups survive, and a demo message or template their PA still uses is kept.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importUpload } from "@/lib/audio/import-audio";
import { masterPath } from "@/lib/audio/store";
import type { Db } from "@/lib/db";
import { getDemoDataStatus, removeDemoData } from "@/lib/demo/demo-manifest";
import { seedDemo } from "@/lib/demo/seed-demo";
import { UserError } from "@/lib/errors";
import { ACTOR, toneWav, useTempDataDir } from "./support/audio-fixtures";
import { PROVIDERS, createTestDb, type TestDb } from "./support/test-db";

let t: TestDb | undefined;
let data: ReturnType<typeof useTempDataDir> | undefined;
let root = "";

beforeEach(() => {
  data = useTempDataDir();
  root = mkdtempSync(path.join(os.tmpdir(), "spoolcast-demo-remove-"));
  mkdirSync(path.join(root, "spool", "outgoing"), { recursive: true });
});
afterEach(async () => {
  await t?.drop();
  data?.cleanup();
  rmSync(root, { recursive: true, force: true });
  t = data = undefined;
});

function call(db: Db, input: { hostId: string; contactId?: string; broadcastId?: string; audioId?: string }) {
  return db.call.create({
    data: {
      kind: "pa",
      priority: 0,
      state: "completed",
      hostId: input.hostId,
      contactId: input.contactId ?? null,
      broadcastId: input.broadcastId ?? null,
      audioId: input.audioId ?? null,
      destination: "+441614960100",
      channel: "PJSIP/+441614960100@trunk",
      scheduledAt: new Date(),
    },
  });
}

describe("a demo database seeded before the manifest", () => {
  it("gets its manifest back on the next npm run demo, listing only records that still match the demo", async () => {
    t = await createTestDb("sqlite");
    const db = t.db;
    const dirs = { spoolDir: path.join(root, "spool"), soundsDir: path.join(root, "sounds") };
    await seedDemo(db, dirs);
    const seeded = await db.setting.findUniqueOrThrow({ where: { key: "demo.manifest" } });
    await db.setting.delete({ where: { key: "demo.manifest" } });
    // A user renamed one demo contact and gave another a real number: neither is demo data any more.
    const renamed = await db.contact.findFirstOrThrow({ where: { name: "Amelia Hughes" } });
    await db.contact.update({ where: { id: renamed.id }, data: { name: "Amelia Hughes-Reid" } });
    const called = await db.contact.findFirstOrThrow({ where: { name: "Oliver Bennett" }, include: { phones: true } });
    await db.contactPhone.update({ where: { id: called.phones[0]!.id }, data: { destination: "+12125550100" } });
    expect(await getDemoDataStatus(db)).toEqual({ present: false });

    await seedDemo(db, dirs);
    const before = JSON.parse(seeded.value) as { contacts: string[]; groups: string[]; audio: string[]; templates: string[] };
    const after = JSON.parse((await db.setting.findUniqueOrThrow({ where: { key: "demo.manifest" } })).value) as typeof before;
    expect(after.contacts.sort()).toEqual(before.contacts.filter((id) => id !== renamed.id && id !== called.id).sort());
    expect([after.groups.sort(), after.audio.sort(), after.templates.sort()]).toEqual([
      before.groups.sort(),
      before.audio.sort(),
      before.templates.sort(),
    ]);
    expect(await getDemoDataStatus(db)).toMatchObject({ present: true, contacts: 58, groups: 4, messages: 3, templates: 2 });
  }, 120_000);
});

describe.each(PROVIDERS)("removing the demo data on %s", (provider) => {
  it("removes what the demo seeded and did, keeps what a user added", async () => {
    t = await createTestDb(provider);
    const db = t.db;
    expect(await getDemoDataStatus(db)).toEqual({ present: false });
    await seedDemo(db, { spoolDir: path.join(root, "spool"), soundsDir: path.join(root, "sounds") });
    expect(await getDemoDataStatus(db)).toMatchObject({ present: true, contacts: 60, groups: 4, messages: 3, templates: 2 });

    const host = await db.asteriskHost.findFirstOrThrow({ where: { isDefault: true } });
    const demoContact = await db.contact.findFirstOrThrow({ where: { name: "Amelia Hughes" } });
    const frontDesk = await db.contactGroup.findFirstOrThrow({ where: { name: "Front desk" } });
    const fire = await db.paTemplate.findFirstOrThrow({ where: { name: "Fire evacuation" }, include: { audio: true } });
    const allClear = await db.audioMessage.findFirstOrThrow({ where: { name: "All clear" } });

    // What the user did with the demo: a PA to demo contacts only, and a click-to-call to one.
    const demoPa = await db.paBroadcast.create({ data: { audioId: allClear.id } });
    await call(db, { hostId: host.id, contactId: demoContact.id, broadcastId: demoPa.id, audioId: allClear.id });
    await call(db, { hostId: host.id, contactId: demoContact.id });

    // What the user added: a contact in a group of theirs (and in a demo group), a message, a
    // real PA with the demo's fire template, a wake-up.
    const real = await db.contact.create({
      data: {
        name: "Real Person",
        nameKey: "real person",
        phones: { create: [{ destination: "+12125550100", label: "mobile", position: 0 }] },
      },
    });
    const theirs = await db.contactGroup.create({ data: { name: "Night shift", members: { create: [{ contactId: real.id }] } } });
    await db.groupMember.create({ data: { groupId: frontDesk.id, contactId: real.id } });
    const ownMessage = await importUpload(db, { name: "Our own", bytes: toneWav(0.5), actor: ACTOR });
    const realPa = await db.paBroadcast.create({ data: { audioId: fire.audioId, templateId: fire.id } });
    const realCall = await call(db, { hostId: host.id, contactId: real.id, broadcastId: realPa.id, audioId: fire.audioId });
    await call(db, { hostId: host.id, contactId: demoContact.id, broadcastId: realPa.id, audioId: fire.audioId });
    const wakeUp = await db.wakeUp.create({
      data: { room: "101", destination: "101", timeZone: "Europe/London", localTime: "07:00", startDate: "2026-12-05" },
    });

    const removal = await removeDemoData(db, { actor: { type: "user", id: null, name: "Ada" }, ip: "10.0.0.1" });
    expect(removal).toEqual({
      contacts: 60,
      groups: 4,
      messages: 2,
      templates: 1,
      broadcasts: 1,
      campaigns: 0,
      calls: 2,
      kept: { groups: 0, messages: 1, templates: 1 },
    });

    expect(await getDemoDataStatus(db)).toEqual({ present: false });
    expect(await db.contact.findMany({ select: { name: true } })).toEqual([{ name: "Real Person" }]);
    expect(await db.contactGroup.findMany({ select: { id: true } })).toEqual([{ id: theirs.id }]);
    expect((await db.audioMessage.findMany({ select: { name: true }, orderBy: { name: "asc" } })).map((a) => a.name)).toEqual([
      "Fire evacuation",
      "Our own",
    ]);
    expect(await db.paTemplate.findMany({ select: { id: true } })).toEqual([{ id: fire.id }]);
    expect(await db.paBroadcast.findMany({ select: { id: true } })).toEqual([{ id: realPa.id }]);
    // The user's PA keeps both its calls; the one to a removed demo contact loses only the link.
    const kept = await db.call.findMany({ where: { broadcastId: realPa.id }, select: { id: true, contactId: true } });
    expect(kept).toHaveLength(2);
    expect(kept.find((c) => c.id === realCall.id)?.contactId).toBe(real.id);
    expect(await db.wakeUp.count({ where: { id: wakeUp.id } })).toBe(1);
    expect(await db.setting.findMany({ where: { key: { startsWith: "demo." } } })).toEqual([]);
    // The removed message's files are gone; the kept ones are still there.
    expect(existsSync(masterPath(allClear.soundName))).toBe(false);
    expect(existsSync(path.join(root, "sounds", `${allClear.soundName}.wav`))).toBe(false);
    expect(existsSync(masterPath(fire.audio.soundName))).toBe(true);
    expect(existsSync(masterPath(ownMessage.soundName))).toBe(true);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "demo.remove" } });
    expect(audit).toMatchObject({ actorName: "Ada", ip: "10.0.0.1" });
    expect(audit.summary).toContain("Removed demo data: 60 contacts, 4 groups, 2 messages, 1 PA templates, 1 PAs");

    await expect(removeDemoData(db, { actor: ACTOR })).rejects.toThrow(UserError);
  }, 120_000);
});
