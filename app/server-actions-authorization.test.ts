/**
 * Every server action in app/ refuses a viewer (issue 3: "a viewer cannot mutate anything").
 * It imports each `actions.ts`, calls every exported action as a signed-in viewer with an
 * empty input, and expects the permission refusal — so an action added later without
 * `authorizedAction`, or with a capability viewers hold, fails here.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";

vi.mock("@/lib/auth/current-user", () => ({
  getCurrentUser: async () => ({ id: "u-viewer", email: "v@example.org", name: "Viewer", role: "viewer", deskEndpoint: null }),
  getRequestIp: async () => "203.0.113.9",
  isSecureRequest: async () => false,
}));
vi.mock("@/lib/log", () => ({ log: { warn: () => {}, error: () => {}, info: () => {} } }));
vi.mock("next/cache", () => ({
  revalidatePath: () => {
    throw new Error("a refused action must not revalidate");
  },
  revalidateTag: () => {
    throw new Error("a refused action must not revalidate");
  },
}));

const { NOT_PERMITTED } = await import("@/lib/actions/authorized-action");

// Actions anonymous visitors need; they do their own checks (one-shot setup, rate-limited sign-in).
const PUBLIC_ACTION_FILES = new Set([path.join("app", "(auth)", "actions.ts")]);
// Actions on the caller's own account (account.edit, which viewers hold): not refused, but
// they take the user from the session only, so there is nobody else's account to reach.
const SELF_SERVICE_ACTION_FILES = new Set([path.join("app", "(app)", "account", "actions.ts")]);

function findActionFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return findActionFiles(full);
    return name === "actions.ts" ? [full] : [];
  });
}

const root = path.resolve(import.meta.dirname, "..");
const files = findActionFiles(path.join(root, "app")).map((f) => path.relative(root, f));

describe("server actions refuse a viewer", () => {
  it("finds the action files", () => {
    expect(files.length).toBeGreaterThan(PUBLIC_ACTION_FILES.size);
  });

  for (const file of files.filter((f) => SELF_SERVICE_ACTION_FILES.has(f))) {
    it(`every action in ${file} reaches validation, for the caller's own account only`, async () => {
      const mod = (await import(path.join(root, file))) as Record<string, unknown>;
      for (const [name, action] of Object.entries(mod) as [string, (i: unknown) => Promise<{ ok: boolean; error?: string }>][]) {
        const result = await action({ userId: "someone-else" });
        expect({ name, ok: result.ok, refused: result.error === NOT_PERMITTED }).toEqual({ name, ok: false, refused: false });
      }
    });
  }

  for (const file of files.filter((f) => !PUBLIC_ACTION_FILES.has(f) && !SELF_SERVICE_ACTION_FILES.has(f))) {
    it(`every action in ${file}`, async () => {
      const mod = (await import(path.join(root, file))) as Record<string, unknown>;
      const actions = Object.entries(mod).filter(([, v]) => typeof v === "function") as [
        string,
        (i: unknown) => Promise<unknown>,
      ][];
      expect(actions.length).toBeGreaterThan(0);
      for (const [name, action] of actions) {
        expect({ name, result: await action({}) }).toEqual({ name, result: { ok: false, error: NOT_PERMITTED } });
      }
    });
  }
});
