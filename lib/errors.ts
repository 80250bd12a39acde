/**
 * TEMPORARY stand-in for found-auth's lib/errors.ts (same planned API), replaced on merge.
 */
export class UserError extends Error {
  readonly field?: string;
  constructor(message: string, options?: { field?: string }) {
    super(message);
    this.name = "UserError";
    this.field = options?.field;
  }
}
