import { describe, expect, it } from "vitest";
import { CAPABILITIES, ROLE_CAPABILITIES, can } from "@/lib/auth/capabilities";

// Capabilities that only look: everything else changes something, and a viewer must hold none.
const READ_ONLY = new Set(["dashboard.view", "contacts.view", "calls.view", "users.view"]);

describe("role capabilities", () => {
  it("gives a viewer no capability that changes anything", () => {
    const viewer = [...ROLE_CAPABILITIES.viewer];
    expect(viewer.filter((c) => !READ_ONLY.has(c))).toEqual([]);
    for (const cap of CAPABILITIES) expect(can({ role: "viewer" }, cap)).toBe(READ_ONLY.has(cap));
  });

  it("lets an operator run calls and contacts but not administer the site", () => {
    for (const cap of ["pa.launch", "campaigns.edit", "wakeups.edit", "contacts.edit", "groups.edit", "calls.place"] as const) {
      expect(can({ role: "operator" }, cap)).toBe(true);
    }
    for (const cap of ["users.manage", "settings.edit", "audit.view", "tokens.manage", "dnc.edit"] as const) {
      expect(can({ role: "operator" }, cap)).toBe(false);
    }
  });

  it("gives an admin every capability", () => {
    for (const cap of CAPABILITIES) expect(can({ role: "admin" }, cap)).toBe(true);
  });

  it("gives nothing to nobody, an unknown role, or a role spelt differently", () => {
    for (const user of [null, undefined, { role: "root" }, { role: "Admin" }, { role: "" }]) {
      expect(CAPABILITIES.some((cap) => can(user, cap))).toBe(false);
    }
  });
});
