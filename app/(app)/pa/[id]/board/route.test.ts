/** The PA board feed: signed-in users with calls.view only; an unknown PA is a 404. */
import { describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import { UserError } from "@/lib/errors";

let currentUser: SessionUser | null = null;
vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: async () => currentUser }));
vi.mock("@/lib/db", () => ({ db: () => ({}) }));
vi.mock("@/lib/pa/get-pa-board", () => ({
  getPaBoard: async (_db: unknown, id: string) => {
    if (id !== "b1") throw new UserError("No such PA.", { field: "broadcastId" });
    return { broadcast: { id: "b1", createdAt: new Date("2026-11-23T10:00:00Z") }, done: false };
  },
}));

const { GET } = await import("./route");
const get = (id: string) => GET(new Request(`http://spoolcast.test/pa/${id}/board`), { params: Promise.resolve({ id }) });

describe("GET /pa/[id]/board", () => {
  it("refuses an anonymous caller and a role without calls.view", async () => {
    currentUser = null;
    expect((await get("b1")).status).toBe(401);
    currentUser = { id: "u", email: "x@example.org", name: "X", role: "nobody", deskEndpoint: null };
    expect((await get("b1")).status).toBe(403);
  });

  it("gives a viewer the board as JSON, and 404 for an unknown PA", async () => {
    currentUser = { id: "u", email: "v@example.org", name: "V", role: "viewer", deskEndpoint: null };
    const res = await get("b1");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ broadcast: { id: "b1", createdAt: "2026-11-23T10:00:00.000Z" }, done: false });
    const missing = await get("nope");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "No such PA." });
  });
});
