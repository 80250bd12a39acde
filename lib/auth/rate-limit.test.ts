import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  LOGIN_MAX_FAILURES,
  LOGIN_MAX_FAILURES_PER_EMAIL,
  LOGIN_WINDOW_MS,
  checkLoginRateLimit,
  clearLoginFailures,
  describeRetryAfter,
  loginAttemptKey,
  recordLoginFailure,
} from "@/lib/auth/rate-limit";
import { createTestDb, type TestDb } from "@/tests/support/test-db";

const T0 = new Date("2026-03-01T09:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;

describe("login rate limit helpers", () => {
  it("keys attempts by lower-cased email and address", () => {
    expect(loginAttemptKey(" Ann@Example.org ", "10.0.0.1")).toBe("ann@example.org|10.0.0.1");
    expect(loginAttemptKey("ann@example.org", null)).toBe("ann@example.org|unknown");
  });

  it("words the wait in minutes, or seconds under a minute", () => {
    expect(describeRetryAfter(1)).toBe("1 second");
    expect(describeRetryAfter(59)).toBe("59 seconds");
    expect(describeRetryAfter(60)).toBe("1 minute");
    expect(describeRetryAfter(14 * 60 + 1)).toBe("15 minutes");
  });
});

describe("login rate limit (SQLite)", () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb("sqlite");
  });
  afterEach(async () => t.drop());
  const who = { email: "ann@example.org", ip: "10.0.0.1" };
  const key = loginAttemptKey(who.email, who.ip);

  it(`allows ${LOGIN_MAX_FAILURES} failures in the window, then says when to retry`, async () => {
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++) {
      expect(await checkLoginRateLimit(t.db, who, at(i * MIN))).toEqual({ allowed: true });
      await recordLoginFailure(t.db, key, at(i * MIN));
    }
    const blocked = await checkLoginRateLimit(t.db, who, at(5 * MIN));
    // The first failure (t0) leaves the 15-minute window at t0 + 15 min: 10 minutes from now.
    expect(blocked).toEqual({ allowed: false, retryAt: at(LOGIN_WINDOW_MS), retryAfterSeconds: 600 });
    expect(await checkLoginRateLimit(t.db, { ...who, email: "ANN@example.org" }, at(5 * MIN))).toMatchObject({ allowed: false });
    // Another address is counted separately.
    expect(await checkLoginRateLimit(t.db, { ...who, ip: "10.0.0.2" }, at(5 * MIN))).toEqual({ allowed: true });
    expect(await checkLoginRateLimit(t.db, who, at(LOGIN_WINDOW_MS + 1))).toEqual({ allowed: true });
  });

  it("forgets a key's failures after a successful sign-in", async () => {
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++) await recordLoginFailure(t.db, key, T0);
    await clearLoginFailures(t.db, key);
    expect(await checkLoginRateLimit(t.db, who, T0)).toEqual({ allowed: true });
  });

  it("caps failures per email across addresses, so a spoofed X-Forwarded-For does not help", async () => {
    for (let i = 0; i < LOGIN_MAX_FAILURES_PER_EMAIL; i++) {
      await recordLoginFailure(t.db, loginAttemptKey(who.email, `192.0.2.${i}`), at(i * 1000));
    }
    expect(await checkLoginRateLimit(t.db, { ...who, ip: "198.51.100.7" }, at(30_000))).toMatchObject({ allowed: false });
    expect(await checkLoginRateLimit(t.db, { email: "bob@example.org", ip: "198.51.100.7" }, at(30_000))).toEqual({
      allowed: true,
    });
  });

  it("prunes attempts older than the window as new ones arrive", async () => {
    await recordLoginFailure(t.db, key, T0);
    await recordLoginFailure(t.db, loginAttemptKey("other@example.org", "1.2.3.4"), at(LOGIN_WINDOW_MS + MIN));
    expect(await t.db.loginAttempt.count()).toBe(1);
  });
});
