/**
 * Every REST route (lib/api/registry.ts) fed the hostile-tester list in every field of its body,
 * query and path (issue 22): each attempt is refused with a 4xx naming the field, never a 500
 * and never accepted, except the printable call-file specials (`;`, `#`, `\`, `${…}`) in a field
 * that never reaches a call file. A route added to the registry without a case here fails.
 * Afterwards, everything the sweep did create still makes call files the serializer accepts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { createTestDb, type TestDb } from "./support/test-db";
import { CALL_FILE_HOSTILE, HOSTILE_EVERYWHERE } from "./support/hostile-text";
import { runEndpoint, type AnyEndpoint } from "@/lib/api/endpoint";
import { API_ENDPOINTS } from "@/lib/api/registry";
import { API_SCOPES } from "@/lib/api/scopes";
import { createApiToken } from "@/lib/api/tokens";
import { callerIdProblem } from "@/lib/callfile/caller-id-rule";
import { serializeCallFile } from "@/lib/callfile/serialize";
import { buildCallFile } from "@/lib/engine/build-call-file";
import { createPaTemplate } from "@/lib/pa/pa-templates";
import { hasForbiddenChars } from "@/lib/text/plain-text";
import type { Db } from "@/lib/db";

type Seed = Awaited<ReturnType<typeof seed>>;
type Input = { params?: Record<string, string>; query?: Record<string, string>; body?: Record<string, unknown> };
type Case = {
  /** A request the route accepts (or answers 404 for an unknown id), before one field is made hostile. */
  base: (s: Seed, field: string) => Input;
  /** Fields whose value reaches a call file: the printable specials are refused there too. */
  callFile?: string[];
};

async function seed(db: Db) {
  const user = await db.user.create({
    data: { email: "op@example.org", name: "Olga", passwordHash: "x", role: "operator", deskEndpoint: "PJSIP/201" },
  });
  const host = await db.asteriskHost.create({ data: { name: "pbx", isDefault: true, spoolDir: "/spool", soundsDir: "/sounds" } });
  const audio = await db.audioMessage.create({ data: { name: "Evacuate", soundName: "spoolcast/evacuate" } });
  await db.audioDelivery.create({ data: { audioId: audio.id, hostId: host.id, state: "synced", syncedAt: new Date() } });
  const group = await db.contactGroup.create({ data: { name: "Building B" } });
  const alice = await db.contact.create({
    data: {
      name: "Alice",
      nameKey: "alice",
      phones: { create: [{ destination: "+15550000001", position: 0 }] },
      groups: { create: [{ groupId: group.id }] },
    },
    include: { phones: true },
  });
  const template = await createPaTemplate(
    db,
    { name: "Fire B", audioId: audio.id, requireAck: true },
    { type: "user", id: user.id, name: "Olga" },
  );
  const campaign = await db.campaign.create({ data: { name: "Drill", state: "draft" } });
  const wakeUp = await db.wakeUp.create({
    data: {
      room: "101",
      guestName: "Ms Smith",
      destination: "PJSIP/101",
      timeZone: "Europe/London",
      localTime: "06:30",
      startDate: "2030-01-01",
    },
  });
  return { user, host, audio, group, alice, template, campaign, wakeUp };
}

const id = (pick: (s: Seed) => string) => (s: Seed) => ({ params: { id: pick(s) } });

const CASES: Record<string, Case> = {
  "POST /pa": {
    // One message source at a time: the field under attack is the message when it is one.
    base: (s, field) => ({
      body: { ...(["audioId", "ttsText"].includes(field) ? {} : { templateId: s.template.id }), groupIds: [s.group.id] },
    }),
  },
  "GET /pa/{id}": { base: id(() => "nope") },
  "POST /pa/{id}/stop": { base: id(() => "nope") },
  "GET /calls": { base: () => ({ query: {} }) },
  "GET /calls/{id}": { base: id(() => "nope") },
  "POST /calls/click-to-call": {
    base: (s) => ({ body: { userId: s.user.id, contactId: s.alice.id } }),
    callFile: ["number"],
  },
  "POST /campaigns": {
    base: (s) => ({ body: { name: "Drill reminder", groupIds: [s.group.id], audioId: s.audio.id } }),
    callFile: ["callerId"],
  },
  "GET /campaigns": { base: () => ({ query: {} }) },
  "POST /campaigns/{id}/start": { base: id((s) => s.campaign.id) },
  "POST /campaigns/{id}/pause": { base: id((s) => s.campaign.id) },
  "POST /campaigns/{id}/resume": { base: id((s) => s.campaign.id) },
  "POST /campaigns/{id}/cancel": { base: id((s) => s.campaign.id) },
  "GET /campaigns/{id}/results": { base: id((s) => s.campaign.id) },
  "GET /wakeups": { base: () => ({ query: {} }) },
  "GET /wakeups/{id}": { base: id((s) => s.wakeUp.id) },
  "POST /wakeups": {
    base: () => ({ body: { room: "101", guestName: "Ms Smith", localTime: "06:30", timeZone: "Europe/London" } }),
    callFile: ["destination", "escalateTo"],
  },
  "PATCH /wakeups/{id}": {
    base: (s) => ({
      params: { id: s.wakeUp.id },
      body: { room: "101", guestName: "Ms Smith", localTime: "07:15", timeZone: "Europe/London" },
    }),
    callFile: ["destination", "escalateTo"],
  },
  "DELETE /wakeups/{id}": { base: id((s) => s.wakeUp.id) },
  // An unknown host: nothing is placed (a real one would run the whole self-test per attempt).
  "POST /hosts/{id}/self-test": { base: id(() => "nope") },
};

type Def = { type: string; [key: string]: unknown };
const defOf = (schema: unknown) => (schema as { def: Def }).def;
const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "catch", "readonly", "nonoptional"]);

/** Every leaf input path of an object schema (`name`, `groupIds.0`), whatever its type. */
function leafPaths(schema: z.ZodType | undefined, prefix = ""): string[] {
  if (!schema) return [];
  const d = defOf(schema);
  if (d.type === "object") {
    return Object.entries(d.shape as Record<string, z.ZodType>).flatMap(([k, s]) => leafPaths(s, prefix ? `${prefix}.${k}` : k));
  }
  if (WRAPPERS.has(d.type)) return leafPaths(d.innerType as z.ZodType, prefix);
  if (d.type === "array") return leafPaths(d.element as z.ZodType, `${prefix}.0`);
  if (d.type === "pipe") {
    const input = d.in as z.ZodType;
    return leafPaths(defOf(input).type === "transform" ? (d.out as z.ZodType) : input, prefix);
  }
  return prefix ? [prefix] : [];
}

/** `input` with `value` at `path` (arrays get it as their only element). */
function withValue(input: Record<string, unknown> | undefined, path: string, value: string): Record<string, unknown> {
  const [head, ...rest] = path.split(".");
  const out: Record<string, unknown> = { ...input };
  if (rest.length === 0) out[head!] = value;
  else if (rest[0] === "0" && rest.length === 1) out[head!] = [value];
  else out[head!] = withValue(out[head!] as Record<string, unknown> | undefined, rest.join("."), value);
  return out;
}

const keyOf = (e: AnyEndpoint) => `${e.method} ${e.path}`;

describe("every REST route refuses hostile strings in every field, naming it", () => {
  let t: TestDb;
  let s: Seed;
  let token: string;
  let n = 0;

  beforeAll(async () => {
    t = await createTestDb("sqlite");
    s = await seed(t.db);
    token = (
      await createApiToken(
        t.db,
        { name: "sweep", scopes: [...API_SCOPES] },
        { actor: { type: "user", id: s.user.id, name: "Olga" } },
      )
    ).token;
  });
  afterAll(async () => t?.drop());

  async function send(endpoint: AnyEndpoint, input: Input) {
    const params = input.params ?? {};
    // The route hands runEndpoint decoded params; the URL only needs to parse.
    let path = endpoint.path.replace(/\{(\w+)\}/g, "x");
    const query = new URLSearchParams(input.query ?? {}).toString();
    if (query) path += `?${query}`;
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      "idempotency-key": `sweep-${++n}`,
    };
    const body = endpoint.method === "GET" || endpoint.method === "DELETE" ? undefined : JSON.stringify(input.body ?? {});
    const res = await runEndpoint(
      endpoint,
      new Request(`http://spoolcast.test/api/v1${path}`, { method: endpoint.method, headers, body }),
      {
        db: t.db,
        params,
        rateLimit: { limit: 1_000_000, windowMs: 60_000 },
      },
    );
    return { status: res.status, body: (await res.json()) as { error?: { field?: string; message?: string } } };
  }

  it("has a case for every route in the registry, and finds every field of a schema", () => {
    expect(API_ENDPOINTS.map(keyOf).filter((k) => !CASES[k])).toEqual([]);
    const campaign = API_ENDPOINTS.find((e) => keyOf(e) === "POST /campaigns")!;
    expect(leafPaths(campaign.body)).toEqual(
      expect.arrayContaining(["name", "groupIds.0", "callerId", "retryOn.0", "maxConcurrent"]),
    );
  });

  for (const endpoint of API_ENDPOINTS) {
    it(`${keyOf(endpoint)}`, async () => {
      const c = CASES[keyOf(endpoint)]!;
      const targets: { where: "body" | "query" | "params"; path: string }[] = [
        ...leafPaths(endpoint.body).map((path) => ({ where: "body" as const, path })),
        ...leafPaths(endpoint.query).map((path) => ({ where: "query" as const, path })),
        ...leafPaths(endpoint.params).map((path) => ({ where: "params" as const, path })),
      ];
      // The walk must see the fields, or the sweep would pass by attacking nothing.
      for (const f of c.callFile ?? []) expect(targets.map((x) => x.path)).toContain(f);
      expect(targets.length > 0 || !(endpoint.body || endpoint.query || endpoint.params)).toBe(true);
      const wrong: string[] = [];
      for (const { where, path } of targets) {
        const base = c.base(s, path);
        const reachesCallFile = c.callFile?.includes(path) ?? false;
        const multiLine = endpoint.multiLine?.includes(path) ?? false;
        for (const hostile of [...HOSTILE_EVERYWHERE, ...CALL_FILE_HOSTILE]) {
          // A URL cannot carry a lone surrogate: it is sent as U+FFFD, an ordinary character.
          if (where === "query" && new URLSearchParams({ v: hostile }).get("v") !== hostile) continue;
          const input: Input = { ...base, [where]: withValue(base[where] as Record<string, unknown>, path, hostile) };
          const res = await send(endpoint, input as Input);
          const mayPass =
            (CALL_FILE_HOSTILE.includes(hostile) && !reachesCallFile) ||
            // An announcement may have line breaks (a "Channel:" line in it is only spoken).
            (multiLine && !hasForbiddenChars(hostile, { allowLineBreaks: true }) && hostile.length < 1000);
          if (mayPass && res.status < 400) continue;
          const field = res.body.error?.field;
          const named = field === path || field === path.replace(/\.0$/, "");
          if (res.status >= 400 && res.status < 500 && named) continue;
          const shown = JSON.stringify(hostile.length > 40 ? `${hostile.slice(0, 20)}… (${hostile.length} characters)` : hostile);
          wrong.push(`${where} ${path} = ${shown}: ${res.status}, field ${field ?? "none"}: ${res.body.error?.message ?? ""}`);
        }
      }
      if (process.env.SWEEP_DEBUG) console.log(wrong.join("\n"));
      expect(wrong).toEqual([]);
    });
  }

  it("left nothing behind that a call file could not carry", async () => {
    for (const c of await t.db.campaign.findMany({ where: { callerId: { not: null } } })) {
      expect({ id: c.id, problem: callerIdProblem(c.callerId!) }).toEqual({ id: c.id, problem: null });
    }
    const host = await t.db.asteriskHost.findFirstOrThrow();
    for (const call of await t.db.call.findMany()) {
      const file = serializeCallFile(buildCallFile({ call, host, secret: "s".repeat(40), ivrPublicAddress: "127.0.0.1:2949" }));
      for (const hostile of [...HOSTILE_EVERYWHERE, ...CALL_FILE_HOSTILE]) expect(file).not.toContain(hostile);
    }
  });
});
