import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PROVIDERS, createTestDb, type TestDb } from "./support/test-db";
import { LOGIN_MAX_FAILURES, LOGIN_WINDOW_MS } from "@/lib/auth/rate-limit";
import { SESSION_TTL_MS, validateSession } from "@/lib/auth/session";
import { createFirstAdmin } from "@/lib/auth/setup";
import { BAD_CREDENTIALS, signIn, signOut } from "@/lib/auth/sign-in";
import { createUser, setUserDisabled } from "@/lib/auth/users";

const T0 = new Date("2026-03-01T09:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const PASSWORD = "correct horse battery";

describe.each(PROVIDERS)("sign-in on %s", (provider) => {
  let t: TestDb;
  let adminId: string;
  beforeEach(async () => {
    t = await createTestDb(provider);
    adminId = (await createFirstAdmin(t.db, { name: "Ada", email: "ada@example.org", password: PASSWORD })).id;
  });
  afterEach(async () => t.drop());

  it("opens a session for the right password, case-insensitive email, and records it", async () => {
    const { token, user, expiresAt } = await signIn(t.db, {
      email: " ADA@example.org",
      password: PASSWORD,
      ip: "10.0.0.1",
      now: T0,
    });
    expect(user).toEqual({ id: adminId, email: "ada@example.org", name: "Ada", role: "admin", deskEndpoint: null });
    expect(expiresAt).toEqual(at(SESSION_TTL_MS));
    expect((await validateSession(t.db, token, at(1000)))?.user.id).toBe(adminId);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: adminId } })).lastLoginAt).toEqual(T0);
    expect(await t.db.auditEvent.count({ where: { action: "auth.login", actorId: adminId } })).toBe(1);

    await signOut(t.db, { token, ip: "10.0.0.1" });
    expect(await validateSession(t.db, token, at(2000))).toBeNull();
    expect(await t.db.auditEvent.count({ where: { action: "auth.logout", actorId: adminId } })).toBe(1);
  });

  it("gives the same answer for a wrong password and an unknown email", async () => {
    await expect(signIn(t.db, { email: "ada@example.org", password: "wrong password", now: T0 })).rejects.toThrow(
      BAD_CREDENTIALS,
    );
    await expect(signIn(t.db, { email: "nobody@example.org", password: PASSWORD, now: T0 })).rejects.toThrow(BAD_CREDENTIALS);
    expect(await t.db.session.count()).toBe(0);
  });

  it(`locks an email+address out after ${LOGIN_MAX_FAILURES} failures, even for the right password, until the window passes`, async () => {
    const ip = "10.0.0.9";
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++) {
      await expect(signIn(t.db, { email: "ada@example.org", password: `guess ${i}`, ip, now: at(i * 1000) })).rejects.toThrow(
        BAD_CREDENTIALS,
      );
    }
    await expect(signIn(t.db, { email: "ada@example.org", password: PASSWORD, ip, now: at(10_000) })).rejects.toThrow(
      "Too many failed sign-in attempts. Try again in 15 minutes.",
    );
    // Someone else's address is not locked out.
    await expect(
      signIn(t.db, { email: "ada@example.org", password: PASSWORD, ip: "10.0.0.10", now: at(10_000) }),
    ).resolves.toBeTruthy();
    // Once the first failure leaves the window, one more attempt is allowed; success clears the rest.
    await expect(
      signIn(t.db, { email: "ada@example.org", password: PASSWORD, ip, now: at(LOGIN_WINDOW_MS + 1) }),
    ).resolves.toBeTruthy();
    await expect(signIn(t.db, { email: "ada@example.org", password: "wrong", ip, now: at(LOGIN_WINDOW_MS + 2) })).rejects.toThrow(
      BAD_CREDENTIALS,
    );
  });

  it("expires a session after 7 idle days and keeps a used one alive", async () => {
    const idle = await signIn(t.db, { email: "ada@example.org", password: PASSWORD, now: T0 });
    const used = await signIn(t.db, { email: "ada@example.org", password: PASSWORD, now: T0 });
    for (let day = 1; day <= 10; day++) expect(await validateSession(t.db, used.token, at(day * 86_400_000))).not.toBeNull();
    expect(await validateSession(t.db, idle.token, at(SESSION_TTL_MS + 1))).toBeNull();
    expect(await t.db.session.count()).toBe(1);
  });

  it("refuses a disabled user and ends their open sessions", async () => {
    const ctx = { actor: { type: "user" as const, id: adminId, name: "Ada" } };
    const op = await createUser(t.db, { name: "Otto", email: "otto@example.org", role: "operator", password: PASSWORD }, ctx);
    const session = await signIn(t.db, { email: "otto@example.org", password: PASSWORD, now: T0 });
    await setUserDisabled(t.db, { userId: op.id, disabled: true }, ctx);
    expect(await validateSession(t.db, session.token, at(1000))).toBeNull();
    expect(await t.db.session.count({ where: { userId: op.id } })).toBe(0);
    await expect(signIn(t.db, { email: "otto@example.org", password: PASSWORD, now: at(2000) })).rejects.toThrow(
      "This account is disabled. Ask an administrator to re-enable it.",
    );
    await setUserDisabled(t.db, { userId: op.id, disabled: false }, ctx);
    await expect(signIn(t.db, { email: "otto@example.org", password: PASSWORD, now: at(3000) })).resolves.toBeTruthy();
  });
});
