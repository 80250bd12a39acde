/** The results CSV export: signed-in users with calls.view only, filters from the query string, audited. */
import { describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";

let currentUser: SessionUser | null = null;
const audits: { action: string; summary?: string }[] = [];
const seenFilters: unknown[] = [];

vi.mock("@/lib/auth/current-user", () => ({ getCurrentUser: async () => currentUser, getRequestIp: async () => "203.0.113.9" }));
vi.mock("@/lib/db", () => ({ db: () => ({}) }));
vi.mock("@/lib/audit/record-audit", () => ({
  recordAudit: async (_db: unknown, e: { action: string; summary?: string }) => void audits.push(e),
}));
vi.mock("@/lib/results/export-calls", () => ({
  exportCallsCsv: async function* (_db: unknown, filters: unknown) {
    seenFilters.push(filters);
    yield '"call_id"\r\n';
    yield '"c1"\r\n';
  },
}));

const { GET } = await import("./route");
const get = (qs = "") => GET(new Request(`http://spoolcast.test/results/export${qs}`));

describe("GET /results/export", () => {
  it("refuses an anonymous request and a role without calls.view", async () => {
    currentUser = null;
    expect((await get()).status).toBe(401);
    currentUser = { id: "u", email: "x@example.org", name: "X", role: "nobody", deskEndpoint: null };
    expect((await get()).status).toBe(403);
    expect(audits).toHaveLength(0);
  });

  it("streams the filtered view as a CSV attachment and audits the export", async () => {
    currentUser = { id: "u", email: "v@example.org", name: "V", role: "viewer", deskEndpoint: null };
    const res = await get("?kind=campaign&state=busy&campaign=k1&q=%2B44");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="calls-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(await res.text()).toBe('"call_id"\r\n"c1"\r\n');
    expect(seenFilters.at(-1)).toMatchObject({ kind: "campaign", state: "busy", campaignId: "k1", q: "+44" });
    expect(audits.at(-1)).toMatchObject({ action: "calls.export", summary: expect.stringContaining("kind=campaign") });
  });
});
