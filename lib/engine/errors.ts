/** An error a person can act on (bad input, a call in the wrong state); the message is safe to show. */
export class EngineUserError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "EngineUserError";
  }
}
