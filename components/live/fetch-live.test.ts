import { afterEach, describe, expect, it, vi } from "vitest";
import { fetchLive } from "./use-live";

describe("fetchLive", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("returns a 2xx answer as it came", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response('{"ok":true}', { status: 200 })),
    );
    const res = await fetchLive("/x");
    expect(await res.json()).toEqual({ ok: true });
    expect(vi.mocked(fetch)).toHaveBeenCalledWith("/x", { cache: "no-store" });
  });

  it("turns a network failure into plain words, not the browser's 'Failed to fetch'", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => {
        throw new TypeError("Failed to fetch");
      }),
    );
    await expect(fetchLive("/x")).rejects.toThrow("no answer from the server");
  });

  it("uses the route's own error message when it sent one", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => Response.json({ error: "Sign in to watch this PA." }, { status: 401 })),
    );
    await expect(fetchLive("/x")).rejects.toThrow("Sign in to watch this PA.");
  });

  it("names the status when the answer has no error message", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response("<html>Bad gateway</html>", { status: 502 })),
    );
    await expect(fetchLive("/x")).rejects.toThrow("the server answered 502");
  });
});
