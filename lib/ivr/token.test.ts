import { describe, expect, it } from "vitest";
import { signCallToken, TOKEN_LENGTH, verifyCallToken } from "./token";

describe("IVR call tokens", () => {
  const secret = "s".repeat(40);
  it("are 22 base64url characters and verify only for their own call and secret", () => {
    const t = signCallToken(secret, "ckabc123");
    expect(t).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(t).toHaveLength(TOKEN_LENGTH);
    expect(verifyCallToken(secret, "ckabc123", t)).toBe(true);
    expect(verifyCallToken(secret, "ckabc124", t)).toBe(false);
    expect(verifyCallToken("t".repeat(40), "ckabc123", t)).toBe(false);
    expect(verifyCallToken(secret, "ckabc123", t.slice(0, 21))).toBe(false);
    expect(verifyCallToken(secret, "ckabc123", "")).toBe(false);
  });
});
