/**
 * The REST API's route wrapper. An endpoint is declared once (method, path, scope, zod
 * schemas, handler) with `defineEndpoint`; the same declaration serves the route file
 * (`toRouteHandler`), the tests (`runEndpoint` with a test database) and the OpenAPI
 * document (lib/api/openapi.ts), so documentation cannot drift from validation.
 *
 * For every request, in order:
 * 1. **Authenticate** `Authorization: Bearer <token>` → 401 (missing, unknown, revoked, expired).
 * 2. **Authorise** the endpoint's scope → 403 `insufficient_scope`.
 * 3. **Rate limit** per token → 429 with `Retry-After`.
 * 4. **Validate** path params, query and JSON body → 400 for unreadable JSON, 422 naming the field:
 *    first the text rule on every string (lib/api/plain-input.ts), then the endpoint's schemas.
 * 5. POST only: **Idempotency-Key** required → run once, replay after (lib/api/idempotency.ts).
 * 6. **Run** the handler with the token as audit actor `{ type: "token", id, name }`.
 *    `UserError`s from services become 422 naming their field; anything else is a 500
 *    with a reference id that is logged.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { db as defaultDb, type Db } from "@/lib/db";
import type { AuditActor } from "@/lib/audit/record-audit";
import { isUserError } from "@/lib/errors";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { requestClientAddress } from "@/lib/net/request-address";
import { ApiError, errorResponse, validationError } from "./errors";
import { checkIdempotencyKey, hashRequest, runIdempotent } from "./idempotency";
import { assertPlainInput } from "./plain-input";
import { DEFAULT_RATE_LIMIT, takeRateToken, type RateLimit } from "./rate-limit";
import type { ApiScope } from "./scopes";
import { checkApiToken, type AuthenticatedToken } from "./tokens";

export const API_BASE = "/api/v1";

type Method = "GET" | "POST" | "PATCH" | "DELETE";

export type HandlerContext<P, Q, B> = {
  db: Db;
  params: P;
  query: Q;
  body: B;
  token: AuthenticatedToken;
  actor: AuditActor;
  ip: string | null;
  now: Date;
};

export type Endpoint<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType> = {
  method: Method;
  /** OpenAPI-style path under /api/v1, e.g. `/calls/{id}`. */
  path: string;
  scope: ApiScope;
  summary: string;
  description?: string;
  /** OpenAPI tag (section of the docs page). */
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  successStatus?: number;
  /** Body fields that may hold line breaks (the text rule refuses them everywhere else). */
  multiLine?: string[];
  /** Example request body for the docs' curl example. */
  example?: unknown;
  /** Returns plain data; it is sent as JSON (dates as ISO strings) after checking it against `response`. */
  handler: (ctx: HandlerContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<unknown>;
};

// oxlint-disable-next-line no-explicit-any -- a registry of heterogeneous endpoints
export type AnyEndpoint = Endpoint<any, any, any, any>;

export function defineEndpoint<
  P extends z.ZodType = z.ZodObject<{}>,
  Q extends z.ZodType = z.ZodObject<{}>,
  B extends z.ZodType = z.ZodUndefined,
  R extends z.ZodType = z.ZodType,
>(endpoint: Endpoint<P, Q, B, R>): Endpoint<P, Q, B, R> {
  return endpoint;
}

export type RunOptions = {
  db?: Db;
  params?: Record<string, string>;
  now?: () => Date;
  rateLimit?: RateLimit;
  idempotencyWaitMs?: number;
};

function bearer(request: Request): string | null {
  const h = request.headers.get("authorization");
  if (!h) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1]! : "";
}

/** The audit log's address: the peer server.ts stamped, or what a trusted proxy saw. */
function clientIp(request: Request): string | null {
  return requestClientAddress(request.headers, env().trustProxy);
}

function toApiError(error: unknown, context: Record<string, unknown>): ApiError {
  if (error instanceof ApiError) return error;
  if (isUserError(error)) return new ApiError(422, error.code, error.message, error.field);
  if (error instanceof z.ZodError) return validationError(error);
  const reference = randomBytes(4).toString("hex");
  log.error({ err: error, reference, ...context }, "API request failed");
  return new ApiError(500, "internal_error", `Something went wrong on the server (reference ${reference})`);
}

/** Runs one request through the full pipeline described in the module comment. */
export async function runEndpoint(endpoint: AnyEndpoint, request: Request, options: RunOptions = {}): Promise<Response> {
  const db = options.db ?? defaultDb();
  const now = options.now?.() ?? new Date();
  let token: AuthenticatedToken | undefined;
  try {
    const check = await checkApiToken(db, bearer(request), now);
    if (!check.ok)
      throw new ApiError(401, check.code, check.message, "Authorization", { "WWW-Authenticate": 'Bearer realm="spoolcast"' });
    token = check.token;
    if (!token.scopes.includes(endpoint.scope)) {
      throw new ApiError(
        403,
        "insufficient_scope",
        `This token lacks the scope "${endpoint.scope}" needed for ${endpoint.method} ${API_BASE}${endpoint.path}`,
        "Authorization",
      );
    }
    const rate = await takeRateToken(db, token.id, now, options.rateLimit ?? DEFAULT_RATE_LIMIT);
    if (!rate.allowed) {
      throw new ApiError(
        429,
        "rate_limited",
        `Too many requests for this token; retry in ${rate.retryAfterSeconds} s`,
        undefined,
        { "Retry-After": String(rate.retryAfterSeconds) },
      );
    }
    // Last use is informational; a lost race between two requests does not matter.
    await db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });

    const url = new URL(request.url);
    const rawQuery = Object.fromEntries(url.searchParams);
    assertPlainInput(options.params ?? {});
    assertPlainInput(rawQuery);
    const params = parseWith(endpoint.params, options.params ?? {}, "");
    const query = parseWith(endpoint.query, rawQuery, "");
    let rawBody: unknown = undefined;
    if (endpoint.body) {
      const text = await request.text();
      if (text.trim() === "") rawBody = {};
      else {
        try {
          rawBody = JSON.parse(text);
        } catch {
          throw new ApiError(400, "invalid_json", "The request body is not valid JSON", "body");
        }
      }
    }
    assertPlainInput(rawBody, endpoint.multiLine);
    const body = endpoint.body ? parseWith(endpoint.body, rawBody, "") : undefined;
    const actor: AuditActor = { type: "token", id: token.id, name: token.name };
    const execute = async () => {
      const result = await endpoint.handler({ db, params, query, body, token: token!, actor, ip: clientIp(request), now });
      // The JSON round trip turns dates into ISO strings, as the client will see them; the
      // response schema then checks the documented shape is what is sent.
      return { status: endpoint.successStatus ?? 200, body: endpoint.response.parse(JSON.parse(JSON.stringify(result ?? null))) };
    };
    if (endpoint.method !== "POST") {
      const r = await execute();
      return Response.json(r.body, { status: r.status });
    }
    const key = checkIdempotencyKey(request.headers.get("idempotency-key"));
    const r = await runIdempotent(
      db,
      {
        tokenId: token.id,
        key,
        requestHash: hashRequest(endpoint.method, url.pathname, rawBody),
        now,
        waitMs: options.idempotencyWaitMs,
      },
      execute,
    );
    return Response.json(r.body, { status: r.status, headers: r.replayed ? { "Idempotent-Replayed": "true" } : {} });
  } catch (error) {
    return errorResponse(toApiError(error, { endpoint: `${endpoint.method} ${endpoint.path}`, tokenId: token?.id }));
  }
}

function parseWith(schema: z.ZodType | undefined, value: unknown, prefix: string): unknown {
  if (!schema) return value;
  const r = schema.safeParse(value);
  if (!r.success) throw validationError(r.error, prefix);
  return r.data;
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };

/** The Next.js route handler for an endpoint. */
export function toRouteHandler(endpoint: AnyEndpoint) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    const raw = (await context?.params) ?? {};
    const params = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]));
    return await runEndpoint(endpoint, request, { params });
  };
}
