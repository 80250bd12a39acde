import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PROVIDERS, createTestDb, type TestDb } from "./support/test-db";
import { listAuditEvents } from "@/lib/audit/record-audit";
import { verifyPassword } from "@/lib/auth/password";
import { createSession, validateSession } from "@/lib/auth/session";
import { createFirstAdmin } from "@/lib/auth/setup";
import { signIn } from "@/lib/auth/sign-in";
import {
  changeOwnPassword,
  changeUserRole,
  createUser,
  listUsers,
  resetUserPassword,
  setDeskEndpoint,
  setUserDisabled,
  type MutationContext,
} from "@/lib/auth/users";
import { hashSessionToken } from "@/lib/auth/session";
import { UserError } from "@/lib/errors";

const PASSWORD = "correct horse battery";

describe.each(PROVIDERS)("user administration on %s", (provider) => {
  let t: TestDb;
  let ctx: MutationContext;
  let adminId: string;
  beforeEach(async () => {
    t = await createTestDb(provider);
    adminId = (await createFirstAdmin(t.db, { name: "Ada", email: "ada@example.org", password: PASSWORD })).id;
    ctx = { actor: { type: "user", id: adminId, name: "Ada" }, ip: "10.0.0.1" };
  });
  afterEach(async () => t.drop());

  it("creates users, refuses a duplicate email on the email field, and audits each change", async () => {
    const vera = await createUser(t.db, { name: "Vera", email: "vera@example.org", role: "viewer", password: PASSWORD }, ctx);
    await expect(
      createUser(t.db, { name: "V2", email: "vera@example.org", role: "admin", password: PASSWORD }, ctx),
    ).rejects.toMatchObject({
      message: "A user with this email already exists.",
      field: "email",
    });
    await changeUserRole(t.db, { userId: vera.id, role: "operator" }, ctx);
    await setUserDisabled(t.db, { userId: vera.id, disabled: true }, ctx);
    await resetUserPassword(t.db, { userId: vera.id, password: "a brand new password" }, ctx);

    expect((await listUsers(t.db)).map((u) => [u.email, u.role, u.disabled])).toEqual([
      ["ada@example.org", "admin", false],
      ["vera@example.org", "operator", true],
    ]);
    const hash = await t.db.user.findUniqueOrThrow({ where: { id: vera.id }, select: { passwordHash: true } });
    expect(await verifyPassword(hash.passwordHash, "a brand new password")).toBe(true);

    const audit = await listAuditEvents(t.db, { action: "user." });
    expect(audit.events.map((e) => [e.action, e.actorName, e.targetId, e.summary])).toEqual([
      ["user.password.reset", "Ada", vera.id, "Password of Vera <vera@example.org> reset; their sessions were ended"],
      ["user.disable", "Ada", vera.id, "Disabled Vera <vera@example.org>"],
      ["user.role.change", "Ada", vera.id, "Vera <vera@example.org>: role viewer → operator"],
      ["user.create", "Ada", vera.id, "Created Vera <vera@example.org> as viewer"],
      ["user.create", "Ada", adminId, "First administrator Ada <ada@example.org> created at setup"],
    ]);
  });

  it("never leaves the site without an active admin, and nobody disables themselves", async () => {
    await expect(changeUserRole(t.db, { userId: adminId, role: "viewer" }, ctx)).rejects.toBeInstanceOf(UserError);
    await expect(setUserDisabled(t.db, { userId: adminId, disabled: true }, ctx)).rejects.toThrow(
      "You cannot disable your own account.",
    );
    const bob = await createUser(t.db, { name: "Bob", email: "bob@example.org", role: "admin", password: PASSWORD }, ctx);
    const bobCtx: MutationContext = { actor: { type: "user", id: bob.id, name: "Bob" } };
    // With a second admin, Ada may be demoted (by Bob) ...
    await changeUserRole(t.db, { userId: adminId, role: "operator" }, bobCtx);
    // ... and then Bob is the last one.
    await expect(changeUserRole(t.db, { userId: bob.id, role: "viewer" }, bobCtx)).rejects.toThrow(/last active administrator/);
    expect(await t.db.user.count({ where: { role: "admin", disabled: false } })).toBe(1);
  });

  it("a password reset ends the user's sessions", async () => {
    const vera = await createUser(t.db, { name: "Vera", email: "vera@example.org", role: "viewer", password: PASSWORD }, ctx);
    const { token } = await createSession(t.db, { userId: vera.id });
    await resetUserPassword(t.db, { userId: vera.id, password: "a brand new password" }, ctx);
    expect(await validateSession(t.db, token)).toBeNull();
  });

  it("a user changes their own password only with the current one, ending their other sessions", async () => {
    const vera = await createUser(t.db, { name: "Vera", email: "vera@example.org", role: "viewer", password: PASSWORD }, ctx);
    const veraCtx: MutationContext = { actor: { type: "user", id: vera.id, name: "Vera" } };
    const here = await createSession(t.db, { userId: vera.id });
    const elsewhere = await createSession(t.db, { userId: vera.id });
    await expect(
      changeOwnPassword(t.db, { userId: vera.id, currentPassword: "wrong one", newPassword: "a brand new password" }, veraCtx),
    ).rejects.toMatchObject({ field: "currentPassword" });
    await expect(
      changeOwnPassword(t.db, { userId: vera.id, currentPassword: PASSWORD, newPassword: PASSWORD }, veraCtx),
    ).rejects.toMatchObject({
      field: "newPassword",
    });
    await changeOwnPassword(
      t.db,
      {
        userId: vera.id,
        currentPassword: PASSWORD,
        newPassword: "a brand new password",
        keepSessionId: hashSessionToken(here.token),
      },
      veraCtx,
    );
    expect(await validateSession(t.db, here.token)).not.toBeNull();
    expect(await validateSession(t.db, elsewhere.token)).toBeNull();
    await expect(signIn(t.db, { email: "vera@example.org", password: PASSWORD })).rejects.toThrow(
      "Email or password is incorrect.",
    );
    await expect(signIn(t.db, { email: "vera@example.org", password: "a brand new password" })).resolves.toBeTruthy();
    expect(await t.db.auditEvent.count({ where: { action: "user.password.change", actorId: vera.id, targetId: vera.id } })).toBe(
      1,
    );
  });

  it("sets and clears a desk phone, auditing only real changes", async () => {
    expect(await setDeskEndpoint(t.db, { userId: adminId, deskEndpoint: "PJSIP/1001" }, ctx)).toEqual({
      deskEndpoint: "PJSIP/1001",
    });
    await setDeskEndpoint(t.db, { userId: adminId, deskEndpoint: "PJSIP/1001" }, ctx);
    expect(await setDeskEndpoint(t.db, { userId: adminId, deskEndpoint: "" }, ctx)).toEqual({ deskEndpoint: null });
    expect((await t.db.user.findUniqueOrThrow({ where: { id: adminId } })).deskEndpoint).toBeNull();
    const events = await listAuditEvents(t.db, { action: "user.desk-phone.change" });
    expect(events.events.map((e) => e.summary)).toEqual([
      "Desk phone of Ada: PJSIP/1001 → none",
      "Desk phone of Ada: none → PJSIP/1001",
    ]);
  });

  it("takes a desk phone as any destination, in canonical form, and names the field of a bad one", async () => {
    expect(await setDeskEndpoint(t.db, { userId: adminId, deskEndpoint: "2001" }, ctx)).toEqual({ deskEndpoint: "2001" });
    expect(await setDeskEndpoint(t.db, { userId: adminId, deskEndpoint: "pjsip/2001" }, ctx)).toEqual({
      deskEndpoint: "PJSIP/2001",
    });
    await expect(setDeskEndpoint(t.db, { userId: adminId, deskEndpoint: "PJSIP/20 01" }, ctx)).rejects.toMatchObject({
      field: "deskEndpoint",
    });
    await expect(setDeskEndpoint(t.db, { userId: adminId, deskEndpoint: "PJSIP/1&PJSIP/2" }, ctx)).rejects.toMatchObject({
      field: "deskEndpoint",
    });
  });

  it("filters and pages the audit log newest first", async () => {
    for (let i = 0; i < 7; i++) {
      await createUser(t.db, { name: `User ${i}`, email: `u${i}@example.org`, role: "viewer", password: PASSWORD }, ctx);
    }
    const page1 = await listAuditEvents(t.db, { action: "user.create" }, { page: 1, pageSize: 3 });
    expect(page1).toMatchObject({ total: 8, page: 1, pageCount: 3 });
    expect(page1.events.map((e) => e.summary)).toEqual([
      "Created User 6 <u6@example.org> as viewer",
      "Created User 5 <u5@example.org> as viewer",
      "Created User 4 <u4@example.org> as viewer",
    ]);
    const last = await listAuditEvents(t.db, { action: "user.create" }, { page: 99, pageSize: 3 });
    expect(last.page).toBe(3);
    expect(last.events).toHaveLength(2);
    expect((await listAuditEvents(t.db, { query: "u3@example" })).events).toHaveLength(1);
    expect((await listAuditEvents(t.db, { from: new Date(Date.now() + 3_600_000) })).total).toBe(0);
  });
});
