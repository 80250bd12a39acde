import { describe, expect, it } from "vitest";
import { IVR_SECRET_KEY } from "@/lib/ivr/ivr-secret";
import { isSealed, openSecret, SealedSecretError, SECRET_SETTING_KEYS, sealSecret } from "./at-rest";

const SITE = "a-site-secret-of-at-least-32-characters";
const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";

describe("secrets sealed at rest", () => {
  it("seals so that the stored value shows nothing of the secret, and opens it back", () => {
    const sealed = sealSecret(KEY, SITE);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain("OPENSSH");
    expect(sealed).not.toContain("b3BlbnNzaC1rZXktdjEAAAAA");
    expect(openSecret(sealed, SITE)).toBe(KEY);
    expect(sealSecret(KEY, SITE)).not.toBe(sealed); // a fresh IV each time
  });

  it("refuses to open with another site secret, or a value that was altered", () => {
    const sealed = sealSecret(KEY, SITE);
    expect(() => openSecret(sealed, "another-site-secret-of-32-characters!!")).toThrow(SealedSecretError);
    const [iv, tag, ct] = sealed.slice("sealed:v1:".length).split(".");
    const flipped = Buffer.from(ct!, "base64url");
    flipped[0]! ^= 1;
    expect(() => openSecret(`sealed:v1:${iv}.${tag}.${flipped.toString("base64url")}`, SITE)).toThrow(SealedSecretError);
    expect(() => openSecret("sealed:v1:garbage", SITE)).toThrow("cannot be opened with this SPOOLCAST_SECRET");
  });

  it("passes a plaintext value from before sealing through unchanged", () => {
    expect(openSecret(KEY, SITE)).toBe(KEY);
    expect(openSecret(null, SITE)).toBeNull();
  });

  it("covers the setting that holds the rotated IVR secrets", () => {
    expect(SECRET_SETTING_KEYS).toContain(IVR_SECRET_KEY);
  });
});
