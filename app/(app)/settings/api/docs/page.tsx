import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { requireCapability } from "@/lib/auth/current-user";
import { SchemaView, type JsonSchema } from "./schema-view";

export const metadata: Metadata = { title: "API documentation" };

type Operation = {
  operationId: string;
  summary: string;
  description: string;
  "x-scope": string;
  parameters: { name: string; in: string; required: boolean; description?: string; schema: JsonSchema }[];
  requestBody?: { content: { "application/json": { schema: JsonSchema; example?: unknown } } };
  responses: Record<string, { description: string; content?: { "application/json": { schema: JsonSchema } } }>;
};

const METHOD_STYLE: Record<string, string> = {
  get: "bg-green-50 text-green-800 border-green-200",
  post: "bg-blue-50 text-blue-800 border-blue-200",
  patch: "bg-amber-50 text-amber-900 border-amber-200",
  delete: "bg-red-50 text-red-800 border-red-200",
};

function curlFor(base: string, method: string, path: string, op: Operation): string {
  const url = `${base}/api/v1${path.replace(/\{(\w+)\}/g, (_, n: string) => `<${n}>`)}`;
  const lines = [`curl -X ${method.toUpperCase()} '${url}'`, `  -H 'Authorization: Bearer $SPOOLCAST_TOKEN'`];
  if (method === "post") lines.push(`  -H "Idempotency-Key: $(uuidgen)"`);
  const body = op.requestBody?.content["application/json"];
  if (body) {
    lines.push(`  -H 'Content-Type: application/json'`);
    lines.push(`  -d '${JSON.stringify(body.example ?? {})}'`);
  }
  return lines.join(" \\\n");
}

export default async function ApiDocsPage() {
  await requireCapability("tokens.manage");
  const doc = buildOpenApiDocument();
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost:3000";
  const proto = (h.get("x-forwarded-proto") ?? "http").split(",")[0];
  const base = `${proto}://${host}`;
  const ops = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op: op as unknown as Operation })),
  );
  const components = doc.components.schemas as Record<string, JsonSchema>;
  // Show a referenced schema's fields in place; nested references stay links to "Schemas".
  const expand = (schema: JsonSchema): JsonSchema =>
    schema.$ref ? (components[schema.$ref.split("/").pop()!] ?? schema) : schema;
  const tags = [...new Set(ops.map((o) => (o.op as unknown as { tags: string[] }).tags[0]!))];
  return (
    <>
      <PageHeader
        title="API documentation"
        description={
          <>
            Spoolcast REST API v{doc.info.version}. Machine-readable:{" "}
            <Link className="text-blue-700 underline" href="/api/v1/openapi.json" prefetch={false}>
              /api/v1/openapi.json
            </Link>{" "}
            (OpenAPI 3.1). Tokens:{" "}
            <Link className="text-blue-700 underline" href="/settings/api">
              Settings → API tokens
            </Link>
            .
          </>
        }
      />
      <Card className="mb-6 p-5 text-sm text-slate-700">
        <h2 className="mb-2 font-semibold text-slate-900">Conventions</h2>
        <ul className="list-disc space-y-1 pl-5">
          <li>
            Authenticate every request with <code>Authorization: Bearer &lt;token&gt;</code>. Missing, revoked or expired tokens
            get 401; a token without the endpoint&apos;s scope gets 403.
          </li>
          <li>
            Every POST needs an <code>Idempotency-Key</code> header. Retrying with the same key returns the first response (header{" "}
            <code>Idempotent-Replayed: true</code>) and never repeats the action; the same key with a different body gets 422.
          </li>
          <li>
            Errors are JSON: <code>{`{ "error": { "code", "message", "field" } }`}</code>; <code>field</code> names the input at
            fault.
          </li>
          <li>
            Each token has a request budget per minute; over it you get 429 with a <code>Retry-After</code> header in seconds.
          </li>
        </ul>
      </Card>
      {tags.map((tag) => (
        <section key={tag} className="mb-8">
          <h2 className="mb-3 text-lg font-semibold text-slate-900">{tag}</h2>
          <div className="flex flex-col gap-4">
            {ops
              .filter((o) => (o.op as unknown as { tags: string[] }).tags[0] === tag)
              .map(({ path, method, op }) => {
                const success = Object.entries(op.responses).find(([s]) => s.startsWith("2"));
                const errors = Object.entries(op.responses).filter(([s]) => !s.startsWith("2"));
                const body = op.requestBody?.content["application/json"];
                return (
                  <Card key={op.operationId} id={op.operationId} className="min-w-0 p-5">
                    <div className="flex flex-wrap items-center gap-2">
                      <span
                        className={`rounded border px-2 py-0.5 font-mono text-xs font-bold uppercase ${METHOD_STYLE[method] ?? ""}`}
                      >
                        {method}
                      </span>
                      <code className="font-semibold break-all text-slate-900">/api/v1{path}</code>
                      <Badge variant="secondary">scope {op["x-scope"]}</Badge>
                    </div>
                    <p className="mt-2 font-medium text-slate-900">{op.summary}</p>
                    <p className="mt-1 text-sm whitespace-pre-line text-slate-600">{op.description.replace(/`/g, "")}</p>
                    {op.parameters.length > 0 ? (
                      <>
                        <h3 className="mt-4 mb-1 text-sm font-semibold text-slate-900">Parameters</h3>
                        <ul className="divide-y divide-slate-100 text-sm">
                          {op.parameters.map((p) => (
                            <li key={`${p.in}-${p.name}`} className="flex flex-wrap gap-x-2 py-1">
                              <code className="font-semibold">{p.name}</code>
                              <span className="text-slate-500">
                                {p.in}
                                {p.required ? ", required" : ""}
                              </span>
                              <SchemaView schema={p.schema} inline />
                              {p.description ? <span className="w-full text-slate-600">{p.description}</span> : null}
                            </li>
                          ))}
                        </ul>
                      </>
                    ) : null}
                    {body ? (
                      <>
                        <h3 className="mt-4 mb-1 text-sm font-semibold text-slate-900">Request body</h3>
                        <SchemaView schema={expand(body.schema)} />
                      </>
                    ) : null}
                    {success ? (
                      <>
                        <h3 className="mt-4 mb-1 text-sm font-semibold text-slate-900">Response {success[0]}</h3>
                        {success[1].content ? (
                          <SchemaView schema={expand(success[1].content["application/json"].schema)} />
                        ) : null}
                      </>
                    ) : null}
                    <p className="mt-3 text-sm text-slate-600">
                      Errors: {errors.map(([s, r]) => `${s} ${r.description.replace(/`/g, "")}`).join(" · ")}
                    </p>
                    <h3 className="mt-4 mb-1 text-sm font-semibold text-slate-900">Example</h3>
                    <pre className="overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">
                      {curlFor(base, method, path, op)}
                    </pre>
                  </Card>
                );
              })}
          </div>
        </section>
      ))}
      <section className="mb-8">
        <h2 className="mb-3 text-lg font-semibold text-slate-900">Schemas</h2>
        <div className="flex flex-col gap-4">
          {Object.entries(doc.components.schemas).map(([name, schema]) => (
            <Card key={name} id={`schema-${name}`} className="min-w-0 p-5">
              <h3 className="mb-2 font-mono text-sm font-semibold text-slate-900">{name}</h3>
              <SchemaView schema={schema as JsonSchema} />
            </Card>
          ))}
        </div>
      </section>
    </>
  );
}
