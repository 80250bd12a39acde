import { afterEach, describe, expect, it } from "vitest";
import { PROVIDERS, createTestDb, type TestDb } from "./support/test-db";
import { createFirstAdmin, isSetupRequired } from "@/lib/auth/setup";
import { verifyPassword } from "@/lib/auth/password";
import { UserError } from "@/lib/errors";

describe.each(PROVIDERS)("first-admin setup on %s", (provider) => {
  let t: TestDb | undefined;
  afterEach(async () => {
    await t?.drop();
    t = undefined;
  });

  it("creates one admin with an argon2id hash, audited, and then closes", async () => {
    t = await createTestDb(provider);
    expect(await isSetupRequired(t.db)).toBe(true);
    const admin = await createFirstAdmin(t.db, {
      name: "Ada",
      email: "ada@example.org",
      password: "correct horse battery",
      ip: "10.1.1.1",
    });
    expect(admin).toMatchObject({ name: "Ada", email: "ada@example.org", role: "admin" });
    expect(await isSetupRequired(t.db)).toBe(false);

    const stored = await t.db.user.findUniqueOrThrow({ where: { id: admin.id }, select: { passwordHash: true } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(stored.passwordHash, "correct horse battery")).toBe(true);
    expect(await t.db.auditEvent.findMany({ select: { action: true, actorId: true, targetId: true, ip: true } })).toEqual([
      { action: "user.create", actorId: admin.id, targetId: admin.id, ip: "10.1.1.1" },
    ]);

    await expect(createFirstAdmin(t.db, { name: "Eve", email: "eve@example.org", password: "another password" })).rejects.toThrow(
      new UserError("Spoolcast already has an administrator. Sign in instead."),
    );
    expect(await t.db.user.count()).toBe(1);
  });

  it("lets exactly one of several simultaneous setups win", async () => {
    t = await createTestDb(provider);
    const db = t.db;
    const attempts = await Promise.allSettled(
      ["a", "b", "c", "d"].map((n) =>
        createFirstAdmin(db, { name: n, email: `${n}@example.org`, password: "correct horse battery" }),
      ),
    );
    const won = attempts.filter((a) => a.status === "fulfilled");
    const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === "rejected");
    expect(won).toHaveLength(1);
    for (const l of lost) expect(l.reason).toBeInstanceOf(UserError);
    expect(await db.user.count()).toBe(1);
    expect(await db.user.count({ where: { role: "admin" } })).toBe(1);
    expect(await db.auditEvent.count()).toBe(1);
  });

  it("stays closed when the same email races itself", async () => {
    t = await createTestDb(provider);
    const db = t.db;
    const input = { name: "Ada", email: "ada@example.org", password: "correct horse battery" };
    const attempts = await Promise.allSettled([createFirstAdmin(db, input), createFirstAdmin(db, input)]);
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    expect(await db.user.count()).toBe(1);
  });
});
