/**
 * Every server action in app/ refuses a viewer (issue 3: "a viewer cannot mutate anything").
 * It imports every module whose first statement is "use server" (in app/, components/ and
 * lib/, whatever the file is called), calls every exported action as a signed-in viewer with an
 * empty input, and expects the permission refusal — so an action added later without
 * `authorizedAction`, or with a capability viewers hold, fails here.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
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

/** A module is a server-action module when its first statement is the "use server" directive. */
export function isServerActionModule(text: string): boolean {
  const code = text.replace(/^(\s+|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*/, "");
  return /^(["'])use server\1/.test(code);
}

function findActionFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "node_modules" || name === "generated" ? [] : findActionFiles(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && isServerActionModule(readFileSync(full, "utf8")) ? [full] : [];
  });
}

const root = path.resolve(import.meta.dirname, "..");
// Every folder a "use server" module could live in, whatever the file is called.
const files = ["app", "components", "lib"]
  .flatMap((dir) => findActionFiles(path.join(root, dir)))
  .map((f) => path.relative(root, f));

describe("server actions refuse a viewer", () => {
  it("finds the action files, whatever they are called", () => {
    expect(files.length).toBeGreaterThan(PUBLIC_ACTION_FILES.size);
    expect(files).toContain(path.join("app", "(app)", "contacts", "call-actions.ts"));
  });

  it("tells a server-action module by its directive, not by a mention of it", () => {
    expect(isServerActionModule('"use server";\nexport const a = 1;')).toBe(true);
    expect(isServerActionModule("/** header */\n// note\n'use server'\n")).toBe(true);
    expect(isServerActionModule('/**\n * ```ts\n * "use server";\n * ```\n */\nexport const a = 1;')).toBe(false);
    expect(isServerActionModule('import x from "y";\n"use server";')).toBe(false);
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
