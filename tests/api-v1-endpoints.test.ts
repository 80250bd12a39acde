/**
 * The REST endpoints on top of the PA, click-to-call, campaign and wake-up services, on both
 * databases: a fire panel's PA under concurrent retries happens once, every mutation is
 * audited with the token's name, errors name the field, and each route file serves its
 * endpoint.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PROVIDERS, createTestDb, type TestDb } from "./support/test-db";
import { runEndpoint, type AnyEndpoint } from "@/lib/api/endpoint";
import {
  campaignResultsEndpoint,
  cancelCampaignEndpoint,
  createCampaignEndpoint,
  listCampaignsEndpoint,
  pauseCampaignEndpoint,
  startCampaignEndpoint,
} from "@/lib/api/endpoints/campaigns";
import { clickToCallEndpoint } from "@/lib/api/endpoints/click-to-call";
import { getPaEndpoint, launchPaEndpoint, stopPaEndpoint } from "@/lib/api/endpoints/pa";
import {
  cancelWakeUpEndpoint,
  createWakeUpEndpoint,
  getWakeUpEndpoint,
  listWakeUpsEndpoint,
  updateWakeUpEndpoint,
} from "@/lib/api/endpoints/wakeups";
import { API_ENDPOINTS } from "@/lib/api/registry";
import { API_SCOPES } from "@/lib/api/scopes";
import { createApiToken } from "@/lib/api/tokens";
import { createPaTemplate } from "@/lib/pa/pa-templates";
import type { Db } from "@/lib/db";

// oxlint-disable-next-line no-explicit-any -- response bodies are checked field by field
type Body = any;

async function seed(db: Db) {
  const user = await db.user.create({
    data: { email: "op@example.org", name: "Olga", passwordHash: "x", role: "operator", deskEndpoint: "PJSIP/201" },
  });
  const host = await db.asteriskHost.create({ data: { name: "pbx", isDefault: true, spoolDir: "/spool", soundsDir: "/sounds" } });
  const audio = await db.audioMessage.create({ data: { name: "Evacuate", soundName: "spoolcast/evacuate" } });
  await db.audioDelivery.create({ data: { audioId: audio.id, hostId: host.id, state: "synced", syncedAt: new Date() } });
  const group = await db.contactGroup.create({ data: { name: "Building B" } });
  const mk = (name: string, destination: string) =>
    db.contact.create({
      data: {
        name,
        nameKey: name.toLowerCase(),
        phones: { create: [{ destination, position: 0 }] },
        groups: { create: [{ groupId: group.id }] },
      },
    });
  const alice = await mk("Alice", "+15550000001");
  await mk("Bob", "+15550000002");
  const template = await createPaTemplate(
    db,
    { name: "Fire B", audioId: audio.id, requireAck: true },
    { type: "user", id: user.id, name: "Olga" },
  );
  return { user, audio, group, alice, template };
}

describe.each(PROVIDERS)("REST endpoints on %s", (provider) => {
  let t: TestDb;
  let token: string;
  let s: Awaited<ReturnType<typeof seed>>;
  beforeEach(async () => {
    t = await createTestDb(provider);
    s = await seed(t.db);
    token = (
      await createApiToken(
        t.db,
        { name: "fire panel B", scopes: [...API_SCOPES] },
        { actor: { type: "user", id: s.user.id, name: "Olga" } },
      )
    ).token;
  });
  afterEach(async () => t.drop());

  async function call(
    endpoint: AnyEndpoint,
    opts: { path?: string; params?: Record<string, string>; body?: unknown; key?: string } = {},
  ) {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    if (opts.key) headers["idempotency-key"] = opts.key;
    const url = `http://spoolcast.test/api/v1${opts.path ?? endpoint.path}`;
    const body = endpoint.method === "GET" || endpoint.method === "DELETE" ? undefined : JSON.stringify(opts.body ?? {});
    const res = await runEndpoint(endpoint, new Request(url, { method: endpoint.method, headers, body }), {
      db: t.db,
      params: opts.params,
    });
    return { status: res.status, body: (await res.json()) as Body };
  }

  it("triggers a PA from a template to a group once under concurrent retries, audited as the token", async () => {
    const body = { templateId: s.template.id, groupIds: [s.group.id] };
    const results = await Promise.all(Array.from({ length: 5 }, () => call(launchPaEndpoint, { body, key: "alarm-7781" })));
    for (const r of results) expect(r).toEqual(results[0]);
    expect(results[0]).toMatchObject({ status: 201, body: { recipients: 2 } });
    expect(await t.db.paBroadcast.count()).toBe(1);
    expect(await t.db.call.count({ where: { kind: "pa" } })).toBe(2);
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "pa.launch" } });
    expect(audit).toMatchObject({ actorType: "token", actorName: "fire panel B" });

    const id = results[0]!.body.broadcastId as string;
    const board = await call(getPaEndpoint, { path: `/pa/${id}`, params: { id } });
    expect(board).toMatchObject({ status: 200, body: { broadcast: { id }, counters: { total: 2 } } });
    expect(board.body.recipients.map((r: { name: string }) => r.name).sort()).toEqual(["Alice", "Bob"]);
    const stop = await call(stopPaEndpoint, { path: `/pa/${id}/stop`, params: { id }, key: "stop-1" });
    expect(stop).toMatchObject({ status: 200, body: { cancelled: 2 } });
    // Each recipient carries the board's words next to the machine codes.
    expect(board.body.recipients.map((r: { outcomeLabel: string }) => r.outcomeLabel)).toEqual([
      "Waiting to be placed",
      "Waiting to be placed",
    ]);
    const stopped = await call(getPaEndpoint, { path: `/pa/${id}`, params: { id } });
    expect(
      stopped.body.recipients.map((r: { callState: string; outcomeLabel: string }) => [r.callState, r.outcomeLabel]),
    ).toEqual([
      ["cancelled", "Cancelled"],
      ["cancelled", "Cancelled"],
    ]);
    expect((await t.db.auditEvent.findFirstOrThrow({ where: { action: "pa.stop" } })).actorName).toBe("fire panel B");

    const bad = await call(launchPaEndpoint, { body: { templateId: s.template.id }, key: "alarm-bad" });
    expect(bad).toMatchObject({ status: 422, body: { error: { code: "validation_failed", field: "groupIds" } } });
    // A bad announcement is reported as ttsText (it used to say "name", the library name made from it).
    for (const [i, ttsText] of ["Evacuate\u0000now", "Evacuate\u2028now", "Evacuate\tnow"].entries()) {
      const badText = await call(launchPaEndpoint, { body: { everyone: true, ttsText }, key: `alarm-text-${i}` });
      expect(badText).toMatchObject({ status: 422, body: { error: { field: "ttsText" } } });
    }
    const unknownGroup = await call(launchPaEndpoint, {
      body: { templateId: s.template.id, groupIds: ["nope"] },
      key: "alarm-unknown",
    });
    expect(unknownGroup.status).toBe(422);
    expect(unknownGroup.body.error.field).toBeTruthy();
    expect(await t.db.paBroadcast.count()).toBe(1);
    expect((await call(getPaEndpoint, { path: "/pa/nope", params: { id: "nope" } })).status).toBe(404);
  });

  it("places a click-to-call for a user's desk phone, naming a bad field", async () => {
    const ok = await call(clickToCallEndpoint, { body: { userId: s.user.id, contactId: s.alice.id }, key: "c1" });
    expect(ok).toMatchObject({ status: 201, body: { deskEndpoint: "PJSIP/201", number: "+15550000001", name: "Alice" } });
    const row = await t.db.call.findUniqueOrThrow({ where: { id: ok.body.callId } });
    expect(row).toMatchObject({ kind: "click", channel: "PJSIP/201", destination: "+15550000001" });
    expect((await t.db.auditEvent.findFirstOrThrow({ where: { action: "call.click" } })).actorType).toBe("token");
    const bad = await call(clickToCallEndpoint, { body: { userId: s.user.id, contactId: s.alice.id, number: "555" }, key: "c2" });
    expect(bad).toMatchObject({ status: 422, body: { error: { field: "number" } } });
  });

  it("creates, starts, pauses, cancels a campaign and reads its results", async () => {
    const created = await call(createCampaignEndpoint, {
      body: { name: "Drill reminder", groupIds: [s.group.id], audioId: s.audio.id },
      key: "camp-1",
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const started = await call(startCampaignEndpoint, { path: `/campaigns/${id}/start`, params: { id }, key: "camp-1-start" });
    expect(started).toMatchObject({ status: 200, body: { id, targets: 2 } });
    const paused = await call(pauseCampaignEndpoint, { path: `/campaigns/${id}/pause`, params: { id }, key: "camp-1-pause" });
    expect(paused).toMatchObject({ status: 200, body: { state: "paused" } });
    const cancelled = await call(cancelCampaignEndpoint, {
      path: `/campaigns/${id}/cancel`,
      params: { id },
      key: "camp-1-cancel",
    });
    expect(cancelled).toMatchObject({ status: 200, body: { state: "cancelled" } });
    const results = await call(campaignResultsEndpoint, { path: `/campaigns/${id}/results`, params: { id } });
    expect(results).toMatchObject({
      status: 200,
      body: { campaign: { id, name: "Drill reminder", state: "cancelled" }, counts: { total: 2 } },
    });
    // Outcomes in words beside the codes (nobody was called: no label, no group).
    expect(
      results.body.targets.map((x: { outcome: string | null; outcomeLabel: string | null }) => [x.outcome, x.outcomeLabel]),
    ).toEqual([
      [null, null],
      [null, null],
    ]);
    expect(results.body.summary.outcomeGroups).toEqual([]);
    const list = await call(listCampaignsEndpoint);
    expect(list.body.campaigns.map((c: { id: string }) => c.id)).toEqual([id]);
    const audits = await t.db.auditEvent.findMany({ where: { targetId: id } });
    expect(audits.length).toBeGreaterThanOrEqual(4);
    for (const a of audits) expect(a).toMatchObject({ actorType: "token", actorName: "fire panel B" });

    const bad = await call(createCampaignEndpoint, {
      body: { name: "x", audioId: s.audio.id, windowStart: "9am" },
      key: "camp-2",
    });
    expect(bad).toMatchObject({ status: 422, body: { error: { field: "windowStart" } } });
    expect(
      (await call(startCampaignEndpoint, { path: "/campaigns/nope/start", params: { id: "nope" }, key: "camp-x" })).status,
    ).toBe(404);
  });

  it("books, lists, changes and cancels a wake-up call", async () => {
    const created = await call(createWakeUpEndpoint, {
      body: { room: "101", guestName: "Ms Smith", localTime: "06:30", timeZone: "Europe/London" },
      key: "w1",
    });
    expect(created).toMatchObject({
      status: 201,
      body: { room: "101", localTime: "06:30", state: expect.any(String), toleranceMinutes: null },
    });
    const id = created.body.id as string;
    expect((await call(getWakeUpEndpoint, { path: `/wakeups/${id}`, params: { id } })).body).toMatchObject({
      id,
      guestName: "Ms Smith",
    });
    const list = await call(listWakeUpsEndpoint);
    expect(list.status).toBe(200);
    expect(list.body.series.map((w: { id: string }) => w.id)).toContain(id);
    const changed = await call(updateWakeUpEndpoint, {
      path: `/wakeups/${id}`,
      params: { id },
      body: { room: "101", guestName: "Ms Smith", localTime: "07:15", timeZone: "Europe/London", toleranceMinutes: 30 },
    });
    expect(changed).toMatchObject({ status: 200, body: { id, localTime: "07:15", toleranceMinutes: 30 } });
    const cancelled = await call(cancelWakeUpEndpoint, { path: `/wakeups/${id}`, params: { id } });
    expect(cancelled).toMatchObject({ status: 200, body: { wakeUpId: id, scope: "series" } });
    const audits = await t.db.auditEvent.findMany({ where: { action: { startsWith: "wakeup." } } });
    expect(audits.length).toBeGreaterThanOrEqual(3);
    for (const a of audits) expect(a.actorName).toBe("fire panel B");

    const bad = await call(createWakeUpEndpoint, { body: { room: "101", localTime: "25:00" }, key: "w2" });
    expect(bad).toMatchObject({ status: 422, body: { error: { field: "localTime" } } });
    const lateBad = await call(createWakeUpEndpoint, {
      body: { room: "101", localTime: "06:00", toleranceMinutes: 0 },
      key: "w4",
    });
    expect(lateBad).toMatchObject({ status: 422, body: { error: { field: "toleranceMinutes" } } });
    const unknownField = await call(createWakeUpEndpoint, {
      body: { room: "101", localTime: "06:00", colour: "red" },
      key: "w3",
    });
    expect(unknownField.status).toBe(422);
  });
});

describe("route files", () => {
  it("serve every registered endpoint with its method", () => {
    const root = path.resolve(import.meta.dirname, "..");
    for (const e of API_ENDPOINTS) {
      const file = path.join(root, "app/api/v1", e.path.replace(/\{(\w+)\}/g, "[$1]"), "route.ts");
      expect({ path: e.path, exists: existsSync(file) }).toEqual({ path: e.path, exists: true });
      expect(readFileSync(file, "utf8")).toMatch(new RegExp(`export const ${e.method} = toRouteHandler\\(\\w+\\);`));
    }
  });
});
