import { buildOpenApiDocument } from "@/lib/api/openapi";

/** The public API description; no token needed (it holds no data). */
export function GET(): Response {
  return Response.json(buildOpenApiDocument());
}
