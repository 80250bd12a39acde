import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";

describe("safeRedirectPath", () => {
  it("keeps same-site paths with their query", () => {
    expect(safeRedirectPath("/settings/users")).toBe("/settings/users");
    expect(safeRedirectPath("/contacts?q=ann&page=2")).toBe("/contacts?q=ann&page=2");
  });

  it("refuses anything that could leave the site or loop back to sign-in", () => {
    for (const bad of [
      "https://evil.example",
      "//evil.example",
      "/\\evil.example",
      "/a\\b",
      "/ok\r\nSet-Cookie: x",
      "evil",
      "/login",
      "/setup?x=1",
      "",
    ]) {
      expect(safeRedirectPath(bad)).toBe("/");
    }
    expect(safeRedirectPath(undefined, "/home")).toBe("/home");
  });
});
