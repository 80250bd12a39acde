/**
 * The API's error shape: `{ error: { code, message, field?, details? } }` with a 4xx/5xx
 * status. `field` names the input at fault (a body or query property path such as
 * `groupId` or `contacts.0.phone`, or a header name) so a client can point at it.
 */
import { z } from "zod";

export type ApiErrorBody = {
  error: { code: string; message: string; field?: string; details?: { field: string; message: string }[] };
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
    readonly details?: { field: string; message: string }[],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function errorResponse(e: ApiError): Response {
  const body: ApiErrorBody = { error: { code: e.code, message: e.message } };
  if (e.field) body.error.field = e.field;
  if (e.details?.length) body.error.details = e.details;
  return Response.json(body, { status: e.status, headers: e.headers });
}

/** A 422 naming the first invalid field (all of them in `details`). */
export function validationError(error: z.ZodError, prefix = ""): ApiError {
  const details = error.issues.map((i) => ({
    field: prefix + (i.path.length ? i.path.map(String).join(".") : ""),
    message: i.message,
  }));
  const first = details[0] ?? { field: prefix, message: "Invalid input" };
  const field = first.field || undefined;
  return new ApiError(422, "validation_failed", field ? `${field}: ${first.message}` : first.message, field, {}, details);
}

/** The JSON schema of the error body, for the OpenAPI document. */
export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: "Stable machine-readable code, e.g. validation_failed, insufficient_scope" }),
      message: z.string().meta({ description: "Human-readable explanation" }),
      field: z.string().optional().meta({ description: "The input at fault (body/query property path or header name)" }),
      details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: "Error" });
