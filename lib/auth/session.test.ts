import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  SESSION_TTL_MS,
  createSession,
  destroySession,
  hashSessionToken,
  sessionCookieOptions,
  validateSession,
} from "@/lib/auth/session";
import { createTestDb, type TestDb } from "@/tests/support/test-db";

const T0 = new Date("2026-03-01T09:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const DAY = 24 * 60 * 60 * 1000;

describe("session tokens and cookies", () => {
  it("stores only the SHA-256 of the cookie value", () => {
    expect(hashSessionToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("sets an httpOnly, SameSite=Lax cookie, Secure only over https", () => {
    const expires = at(SESSION_TTL_MS);
    expect(sessionCookieOptions(expires, false)).toEqual({ httpOnly: true, sameSite: "lax", secure: false, path: "/", expires });
    expect(sessionCookieOptions(expires, true).secure).toBe(true);
  });
});

describe("session lifecycle (SQLite)", () => {
  let t: TestDb;
  let userId: string;
  beforeEach(async () => {
    t = await createTestDb("sqlite");
    userId = (await t.db.user.create({ data: { email: "a@example.org", name: "A", passwordHash: "x", role: "operator" } })).id;
  });
  afterEach(async () => t.drop());

  it("creates a 7-day session whose row id is the token hash, and finds its user", async () => {
    const { token, expiresAt } = await createSession(t.db, { userId, ip: "10.0.0.1", userAgent: "test", now: T0 });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresAt).toEqual(at(SESSION_TTL_MS));
    const rows = await t.db.session.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(hashSessionToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    const found = await validateSession(t.db, token, at(1000));
    expect(found?.user).toEqual({ id: userId, email: "a@example.org", name: "A", role: "operator", deskEndpoint: null });
  });

  it("slides the expiry on use, and expires after 7 idle days", async () => {
    const { token } = await createSession(t.db, { userId, now: T0 });
    const renewed = await validateSession(t.db, token, at(6 * DAY));
    expect(renewed?.renewedUntil).toEqual(at(13 * DAY));
    expect(await validateSession(t.db, token, at(12 * DAY))).not.toBeNull();
    // 12 days + 7 days idle later it is gone, and its row deleted.
    expect(await validateSession(t.db, token, at(19 * DAY + 1))).toBeNull();
    expect(await t.db.session.count()).toBe(0);
  });

  it("refuses unknown, empty and oversize tokens", async () => {
    await createSession(t.db, { userId, now: T0 });
    expect(await validateSession(t.db, "not-a-token", T0)).toBeNull();
    expect(await validateSession(t.db, "", T0)).toBeNull();
    expect(await validateSession(t.db, "x".repeat(500), T0)).toBeNull();
  });

  it("ends a session on sign-out and refuses it for a disabled user", async () => {
    const a = await createSession(t.db, { userId, now: T0 });
    const b = await createSession(t.db, { userId, now: T0 });
    await destroySession(t.db, a.token);
    expect(await validateSession(t.db, a.token, T0)).toBeNull();
    await t.db.user.update({ where: { id: userId }, data: { disabled: true } });
    expect(await validateSession(t.db, b.token, T0)).toBeNull();
  });
});
