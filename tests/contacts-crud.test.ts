import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, createTestDb, type TestDb } from "./support/test-db";
import { createContact } from "@/lib/contacts/create-contact";
import { updateContact } from "@/lib/contacts/update-contact";
import { deleteContact } from "@/lib/contacts/delete-contact";
import { getContact } from "@/lib/contacts/get-contact";
import { listContacts, MAX_PHONE_MATCHES } from "@/lib/contacts/list-contacts";
import { ContactValidationError } from "@/lib/contacts/contact.schema";
import type { AuditActor } from "@/lib/audit/record-audit";

const actor: AuditActor = { type: "user", id: "u1", name: "Olive Operator" };

describe.each(PROVIDERS)("contacts on %s", (provider) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(provider);
  });
  afterAll(async () => {
    await t.drop();
  });

  it("stores a contact with E.164 phones and audits it", async () => {
    const { id } = await createContact(t.db, {
      input: {
        name: "Ada Lovelace",
        phones: [{ number: "(212) 555-0100", label: "desk" }, { number: "+44 20 7946 0958" }],
        tags: "vip",
        timeZone: "Europe/London",
      },
      actor,
    });
    const c = await getContact(t.db, id);
    expect(c).toMatchObject({
      name: "Ada Lovelace",
      tags: ["vip"],
      timeZone: "Europe/London",
      phones: [
        { destination: "+12125550100", kind: "external", label: "desk" },
        { destination: "+442079460958", kind: "external", label: "" },
      ],
    });
    const audit = await t.db.auditEvent.findMany({ where: { action: "contact.create", targetId: id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: "u1", actorName: "Olive Operator" });
  });

  it("uses the defaultCountry setting for national numbers", async () => {
    await t.db.setting.create({ data: { key: "defaultCountry", value: JSON.stringify("GB") } });
    try {
      const { id } = await createContact(t.db, { input: { name: "Brit", phones: [{ number: "020 7946 0999" }] }, actor });
      expect((await getContact(t.db, id))!.phones[0]!.destination).toBe("+442079460999");
    } finally {
      await t.db.setting.delete({ where: { key: "defaultCountry" } });
    }
  });

  it("refuses a bad number with a field error and stores nothing", async () => {
    const before = await t.db.contact.count();
    const err = await createContact(t.db, { input: { name: "Bad", phones: [{ number: "555-123" }] }, actor }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ContactValidationError);
    expect((err as ContactValidationError).fieldErrors["phones.0.number"]![0]).toMatch(/not a valid phone number/);
    expect(await t.db.contact.count()).toBe(before);
  });

  it("refuses a number that already belongs to another contact", async () => {
    const err = await createContact(t.db, { input: { name: "Copy", phones: [{ number: "+1 212 555 0100" }] }, actor }).catch(
      (e: unknown) => e,
    );
    expect((err as ContactValidationError).fieldErrors["phones.0.number"]![0]).toMatch(/already belongs to Ada Lovelace/);
  });

  it("updates fields and replaces phones; deleting removes phones and memberships", async () => {
    const { id } = await createContact(t.db, { input: { name: "Grace", phones: [{ number: "2125550101" }] }, actor });
    const group = await t.db.contactGroup.create({ data: { name: "Grace's group" } });
    await t.db.groupMember.create({ data: { groupId: group.id, contactId: id } });
    await updateContact(t.db, {
      id,
      input: { name: "Grace Hopper", phones: [{ number: "2125550102" }], deskEndpoint: "PJSIP/1001" },
      actor,
    });
    expect(await getContact(t.db, id)).toMatchObject({
      name: "Grace Hopper",
      deskEndpoint: "PJSIP/1001",
      phones: [{ destination: "+12125550102" }],
    });
    expect(await t.db.contactPhone.count({ where: { destination: "+12125550101" } })).toBe(0);
    await deleteContact(t.db, { id, actor });
    expect(await t.db.contact.findUnique({ where: { id } })).toBeNull();
    expect(await t.db.contactPhone.count({ where: { contactId: id } })).toBe(0);
    expect(await t.db.groupMember.count({ where: { groupId: group.id } })).toBe(0);
    expect(await t.db.auditEvent.count({ where: { targetId: id } })).toBe(3);
  });

  it("searches by name prefix, later word, phone digits, tag and group; sorts and pages", async () => {
    const names = ["Zoë Adams", "Bob Smith", "alice smithers", "Carol Jones", "100% Real", "under_score"];
    const ids: string[] = [];
    for (const [i, name] of names.entries()) {
      ids.push(
        (
          await createContact(t.db, {
            input: { name, phones: [{ number: `21255502${String(i).padStart(2, "0")}` }], tags: i % 2 ? "night" : "" },
            actor,
          })
        ).id,
      );
    }
    const g = await t.db.contactGroup.create({ data: { name: "Night crew" } });
    await t.db.groupMember.createMany({ data: [ids[1]!, ids[3]!].map((contactId) => ({ groupId: g.id, contactId })) });

    const namesOf = async (p: Parameters<typeof listContacts>[1]) => (await listContacts(t.db, p)).rows.map((r) => r.name);
    expect(await namesOf({ q: "ali" })).toEqual(["alice smithers"]);
    expect(await namesOf({ q: "SMITH" })).toEqual(["alice smithers", "Bob Smith"]);
    expect(await namesOf({ q: "zoë" })).toEqual(["Zoë Adams"]);
    expect(await namesOf({ q: "100%" })).toEqual(["100% Real"]);
    const { id: percentId } = await createContact(t.db, {
      input: { name: "Mr 100% Sure", phones: [{ number: "2125550290" }] },
      actor,
    });
    // A typed % or _ matches itself. PostgreSQL escapes it inside LIKE, so later words match too;
    // SQLite's LIKE has no escape character here, so such a query matches name prefixes only.
    expect(await namesOf({ q: "100%" })).toEqual(provider === "postgresql" ? ["100% Real", "Mr 100% Sure"] : ["100% Real"]);
    await deleteContact(t.db, { id: percentId, actor });
    expect(await namesOf({ q: "u_d" })).toEqual([]);
    expect(await namesOf({ q: "(212) 555-0203" })).toEqual(["Carol Jones"]);
    expect(await namesOf({ q: "50203" })).toEqual(["Carol Jones"]);
    expect(await namesOf({ tag: "night" })).toEqual(["Bob Smith", "Carol Jones", "under_score"]);
    expect(await namesOf({ groupId: g.id })).toEqual(["Bob Smith", "Carol Jones"]);

    const all = await listContacts(t.db, { sort: "name", pageSize: 25 });
    expect(all.rows.map((r) => r.name)).toEqual([
      "100% Real",
      "Ada Lovelace",
      "alice smithers",
      "Bob Smith",
      "Brit",
      "Carol Jones",
      "under_score",
      "Zoë Adams",
    ]);
    expect((await listContacts(t.db, { sort: "-name" })).rows[0]!.name).toBe("Zoë Adams");
    const created = await listContacts(t.db, { sort: "-created" });
    expect(created.rows[0]!.name).toBe("under_score");
    const paged = await listContacts(t.db, { sort: "name", pageSize: 25, page: 99 });
    expect(paged.page).toBe(1); // past the end → last page
    expect(paged.total).toBe(all.total);
  });

  it("a digit search matching more numbers than it lists says so and still answers (large directory)", async () => {
    const n = 1300; // more than SQLite's 999 parameters, more than MAX_PHONE_MATCHES
    const ids = Array.from({ length: n }, (_, i) => `bulk${String(i).padStart(5, "0")}`);
    await t.db.contact.createMany({ data: ids.map((id, i) => ({ id, name: `Bulk ${i}`, nameKey: `bulk ${i}` })) });
    await t.db.contactPhone.createMany({
      data: ids.map((contactId, i) => ({ contactId, destination: `+1777${String(1000000 + i)}` })),
    });
    const r = await listContacts(t.db, { q: "1777", sort: "name", pageSize: 25 });
    expect(r.truncated).toBe(true);
    expect(r.total).toBe(MAX_PHONE_MATCHES);
    expect(r.rows).toHaveLength(25);
    await t.db.contact.deleteMany({ where: { id: { startsWith: "bulk" } } }); // the other tests count contacts
  });
});
