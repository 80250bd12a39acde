import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, createTestDb, type TestDb } from "./support/test-db";
import { addGroupMembers, createGroup, deleteGroup, removeGroupMembers, renameGroup } from "@/lib/groups/manage-groups";
import { getGroup, listGroups } from "@/lib/groups/list-groups";
import { UserError } from "@/lib/errors";
import type { AuditActor } from "@/lib/audit/record-audit";

const actor: AuditActor = { type: "user", id: "u1", name: "Olive" };

describe.each(PROVIDERS)("groups on %s", (provider) => {
  let t: TestDb;
  let contactIds: string[];
  beforeAll(async () => {
    t = await createTestDb(provider);
    await t.db.contact.createMany({
      data: ["A", "B", "C"].map((name) => ({ id: `contact${name}`, name, nameKey: name.toLowerCase() })),
    });
    contactIds = ["contactA", "contactB", "contactC"];
  });
  afterAll(async () => {
    await t.drop();
  });

  it("refuses a duplicate name in any letter case and keeps the first group unchanged", async () => {
    const { id } = await createGroup(t.db, { input: { name: "Staff" }, actor });
    const err = await createGroup(t.db, { input: { name: "  sTAFF " }, actor }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err).toMatchObject({ field: "name", message: 'A group named "Staff" already exists' });
    const other = await createGroup(t.db, { input: { name: "Guests" }, actor });
    await expect(renameGroup(t.db, { input: { id: other.id, name: "STAFF" }, actor })).rejects.toThrow(/already exists/);
    await renameGroup(t.db, { input: { id, name: "staff" }, actor }); // renaming itself to another case is fine
    expect((await listGroups(t.db)).map((g) => g.name)).toEqual(["Guests", "staff"]);
  });

  it("marks test groups, which a Test PA may call", async () => {
    const { id } = await createGroup(t.db, { input: { name: "Test phones", isTest: true }, actor });
    expect(await getGroup(t.db, id)).toMatchObject({ isTest: true, memberCount: 0 });
    await expect(createGroup(t.db, { input: { name: "Odd", isTest: "yes" }, actor })).rejects.toMatchObject({ field: "isTest" });
  });

  it("rejects empty and control-character names", async () => {
    await expect(createGroup(t.db, { input: { name: "  " }, actor })).rejects.toMatchObject({ field: "name" });
    await expect(createGroup(t.db, { input: { name: "A\nB" }, actor })).rejects.toThrow(/control characters/);
  });

  it("adds and removes members in bulk, a contact in many groups, with counts", async () => {
    const a = await createGroup(t.db, { input: { name: "Floor 1" }, actor });
    const b = await createGroup(t.db, { input: { name: "Floor 2" }, actor });
    expect(await addGroupMembers(t.db, { input: { groupId: a.id, contactIds }, actor })).toEqual({ added: 3 });
    expect(await addGroupMembers(t.db, { input: { groupId: a.id, contactIds: ["contactA"] }, actor })).toEqual({ added: 0 });
    await addGroupMembers(t.db, { input: { groupId: b.id, contactIds: ["contactA"] }, actor });
    expect(await removeGroupMembers(t.db, { input: { groupId: a.id, contactIds: ["contactB", "contactC"] }, actor })).toEqual({
      removed: 2,
    });
    expect((await getGroup(t.db, a.id))!.memberCount).toBe(1);
    expect((await getGroup(t.db, b.id))!.memberCount).toBe(1);
    await expect(addGroupMembers(t.db, { input: { groupId: a.id, contactIds: ["nope"] }, actor })).rejects.toThrow(
      /no longer exist/,
    );
  });

  it("adds and removes 1,200 members at once (a whole school), half of them already in", async () => {
    const ids = Array.from({ length: 1200 }, (_, i) => `school${String(i).padStart(5, "0")}`);
    await t.db.contact.createMany({ data: ids.map((id) => ({ id, name: id, nameKey: id })) });
    const g = await createGroup(t.db, { input: { name: "Whole school" }, actor });
    expect(await addGroupMembers(t.db, { input: { groupId: g.id, contactIds: ids.slice(0, 600) }, actor })).toEqual({
      added: 600,
    });
    expect(await addGroupMembers(t.db, { input: { groupId: g.id, contactIds: ids }, actor })).toEqual({ added: 600 });
    expect((await getGroup(t.db, g.id))!.memberCount).toBe(1200);
    expect(await removeGroupMembers(t.db, { input: { groupId: g.id, contactIds: ids.slice(0, 1100) }, actor })).toEqual({
      removed: 1100,
    });
    expect((await getGroup(t.db, g.id))!.memberCount).toBe(100);
    await t.db.contact.deleteMany({ where: { id: { startsWith: "school" } } }); // the other tests count contacts
  });

  it("refuses to delete a group a campaign uses, changing nothing", async () => {
    const g = await createGroup(t.db, { input: { name: "Evacuation" }, actor });
    await addGroupMembers(t.db, { input: { groupId: g.id, contactIds }, actor });
    const campaign = await t.db.campaign.create({ data: { name: "Fire drill" } });
    await t.db.campaignGroup.create({ data: { campaignId: campaign.id, groupId: g.id } });
    const audits = await t.db.auditEvent.count();
    await expect(deleteGroup(t.db, { id: g.id, actor })).rejects.toThrow(
      'Group "Evacuation" is used by campaign "Fire drill"; remove it from the campaign first',
    );
    expect((await getGroup(t.db, g.id))!.memberCount).toBe(3);
    expect(await t.db.auditEvent.count()).toBe(audits);

    await t.db.campaignGroup.deleteMany({ where: { groupId: g.id } });
    await deleteGroup(t.db, { id: g.id, actor });
    expect(await getGroup(t.db, g.id)).toBeNull();
    expect(await t.db.contact.count()).toBe(3);
    expect(await t.db.auditEvent.count({ where: { action: "group.delete", targetId: g.id } })).toBe(1);
  });
});
