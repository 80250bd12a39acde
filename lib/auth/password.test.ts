import { hash } from "@node-rs/argon2";
import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from "@/lib/auth/password";
import { passwordSchema } from "@/lib/auth/password-policy";

describe("password hashing", () => {
  it("stores an argon2id PHC string with OWASP parameters and a fresh salt", async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain("correct horse battery");
  });

  it("verifies the right password and rejects a wrong one", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(await verifyPassword(stored, "correct horse battery")).toBe(true);
    expect(await verifyPassword(stored, "correct horse batterY")).toBe(false);
    expect(await verifyPassword(stored, "")).toBe(false);
  });

  it("treats a malformed stored hash as a mismatch, not a crash", async () => {
    expect(await verifyPassword("not-a-hash", "anything")).toBe(false);
    expect(await verifyPassword("", "anything")).toBe(false);
    expect(await verifyAgainstDummy("anything")).toBe(false);
  });

  it("asks for a rehash when a stored hash is weaker than today's policy", async () => {
    expect(needsRehash(await hashPassword("x".repeat(12)))).toBe(false);
    expect(needsRehash(await hash("x".repeat(12), { memoryCost: 4096, timeCost: 1, algorithm: 2 }))).toBe(true);
    expect(needsRehash(await hash("x".repeat(12), { algorithm: 1, memoryCost: 19456, timeCost: 2 }))).toBe(true);
    expect(needsRehash("garbage")).toBe(true);
  });

  it("requires 10 to 256 characters in a new password", () => {
    expect(passwordSchema.safeParse("123456789").error?.issues[0]?.message).toBe("Use at least 10 characters.");
    expect(passwordSchema.safeParse("1234567890").success).toBe(true);
    expect(passwordSchema.safeParse("x".repeat(257)).success).toBe(false);
  });
});
