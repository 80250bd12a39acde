/**
 * The REST API pipeline (lib/api/endpoint.ts) against both databases: token checks, scopes,
 * rate limit, validation errors naming the field, Idempotency-Key under concurrent retries,
 * the calls endpoints, and the OpenAPI document's structure.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { PROVIDERS, createTestDb, type TestDb } from "./support/test-db";
import { recordAudit } from "@/lib/audit/record-audit";
import { defineEndpoint, runEndpoint, type AnyEndpoint } from "@/lib/api/endpoint";
import { getCallEndpoint, listCallsEndpoint } from "@/lib/api/endpoints/calls";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { checkOpenApiDocument } from "@/lib/api/openapi-check";
import { API_ENDPOINTS } from "@/lib/api/registry";
import { API_SCOPES, type ApiScope } from "@/lib/api/scopes";
import { createApiToken, revokeApiToken } from "@/lib/api/tokens";
import { enqueueCalls } from "@/lib/engine/calls";

const ADMIN = { type: "user" as const, id: null, name: "Ada" };

function request(
  method: string,
  path: string,
  init: { token?: string; body?: unknown; key?: string; rawBody?: string } = {},
): Request {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.key) headers["idempotency-key"] = init.key;
  const body = method === "GET" ? undefined : (init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body)));
  return new Request(`http://spoolcast.test/api/v1${path}`, { method, headers, body });
}

// Response bodies are checked field by field below; their shape is what is under test.
// oxlint-disable-next-line no-explicit-any
type Body = any;
async function json(res: Response): Promise<{ status: number; body: Body }> {
  return { status: res.status, body: await res.json() };
}

/** A POST endpoint whose handler records an audit event per execution, to count runs. */
function countingEndpoint(delayMs = 0): AnyEndpoint {
  return defineEndpoint({
    method: "POST",
    path: "/test-echo",
    scope: "pa:trigger",
    tag: "Test",
    summary: "test",
    body: z.object({ message: z.string().min(1), count: z.number().int().min(1).max(3) }),
    response: z.object({ id: z.string(), message: z.string() }),
    successStatus: 201,
    handler: async ({ db, body, actor }) => {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      await recordAudit(db, { actor, action: "test.echo", summary: body.message });
      return { id: `run-${Math.random().toString(36).slice(2)}`, message: body.message };
    },
  });
}

const at = (s: number) => () => new Date(Date.UTC(2026, 10, 23, 12, 0, s));

describe.each(PROVIDERS)("REST API on %s", (provider) => {
  let t: TestDb;
  let full: string;
  beforeEach(async () => {
    t = await createTestDb(provider);
    full = (await createApiToken(t.db, { name: "fire panel", scopes: [...API_SCOPES] }, { actor: ADMIN })).token;
  });
  afterEach(async () => t.drop());

  it("stores only a hash of the token, and audits its creation", async () => {
    const row = await t.db.apiToken.findFirstOrThrow({ where: { name: "fire panel" }, omit: { tokenHash: false } });
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.tokenHash).not.toContain(full.slice(4));
    expect(full.startsWith(row.prefix)).toBe(true);
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "apitoken.create" } });
    expect(audit.summary).toContain("fire panel");
    expect(audit.summary).not.toContain(full);
  });

  it("refuses a missing, unknown, revoked or expired token with 401, and records last use of a good one", async () => {
    const r0 = await json(await runEndpoint(listCallsEndpoint, request("GET", "/calls"), { db: t.db }));
    expect(r0).toMatchObject({ status: 401, body: { error: { code: "token_missing", field: "Authorization" } } });
    const r1 = await json(await runEndpoint(listCallsEndpoint, request("GET", "/calls", { token: "spc_nope" }), { db: t.db }));
    expect(r1).toMatchObject({ status: 401, body: { error: { code: "token_invalid" } } });

    const revoked = await createApiToken(t.db, { name: "old panel", scopes: ["calls:read"] }, { actor: ADMIN });
    expect((await runEndpoint(listCallsEndpoint, request("GET", "/calls", { token: revoked.token }), { db: t.db })).status).toBe(
      200,
    );
    await revokeApiToken(t.db, revoked.view.id, { actor: ADMIN });
    const r2 = await json(await runEndpoint(listCallsEndpoint, request("GET", "/calls", { token: revoked.token }), { db: t.db }));
    expect(r2).toMatchObject({ status: 401, body: { error: { code: "token_revoked" } } });

    const expiring = await createApiToken(
      t.db,
      { name: "temp", scopes: ["calls:read"], expiresOn: "2030-01-31" },
      { actor: ADMIN, now: new Date("2029-12-01T00:00:00Z") },
    );
    const before = await runEndpoint(listCallsEndpoint, request("GET", "/calls", { token: expiring.token }), {
      db: t.db,
      now: () => new Date("2030-01-31T23:00:00Z"),
    });
    expect(before.status).toBe(200);
    expect((await t.db.apiToken.findUniqueOrThrow({ where: { id: expiring.view.id } })).lastUsedAt).toEqual(
      new Date("2030-01-31T23:00:00Z"),
    );
    const after = await json(
      await runEndpoint(listCallsEndpoint, request("GET", "/calls", { token: expiring.token }), {
        db: t.db,
        now: () => new Date("2030-02-01T00:00:00Z"),
      }),
    );
    expect(after).toMatchObject({ status: 401, body: { error: { code: "token_expired" } } });
  });

  it("enforces each endpoint's scope: 403 without it, through with it", async () => {
    expect(API_ENDPOINTS.length).toBeGreaterThan(1);
    for (const endpoint of API_ENDPOINTS) {
      const others = API_SCOPES.filter((s) => s !== endpoint.scope) as ApiScope[];
      const without = await createApiToken(
        t.db,
        { name: `no ${endpoint.scope} ${endpoint.method} ${endpoint.path}`, scopes: others },
        { actor: ADMIN },
      );
      const withOnly = await createApiToken(
        t.db,
        { name: `only ${endpoint.scope} ${endpoint.method} ${endpoint.path}`, scopes: [endpoint.scope] },
        { actor: ADMIN },
      );
      const path = endpoint.path.replace(/\{[^}]+\}/g, "x");
      const params = Object.fromEntries([...endpoint.path.matchAll(/\{([^}]+)\}/g)].map((m) => [m[1]!, "x"]));
      const refused = await json(
        await runEndpoint(endpoint, request(endpoint.method, path, { token: without.token, body: {}, key: "k1" }), {
          db: t.db,
          params,
        }),
      );
      expect({ endpoint: endpoint.path, ...refused }).toMatchObject({
        endpoint: endpoint.path,
        status: 403,
        body: { error: { code: "insufficient_scope" } },
      });
      expect(refused.body.error.message).toContain(endpoint.scope);
      const allowed = await runEndpoint(
        endpoint,
        request(endpoint.method, path, { token: withOnly.token, body: {}, key: "k1" }),
        { db: t.db, params },
      );
      expect({ endpoint: endpoint.path, status: allowed.status }).not.toMatchObject({ status: 403 });
      expect([401, 403, 429]).not.toContain(allowed.status);
    }
  });

  it("answers invalid input with 4xx JSON naming the field", async () => {
    const q = await json(
      await runEndpoint(listCallsEndpoint, request("GET", "/calls?limit=abc&state=ringing", { token: full }), { db: t.db }),
    );
    expect(q.status).toBe(422);
    expect(q.body.error.code).toBe("validation_failed");
    expect(q.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(["limit", "state"]);

    const endpoint = countingEndpoint();
    const b = await json(
      await runEndpoint(endpoint, request("POST", "/test-echo", { token: full, key: "a", body: { message: "", count: 9 } }), {
        db: t.db,
      }),
    );
    expect(b.status).toBe(422);
    expect(b.body.error.field).toBe("message");
    expect(b.body.error.details.map((d: { field: string }) => d.field)).toEqual(["message", "count"]);

    const bad = await json(
      await runEndpoint(endpoint, request("POST", "/test-echo", { token: full, key: "a", rawBody: "{not json" }), { db: t.db }),
    );
    expect(bad).toMatchObject({ status: 400, body: { error: { code: "invalid_json", field: "body" } } });

    const nokey = await json(
      await runEndpoint(endpoint, request("POST", "/test-echo", { token: full, body: { message: "hi", count: 1 } }), {
        db: t.db,
      }),
    );
    expect(nokey).toMatchObject({ status: 400, body: { error: { code: "idempotency_key_required", field: "Idempotency-Key" } } });
    expect(await t.db.auditEvent.count({ where: { action: "test.echo" } })).toBe(0);
  });

  it("runs a POST once under concurrent retries with the same Idempotency-Key, and replays the response", async () => {
    const endpoint = countingEndpoint(150);
    const send = () =>
      runEndpoint(
        endpoint,
        request("POST", "/test-echo", { token: full, key: "panel-42", body: { message: "fire in B", count: 1 } }),
        { db: t.db },
      );
    const results = await Promise.all(Array.from({ length: 6 }, send).map(async (p) => json(await p)));
    expect(await t.db.auditEvent.count({ where: { action: "test.echo" } })).toBe(1);
    for (const r of results) expect(r).toEqual({ status: 201, body: results[0]!.body });

    const retry = await send();
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await retry.json()).toEqual(results[0]!.body);
    // Same body with keys reordered is the same request.
    const reordered = await runEndpoint(
      endpoint,
      request("POST", "/test-echo", { token: full, key: "panel-42", rawBody: '{"count":1,"message":"fire in B"}' }),
      { db: t.db },
    );
    expect(reordered.status).toBe(201);

    const different = await json(
      await runEndpoint(
        endpoint,
        request("POST", "/test-echo", { token: full, key: "panel-42", body: { message: "fire in C", count: 1 } }),
        { db: t.db },
      ),
    );
    expect(different).toMatchObject({
      status: 422,
      body: { error: { code: "idempotency_key_reused", field: "Idempotency-Key" } },
    });
    expect(await t.db.auditEvent.count({ where: { action: "test.echo" } })).toBe(1);

    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "test.echo" } });
    expect(audit).toMatchObject({ actorType: "token", actorName: "fire panel" });

    // Keys are per token: another token's same key is a new request.
    const other = await createApiToken(t.db, { name: "second panel", scopes: ["pa:trigger"] }, { actor: ADMIN });
    const r2 = await runEndpoint(
      endpoint,
      request("POST", "/test-echo", { token: other.token, key: "panel-42", body: { message: "fire in B", count: 1 } }),
      { db: t.db },
    );
    expect(r2.status).toBe(201);
    expect(await t.db.auditEvent.count({ where: { action: "test.echo" } })).toBe(2);
  });

  it("a concurrent duplicate that outlasts its wait gets 409, and a failed first run frees the key", async () => {
    const slow = countingEndpoint(600);
    const send = (waitMs: number) =>
      runEndpoint(slow, request("POST", "/test-echo", { token: full, key: "slow", body: { message: "m", count: 1 } }), {
        db: t.db,
        idempotencyWaitMs: waitMs,
      });
    const [first, second] = await Promise.all([
      send(10_000),
      (async () => {
        // Let the first insert its key before the duplicate arrives.
        const deadline = Date.now() + 5000;
        while (!(await t.db.idempotencyKey.findFirst({ where: { key: "slow" } })) && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 10));
        return send(50);
      })(),
    ]);
    expect(first.status).toBe(201);
    expect(await json(second)).toMatchObject({ status: 409, body: { error: { code: "idempotency_in_progress" } } });
    expect(second.headers.get("Retry-After")).toBe("1");

    let fail = true;
    const flaky = defineEndpoint({
      method: "POST",
      path: "/flaky",
      scope: "pa:trigger",
      tag: "Test",
      summary: "flaky",
      body: z.object({ n: z.number() }),
      response: z.object({ ok: z.boolean() }),
      handler: async () => {
        if (fail) throw new Error("database went away");
        return { ok: true };
      },
    });
    const f1 = await json(
      await runEndpoint(flaky, request("POST", "/flaky", { token: full, key: "f", body: { n: 1 } }), { db: t.db }),
    );
    expect(f1.status).toBe(500);
    expect(f1.body.error.message).toMatch(/reference [0-9a-f]{8}/);
    fail = false;
    expect(
      (await runEndpoint(flaky, request("POST", "/flaky", { token: full, key: "f", body: { n: 1 } }), { db: t.db })).status,
    ).toBe(200);
  });

  it("rate-limits per token with 429 and Retry-After, and opens again in the next window", async () => {
    const rateLimit = { limit: 3, windowMs: 60_000 };
    const statuses: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        runEndpoint(listCallsEndpoint, request("GET", "/calls", { token: full }), { db: t.db, rateLimit, now: at(15) }),
      ),
    );
    for (const r of results) statuses.push(r.status);
    expect(statuses.sort()).toEqual([200, 200, 200, 429, 429]);
    const limited = results.find((r) => r.status === 429)!;
    expect(limited.headers.get("Retry-After")).toBe("45");
    expect((await limited.json()).error.code).toBe("rate_limited");
    // Another token has its own budget.
    const other = await createApiToken(t.db, { name: "other", scopes: ["calls:read"] }, { actor: ADMIN });
    expect(
      (
        await runEndpoint(listCallsEndpoint, request("GET", "/calls", { token: other.token }), {
          db: t.db,
          rateLimit,
          now: at(16),
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await runEndpoint(listCallsEndpoint, request("GET", "/calls", { token: full }), {
          db: t.db,
          rateLimit,
          now: () => new Date(Date.UTC(2026, 10, 23, 12, 1, 0)),
        })
      ).status,
    ).toBe(200);
  });

  it("lists calls with filters and cursor pages, and shows one call with its timeline", async () => {
    const host = await t.db.asteriskHost.create({
      data: { name: "pbx", isDefault: true, spoolDir: "/tmp/none", soundsDir: "/tmp/none" },
    });
    const ids = await enqueueCalls(t.db, [
      { kind: "pa", destination: "+15550001", hostId: host.id },
      { kind: "pa", destination: "+15550002", hostId: host.id },
      { kind: "wakeup", destination: "+15550003", hostId: host.id },
    ]);
    const page1 = await json(
      await runEndpoint(listCallsEndpoint, request("GET", "/calls?kind=pa&limit=1", { token: full }), { db: t.db }),
    );
    expect(page1.status).toBe(200);
    expect(page1.body.calls).toHaveLength(1);
    expect(page1.body.nextCursor).toBe(page1.body.calls[0].id);
    const page2 = await json(
      await runEndpoint(
        listCallsEndpoint,
        request("GET", `/calls?kind=pa&limit=1&cursor=${page1.body.nextCursor}`, { token: full }),
        { db: t.db },
      ),
    );
    expect(page2.body.nextCursor).toBeNull();
    expect([page1.body.calls[0].id, page2.body.calls[0].id].sort()).toEqual(ids.slice(0, 2).sort());
    const byDest = await json(
      await runEndpoint(listCallsEndpoint, request("GET", "/calls?destination=%2B15550003", { token: full }), { db: t.db }),
    );
    expect(byDest.body.calls.map((c: { id: string }) => c.id)).toEqual([ids[2]]);

    const one = await json(
      await runEndpoint(getCallEndpoint, request("GET", `/calls/${ids[2]}`, { token: full }), {
        db: t.db,
        params: { id: ids[2]! },
      }),
    );
    expect(one.status).toBe(200);
    expect(one.body.call).toMatchObject({
      id: ids[2],
      kind: "wakeup",
      state: "queued",
      outcomeLabel: "Waiting to be placed",
      destination: "+15550003",
    });
    expect(page1.body.calls[0]).toMatchObject({ state: "queued", outcomeLabel: "Waiting to be placed" });
    expect(one.body.timeline.map((e: { type: string }) => e.type)).toEqual(["queued"]);
    const missing = await json(
      await runEndpoint(getCallEndpoint, request("GET", "/calls/nope", { token: full }), { db: t.db, params: { id: "nope" } }),
    );
    expect(missing).toMatchObject({ status: 404, body: { error: { code: "not_found", field: "id" } } });
  });
});

describe("OpenAPI document", () => {
  it("is structurally valid, documents every endpoint with its scope, and the check catches breakage", () => {
    const doc = buildOpenApiDocument();
    expect(checkOpenApiDocument(doc as never)).toEqual([]);
    for (const e of API_ENDPOINTS) {
      const op = doc.paths[e.path]?.[e.method.toLowerCase()] as Record<string, unknown>;
      expect(op?.["x-scope"]).toBe(e.scope);
      expect({ path: e.path, idempotencyKey: JSON.stringify(op.parameters).includes("Idempotency-Key") }).toEqual({
        path: e.path,
        idempotencyKey: e.method === "POST",
      });
    }
    expect(doc.components.schemas.Error).toBeDefined();
    expect(doc.components.schemas.Call).toBeDefined();
    // The machine state stays, documented as a stable code with the words shown for it.
    const call = doc.components.schemas.Call as { required: string[]; properties: Record<string, { description: string }> };
    expect(call.required).toEqual(expect.arrayContaining(["state", "outcomeLabel"]));
    expect(call.properties.state!.description).toContain(`\`not-acknowledged\` = "Heard, not confirmed"`);
    expect(call.properties.state!.description).toContain(`\`congestion\` = "Network congestion"`);
    expect(call.properties.outcomeLabel!.description).toContain("plain words");

    const broken = structuredClone(doc) as Body;
    delete broken.components.schemas.Call;
    broken.paths["/calls/{id}"].get.parameters = [];
    broken.paths["/calls"].get.responses = { "404": { description: "x" } };
    broken.paths["/calls"].get.security = [{ oauth: [] }];
    const problems = checkOpenApiDocument(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining("#/components/schemas/Call does not resolve"),
        "GET /calls/{id}: path parameter id not declared",
        "GET /calls: no 2xx response",
        "GET /calls: security names undeclared scheme oauth",
      ]),
    );
  });
});
