/** Playback serves the master copy to signed-in users only, by id, with byte ranges. */
import { describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";

let currentUser: SessionUser | null = null;
const WAV = Buffer.from("RIFF....WAVEfmt 0123456789");

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: async () => currentUser }));
vi.mock("@/lib/db", () => ({
  db: () => ({
    audioMessage: {
      findUnique: async ({ where }: { where: { id: string } }) =>
        where.id === "known" ? { soundName: "spoolcast/msg-0123456789abcdef0123" } : null,
    },
  }),
}));
vi.mock("@/lib/audio/store", () => ({
  readMaster: async (soundName: string) => {
    if (soundName !== "spoolcast/msg-0123456789abcdef0123") throw new Error("unexpected sound name");
    return WAV;
  },
}));

const { GET } = await import("./route");

const VIEWER: SessionUser = { id: "u", email: "v@example.org", name: "V", role: "viewer", deskEndpoint: null };
const get = (id: string, headers: Record<string, string> = {}) =>
  GET(new Request(`http://spoolcast.test/messages/${id}/audio`, { headers }), { params: Promise.resolve({ id }) });

describe("GET /messages/[id]/audio", () => {
  it("refuses an anonymous request", async () => {
    currentUser = null;
    expect((await get("known")).status).toBe(401);
  });

  it("plays a message to a viewer as audio/wav", async () => {
    currentUser = VIEWER;
    const res = await get("known");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("audio/wav");
    expect(Buffer.from(await res.arrayBuffer()).equals(WAV)).toBe(true);
  });

  it("answers 404 for an unknown id", async () => {
    currentUser = VIEWER;
    expect((await get("../../etc/passwd")).status).toBe(404);
  });

  it("serves a byte range and refuses one past the end", async () => {
    currentUser = VIEWER;
    const part = await get("known", { range: "bytes=4-7" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 4-7/${WAV.length}`);
    expect(Buffer.from(await part.arrayBuffer()).toString("latin1")).toBe("....");
    expect((await get("known", { range: `bytes=${WAV.length}-` })).status).toBe(416);
  });
});
