/**
 * The call-file model shared by the serializer, the parser and the engine
 * (docs/asterisk.md#call-files-pbx_spool). Spoolcast only ever writes files through
 * `serializeCallFile`, which validates every field against a strict grammar.
 */

/** Applications Spoolcast may put in a call file (allow-list). */
export const ALLOWED_APPLICATIONS = ["ExternalIVR", "Playback", "Wait", "Hangup"] as const;
export type AllowedApplication = (typeof ALLOWED_APPLICATIONS)[number];

/**
 * Dialplan functions a `Set:` line may write (docs/asterisk.md#cdr-userfield: a name ending in `)` is a function
 * write). Anything else is refused: `FILE(...)`, `DB(...)` or `SHELL(...)` writes would let a
 * call file change the PBX.
 */
export const ALLOWED_SET_FUNCTIONS = ["CDR(userfield)"] as const;

/** What Spoolcast asks Asterisk to do. Optional keys are omitted from the file when unset. */
export type CallFile = {
  /** `TECH/resource`, e.g. `PJSIP/+15551234567@trunk` or `Local/100@callees`. */
  channel: string;
  callerId?: { name?: string; number?: string };
  /** Application form: wins over Context/Extension when both are set (docs/asterisk.md#file-validation). */
  application?: AllowedApplication;
  data?: string;
  /** Dialplan form. */
  context?: string;
  extension?: string;
  priority?: number;
  /** Retries after the first attempt (total attempts = maxRetries + 1). 0..100. */
  maxRetries?: number;
  /** Seconds between attempt starts. 1..86400. */
  retryTime?: number;
  /** Ring timeout in seconds. 1..3600. */
  waitTime?: number;
  account?: string;
  /** Always written as `Archive: yes` by Spoolcast, but modelled for parsing. */
  archive?: boolean;
  alwaysDelete?: boolean;
  earlyMedia?: boolean;
  codecs?: string[];
  /** `Set:` lines in order; names may be functions such as `CDR(userfield)`. */
  variables?: Array<[name: string, value: string]>;
};

/** A field-level rejection from the serializer. */
export class CallFileError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = "CallFileError";
  }
}

/** A bookkeeping line Asterisk appended (docs/asterisk.md#attempts-and-retry-lines): `<kind>: <pid> <n> (<unix-seconds>)`. */
export type RetryLine = {
  kind: "StartRetry" | "EndRetry" | "AbortRetry" | "DelayedRetry";
  pid: number;
  n: number;
  /** Seconds since the epoch, as written. */
  time: number;
  line: number;
};

export type ArchiveStatus = "Completed" | "Expired" | "Failed";

/** Everything read back from a spool or archived file; malformed lines are reported, never thrown. */
export type ParsedCallFile = {
  file: Partial<CallFile>;
  retries: RetryLine[];
  status?: ArchiveStatus;
  issues: Array<{ line: number; message: string }>;
  /** Every `key: value` line as Asterisk sees it after comment and blank removal, in order (key not trimmed). */
  entries: Array<{ line: number; key: string; value: string }>;
  /** Whether Asterisk would accept the file (docs/asterisk.md#file-validation): tech, destination, and Application or Extension. */
  valid: boolean;
  /** Attempts Asterisk counts as used (`Retry`, `EndRetry`, `AbortRetry` lines; docs/asterisk.md#attempts-and-retry-lines). */
  attemptsUsed: number;
};

/** `spoolcast-<callId>-<n>.call`: unique per attempt file and never reused (docs/asterisk.md#file-names-are-never-reused). */
export function callFileName(callId: string, n: number): string {
  return `spoolcast-${callId}-${n}.call`;
}

/** The call id and sequence number of a Spoolcast file name, or null for any other file. */
export function parseCallFileName(name: string): { callId: string; n: number } | null {
  const m = /^spoolcast-([a-z0-9]{1,25})-(\d{1,6})\.call$/.exec(name);
  return m ? { callId: m[1]!, n: Number(m[2]) } : null;
}
