import { afterEach, describe, expect, it } from "vitest";
import { PROVIDERS, createTestDb, type TestDb } from "./support/test-db";
import { DEMO_MARKER_KEY, seedDemo } from "@/lib/demo/seed-demo";

const DIRS = { spoolDir: "/srv/demo/spool", soundsDir: "/srv/demo/sounds" };

describe.each(PROVIDERS)("demo seed on %s", (provider) => {
  let t: TestDb | undefined;
  afterEach(async () => {
    await t?.drop();
    t = undefined;
  });

  it("seeds 60 contacts in 4 groups, the default host and 3 audio placeholders, once, and no user", async () => {
    t = await createTestDb(provider);
    expect(await seedDemo(t.db, DIRS)).toEqual({ seeded: true, contacts: 60, groups: 4, audioMessages: 3, hostCreated: true });
    expect(await seedDemo(t.db, DIRS)).toEqual({ seeded: false, reason: "demo data was already seeded" });

    expect(await t.db.user.count()).toBe(0);
    expect(await t.db.contact.count()).toBe(60);
    const groups = await t.db.contactGroup.findMany({
      select: { name: true, members: { select: { contactId: true } } },
      orderBy: { name: "asc" },
    });
    expect(groups.map((g) => [g.name, g.members.length])).toEqual([
      ["Front desk", 15],
      ["Housekeeping", 16],
      ["Maintenance", 14],
      ["Management", 15],
    ]);
    const phones = await t.db.contactPhone.findMany({ select: { e164: true } });
    expect(phones.length).toBe(90);
    for (const p of phones) expect(p.e164).toMatch(/^\+44(7700900|2079460)\d{3}$/);
    expect(new Set(phones.map((p) => p.e164)).size).toBe(phones.length);
    expect(
      await t.db.asteriskHost.findMany({ select: { isDefault: true, transport: true, spoolDir: true, soundsDir: true } }),
    ).toEqual([{ isDefault: true, transport: "local", ...DIRS }]);
    expect(await t.db.audioMessage.count()).toBe(3);
    expect(await t.db.setting.findUnique({ where: { key: DEMO_MARKER_KEY } })).not.toBeNull();
    expect(await t.db.auditEvent.findMany({ select: { action: true, actorType: true } })).toEqual([
      { action: "demo.seed", actorType: "system" },
    ]);
  });

  it("leaves a database that already has contacts alone", async () => {
    t = await createTestDb(provider);
    await t.db.contact.create({ data: { name: "Real Person", nameKey: "real person" } });
    expect(await seedDemo(t.db, DIRS)).toEqual({ seeded: false, reason: "the database already has contacts" });
    expect(await t.db.contact.count()).toBe(1);
    expect(await t.db.contactGroup.count()).toBe(0);
  });
});
