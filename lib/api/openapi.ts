/**
 * The OpenAPI 3.1 document of /api/v1, generated from the endpoint registry's zod schemas
 * (`z.toJSONSchema`), so the document is the validation. Schemas with a `.meta({ id })`
 * become `components.schemas` entries referenced with `$ref`.
 */
import { z } from "zod";
import { API_BASE, type AnyEndpoint } from "./endpoint";
import { apiErrorSchema } from "./errors";
import { API_ENDPOINTS } from "./registry";
import { API_SCOPES, SCOPE_DESCRIPTIONS } from "./scopes";

type Json = Record<string, unknown>;
export type OpenApiDocument = {
  openapi: string;
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string }[];
  security: Record<string, string[]>[];
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json>; securitySchemes: Record<string, Json> };
};

const COMPONENT_PREFIX = "#/components/schemas/";

/** Converts one zod schema, moving its `$defs` into `components` and rewriting `$ref`s. */
function toSchema(schema: z.ZodType, io: "input" | "output", components: Record<string, Json>): Json {
  const json = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as Json;
  const defs = (json.$defs ?? {}) as Record<string, Json>;
  delete json.$defs;
  delete json.$schema;
  // An input variant of a named schema can differ from its output (defaults make fields
  // optional); keep both under distinct names rather than letting one overwrite the other.
  const rename = new Map<string, string>();
  for (const [id, def] of Object.entries(defs)) {
    const existing = components[id];
    const name =
      existing && JSON.stringify(existing) !== JSON.stringify(rewrite(def, new Map())) && io === "input" ? `${id}Input` : id;
    rename.set(id, name);
  }
  for (const [id, def] of Object.entries(defs)) components[rename.get(id)!] = rewrite(def, rename) as Json;
  return rewrite(json, rename) as Json;
}

function rewrite(value: unknown, rename: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => rewrite(v, rename));
  if (value && typeof value === "object") {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string" && v.startsWith("#/$defs/")) {
        const id = v.slice("#/$defs/".length);
        out[k] = COMPONENT_PREFIX + (rename.get(id) ?? id);
      } else out[k] = rewrite(v, rename);
    }
    return out;
  }
  return value;
}

function objectProperties(schema: Json): { name: string; schema: Json; required: boolean }[] {
  const props = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => ({ name, schema: s, required: required.has(name) }));
}

const ERROR_REF = { $ref: `${COMPONENT_PREFIX}Error` };
const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: ERROR_REF } } });

function operation(e: AnyEndpoint, components: Record<string, Json>): Json {
  const parameters: Json[] = [];
  if (e.params) {
    for (const p of objectProperties(toSchema(e.params, "input", components))) {
      parameters.push({ name: p.name, in: "path", required: true, schema: p.schema });
    }
  }
  if (e.query) {
    for (const p of objectProperties(toSchema(e.query, "input", components))) {
      const { description, ...schema } = p.schema as Json & { description?: string };
      parameters.push({ name: p.name, in: "query", required: p.required, schema, ...(description ? { description } : {}) });
    }
  }
  if (e.method === "POST") {
    parameters.push({
      name: "Idempotency-Key",
      in: "header",
      required: true,
      description:
        "Unique per logical request (e.g. a UUID). A retry with the same key returns the first response; a different body with the same key is refused with 422.",
      schema: { type: "string", minLength: 1, maxLength: 200 },
    });
  }
  const status = String(e.successStatus ?? 200);
  const responses: Json = {
    [status]: { description: "Success", content: { "application/json": { schema: toSchema(e.response, "output", components) } } },
    "401": errorResponse("Missing, unknown, revoked or expired token"),
    "403": errorResponse(`The token lacks the scope ${e.scope}`),
    "422": errorResponse("Invalid input; `error.field` names the field"),
    "429": errorResponse("Rate limit reached; see the Retry-After header"),
  };
  if (e.body || e.method === "POST") responses["400"] = errorResponse("Unreadable JSON or missing Idempotency-Key");
  if (e.method === "POST") responses["409"] = errorResponse("A request with this Idempotency-Key is still running");
  if (e.params) responses["404"] = errorResponse("Not found");
  const op: Json = {
    operationId: operationId(e),
    summary: e.summary,
    description: `${e.description ? `${e.description}\n\n` : ""}Requires scope \`${e.scope}\`.`,
    tags: [e.tag],
    "x-scope": e.scope,
    security: [{ bearerAuth: [e.scope] }],
    parameters,
    responses,
  };
  if (e.body) {
    op.requestBody = {
      required: true,
      content: {
        "application/json": {
          schema: toSchema(e.body, "input", components),
          ...(e.example !== undefined ? { example: e.example } : {}),
        },
      },
    };
  }
  return op;
}

export function operationId(e: AnyEndpoint): string {
  const words = e.path
    .split("/")
    .filter(Boolean)
    .map((s) => (s.startsWith("{") ? "By" + cap(s.slice(1, -1)) : cap(s.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()))));
  return e.method.toLowerCase() + words.join("");
}
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function buildOpenApiDocument(endpoints: AnyEndpoint[] = API_ENDPOINTS): OpenApiDocument {
  const components: Record<string, Json> = {};
  toSchema(apiErrorSchema, "output", components);
  const paths: OpenApiDocument["paths"] = {};
  for (const e of endpoints) {
    paths[e.path] ??= {};
    paths[e.path]![e.method.toLowerCase()] = operation(e, components);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Spoolcast API",
      version: "1.0.0",
      description:
        "Trigger PA broadcasts, place calls, run campaigns and manage wake-up calls from other systems. " +
        "Authenticate with `Authorization: Bearer <token>` (tokens are created by an administrator under Settings → API tokens). " +
        'Every POST needs an `Idempotency-Key` header. Errors are JSON: `{ "error": { "code", "message", "field" } }`.\n\n' +
        "Call outcomes come twice: `state`, a stable machine code to match on (its codes and their words are listed under the `Call` schema), " +
        "and `outcomeLabel`, the plain words the dashboard shows, which may be reworded.\n\n" +
        "Scopes: " +
        API_SCOPES.map((s) => `\`${s}\` (${SCOPE_DESCRIPTIONS[s]})`).join(", ") +
        ".",
    },
    servers: [{ url: API_BASE }],
    tags: [...new Set(endpoints.map((e) => e.tag))].map((name) => ({ name })),
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "An API token (spc_…) created under Settings → API tokens" },
      },
    },
  };
}
