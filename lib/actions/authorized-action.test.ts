import { redirect } from "next/navigation";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { SessionUser } from "@/lib/auth/session";
import { UserError } from "@/lib/errors";

const auth = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/current-user", () => ({
  getCurrentUser: async () => auth.user,
  getRequestIp: async () => "203.0.113.9",
}));
const logged = vi.hoisted(() => [] as unknown[]);
vi.mock("@/lib/log", () => ({ log: { error: (o: unknown) => logged.push(o), warn: () => {} } }));

const { NOT_PERMITTED, SESSION_ENDED, authorizedAction } = await import("@/lib/actions/authorized-action");

const user = (role: string): SessionUser => ({
  id: `u-${role}`,
  email: `${role}@example.org`,
  name: `The ${role}`,
  role,
  deskEndpoint: null,
});
const schema = z.object({ name: z.string().trim().min(1, "Enter a name."), size: z.number().int().max(10, "Too big.") });

describe("authorizedAction", () => {
  const handler = vi.fn<(input: z.output<typeof schema>) => Promise<{ echoed: string }>>(async (input) => ({
    echoed: input.name,
  }));
  const action = authorizedAction("groups.edit", schema, handler);
  beforeEach(() => {
    handler.mockClear();
    logged.length = 0;
    auth.user = user("operator");
  });

  it("refuses an anonymous caller without running the handler", async () => {
    auth.user = null;
    expect(await action({ name: "x", size: 1 })).toEqual({ ok: false, error: SESSION_ENDED });
    expect(handler).not.toHaveBeenCalled();
  });

  it("refuses a viewer before even reading the input", async () => {
    auth.user = user("viewer");
    expect(await action({ name: "x", size: 1 })).toEqual({ ok: false, error: NOT_PERMITTED });
    expect(await action(undefined as never)).toEqual({ ok: false, error: NOT_PERMITTED });
    expect(handler).not.toHaveBeenCalled();
  });

  it("runs the handler with parsed input and the caller's context", async () => {
    const result = await action({ name: "  Lobby  ", size: 3 });
    expect(result).toEqual({ ok: true, data: { echoed: "Lobby" } });
    expect(handler).toHaveBeenCalledWith(
      { name: "Lobby", size: 3 },
      { user: user("operator"), ip: "203.0.113.9", actor: { type: "user", id: "u-operator", name: "The operator" } },
    );
  });

  it("names each invalid field", async () => {
    expect(await action({ name: " ", size: 11 })).toEqual({
      ok: false,
      error: "Some fields need attention.",
      fieldErrors: { name: "Enter a name.", size: "Too big." },
    });
    expect(await action({ name: "ok", size: 11 })).toEqual({ ok: false, error: "Too big.", fieldErrors: { size: "Too big." } });
    expect(handler).not.toHaveBeenCalled();
  });

  it("shows a UserError's message, on its field when it has one", async () => {
    const fails = authorizedAction("groups.edit", schema, async () => {
      throw new UserError("A group with this name already exists.", { field: "name" });
    });
    expect(await fails({ name: "a", size: 1 })).toEqual({
      ok: false,
      error: "A group with this name already exists.",
      fieldErrors: { name: "A group with this name already exists." },
    });
    const general = authorizedAction("groups.edit", schema, async () => {
      throw new UserError("The host is disabled.");
    });
    expect(await general({ name: "a", size: 1 })).toEqual({ ok: false, error: "The host is disabled." });
  });

  it("hides unexpected errors behind a logged reference id", async () => {
    const crashes = authorizedAction("groups.edit", schema, async () => {
      throw new Error("SQLITE_BUSY: database is locked at /secret/path");
    });
    const result = await crashes({ name: "a", size: 1 });
    expect(result.ok).toBe(false);
    const message = (result as { error: string }).error;
    expect(message).not.toContain("SQLITE");
    const reference = /reference ([0-9a-f]{8})/.exec(message)?.[1];
    expect(reference).toBeDefined();
    expect(logged).toEqual([expect.objectContaining({ reference, capability: "groups.edit", userId: "u-operator" })]);
  });

  it("lets Next.js redirects through", async () => {
    const redirects = authorizedAction("groups.edit", schema, async () => redirect("/contacts"));
    await expect(redirects({ name: "a", size: 1 })).rejects.toMatchObject({ digest: expect.stringContaining("NEXT_REDIRECT") });
  });
});
