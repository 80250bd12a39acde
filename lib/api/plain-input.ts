/**
 * The text rule (lib/text/plain-text.ts) at the API's door: every string in a request's path
 * parameters, query and JSON body, ids and codes included, is checked before the endpoint's own
 * schema, and the first that breaks it is refused with 422 naming its path (`groupIds.0`). Why at
 * the door and not only field by field: an id with a lone surrogate reaches the database as a
 * query the driver cannot encode (a 500), and a query filter with a NUL or a line break
 * quietly matched nothing; no field of the API has a use for them. Fields declared `multiLine`
 * (an announcement's text) may hold line breaks, nothing else from the rule.
 */
import { findForbiddenChar } from "@/lib/text/plain-text";
import { ApiError } from "./errors";

function check(value: unknown, path: string[], multiLine: readonly string[]): void {
  if (typeof value === "string") {
    const field = path.join(".");
    const bad = findForbiddenChar(value, { allowLineBreaks: multiLine.includes(field) });
    if (bad)
      throw new ApiError(422, "validation_failed", `${field || "value"}: must not contain ${bad.name}`, field || undefined);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => check(v, [...path, String(i)], multiLine));
    return;
  }
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      check(k, [...path, k], multiLine);
      check(v, [...path, k], multiLine);
    }
  }
}

/** Throws a 422 ApiError naming the first string of `input` the text rule refuses. */
export function assertPlainInput(input: unknown, multiLine: readonly string[] = []): void {
  check(input, [], multiLine);
}
