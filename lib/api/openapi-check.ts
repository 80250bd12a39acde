/**
 * A structural check of an OpenAPI 3.1 document (no validator package is installed): the
 * required top-level fields, every operation has an operationId (unique), responses with a
 * 2xx, declared path parameters for every `{name}` in its path, security that names a
 * declared scheme, and every `$ref` resolving inside the document. Returns the problems.
 */
type Json = Record<string, unknown>;
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

export function checkOpenApiDocument(doc: Json): string[] {
  const problems: string[] = [];
  if (typeof doc.openapi !== "string" || !/^3\.1\.\d+$/.test(doc.openapi)) problems.push("openapi must be 3.1.x");
  const info = doc.info as Json | undefined;
  if (!info || typeof info.title !== "string" || typeof info.version !== "string")
    problems.push("info.title and info.version are required");
  const paths = doc.paths as Record<string, Json> | undefined;
  if (!paths || typeof paths !== "object" || Object.keys(paths).length === 0) problems.push("paths must list at least one path");
  const schemes = ((doc.components as Json | undefined)?.securitySchemes ?? {}) as Record<string, Json>;
  for (const [name, s] of Object.entries(schemes)) {
    if (!["apiKey", "http", "oauth2", "openIdConnect", "mutualTLS"].includes(String(s.type)))
      problems.push(`securitySchemes.${name}: bad type`);
    if (s.type === "http" && typeof s.scheme !== "string") problems.push(`securitySchemes.${name}: http needs scheme`);
  }
  const checkSecurity = (sec: unknown, where: string) => {
    if (sec === undefined) return;
    if (!Array.isArray(sec)) return problems.push(`${where}: security must be an array`);
    for (const req of sec as Json[])
      for (const name of Object.keys(req))
        if (!schemes[name]) problems.push(`${where}: security names undeclared scheme ${name}`);
  };
  checkSecurity(doc.security, "document");
  const ids = new Set<string>();
  for (const [p, item] of Object.entries(paths ?? {})) {
    if (!p.startsWith("/")) problems.push(`path ${p} must start with /`);
    const templated = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    for (const [method, op] of Object.entries(item)) {
      const where = `${method.toUpperCase()} ${p}`;
      if (!METHODS.includes(method)) {
        problems.push(`${where}: unknown method`);
        continue;
      }
      const o = op as Json;
      if (typeof o.operationId !== "string") problems.push(`${where}: operationId missing`);
      else if (ids.has(o.operationId)) problems.push(`${where}: duplicate operationId ${o.operationId}`);
      else ids.add(o.operationId);
      const responses = o.responses as Record<string, Json> | undefined;
      if (!responses || Object.keys(responses).length === 0) problems.push(`${where}: no responses`);
      else {
        if (!Object.keys(responses).some((s) => /^2\d\d$/.test(s))) problems.push(`${where}: no 2xx response`);
        for (const [status, r] of Object.entries(responses)) {
          if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(status)) problems.push(`${where}: bad status ${status}`);
          if (typeof r.description !== "string") problems.push(`${where}: response ${status} needs a description`);
        }
      }
      const params = (o.parameters ?? []) as Json[];
      for (const prm of params) {
        if (typeof prm.name !== "string" || !["query", "header", "path", "cookie"].includes(String(prm.in)))
          problems.push(`${where}: bad parameter ${JSON.stringify(prm)}`);
        if (prm.in === "path" && prm.required !== true)
          problems.push(`${where}: path parameter ${String(prm.name)} must be required`);
        if (!prm.schema && !prm.content) problems.push(`${where}: parameter ${String(prm.name)} needs a schema`);
      }
      for (const name of templated)
        if (!params.some((prm) => prm.in === "path" && prm.name === name))
          problems.push(`${where}: path parameter ${name} not declared`);
      for (const prm of params)
        if (prm.in === "path" && !templated.includes(String(prm.name)))
          problems.push(`${where}: path parameter ${String(prm.name)} not in the path`);
      checkSecurity(o.security, where);
    }
  }
  walkRefs(doc, doc, "#", problems);
  return problems;
}

function resolve(doc: Json, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (!node || typeof node !== "object" || !(key in (node as Json))) return undefined;
    node = (node as Json)[key];
  }
  return node;
}

function walkRefs(doc: Json, node: unknown, at: string, problems: string[]): void {
  if (Array.isArray(node)) node.forEach((v, i) => walkRefs(doc, v, `${at}/${i}`, problems));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref") {
        if (typeof v !== "string" || resolve(doc, v) === undefined) problems.push(`${at}: $ref ${String(v)} does not resolve`);
      } else walkRefs(doc, v, `${at}/${k}`, problems);
    }
  }
}
