/**
 * Errors a user can act on (docs/architecture.md#conventions). A `UserError` carries a message that is safe
 * to show as-is and, when the problem is one input, the name of that field so forms can put
 * the message next to it. Anything else thrown is a bug or an outage: it is logged with a
 * reference id and the user sees a generic message (lib/actions/authorized-action.ts).
 */

export class UserError extends Error {
  /** The input field at fault, matching the form field / zod path name, if any. */
  readonly field?: string;
  /** A stable machine-readable kind of problem (the REST API's error code); default "invalid_request". */
  readonly code: string;

  constructor(message: string, options?: { field?: string; code?: string }) {
    super(message);
    this.name = "UserError";
    this.field = options?.field;
    this.code = options?.code ?? "invalid_request";
  }
}

/** True for errors whose message may be shown to the user. */
export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
