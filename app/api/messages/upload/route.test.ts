/**
 * The upload route refuses before reading the body: anonymous (401), a viewer (403), another
 * site's page (403), an oversize declared length (413). The library itself is never reached.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";

let currentUser: SessionUser | null = null;
const importUpload = vi.fn<() => Promise<never>>(async () => {
  throw new Error("the library must not be reached");
});

vi.mock("@/lib/auth/current-user", () => ({
  getCurrentUser: async () => currentUser,
  getRequestIp: async () => "203.0.113.9",
}));
vi.mock("@/lib/audio/import-audio", () => ({ importUpload }));
vi.mock("@/lib/db", () => ({ db: () => ({}) }));
vi.mock("@/lib/log", () => ({ log: { warn: () => {}, error: () => {}, info: () => {} } }));

const { POST } = await import("./route");

const OPERATOR: SessionUser = { id: "u-op", email: "op@example.org", name: "Op", role: "operator", deskEndpoint: null };
const VIEWER: SessionUser = { ...OPERATOR, id: "u-viewer", role: "viewer" };

function upload(headers: Record<string, string>, body = "x"): Request {
  return new Request("http://spoolcast.test/api/messages/upload", {
    method: "POST",
    headers: { host: "spoolcast.test", origin: "http://spoolcast.test", "content-length": String(body.length), ...headers },
    body,
  });
}

describe("POST /api/messages/upload", () => {
  beforeEach(() => {
    importUpload.mockClear();
  });

  it("asks an anonymous visitor to sign in", async () => {
    currentUser = null;
    const res = await POST(upload({}));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ ok: false, error: "Your session has ended. Sign in again." });
  });

  it("refuses a viewer", async () => {
    currentUser = VIEWER;
    const res = await POST(upload({}));
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatch(/do not have permission/);
    expect(importUpload).not.toHaveBeenCalled();
  });

  it("refuses a post from another site or without an Origin", async () => {
    currentUser = OPERATOR;
    expect((await POST(upload({ origin: "https://evil.example" }))).status).toBe(403);
    const noOrigin = upload({});
    noOrigin.headers.delete("origin");
    expect((await POST(noOrigin)).status).toBe(403);
    expect(importUpload).not.toHaveBeenCalled();
  });

  it("refuses a body declared over 50 MB without reading it", async () => {
    currentUser = OPERATOR;
    const res = await POST(upload({ "content-length": String(60 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ ok: false, fieldErrors: { file: "The file is 60.0 MB; the limit is 50 MB." } });
  });

  it("asks for a file when the form has none", async () => {
    currentUser = OPERATOR;
    const form = new FormData();
    form.set("name", "No file");
    const req = new Request("http://spoolcast.test/api/messages/upload", {
      method: "POST",
      headers: { host: "spoolcast.test", origin: "http://spoolcast.test" },
      body: form,
    });
    const withLength = new Request(req, { headers: { ...Object.fromEntries(req.headers), "content-length": "300" } });
    const res = await POST(withLength);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ fieldErrors: { file: "Choose an audio file." } });
  });
});
