/**
 * The spool transport: how Spoolcast places call files in an Asterisk host's `outgoing/`
 * and reads back `outgoing_done/` (local filesystem or SFTP). Implementations guarantee
 * that a file appears in `outgoing/` only complete, with its owner and mtime already set
 * (temp file on the same filesystem, then rename), and never overwrite an existing name.
 */

export type SpoolEntry = { name: string; mtime: Date; size: number };

export type HealthCheck = { name: string; ok: boolean; detail: string; severity: "error" | "warning" | "info" };
export type HealthReport = { ok: boolean; checks: HealthCheck[]; clockSkewMs?: number; freeBytes?: number };

/** Why a write failed, and whether the file may nevertheless be in `outgoing/`. */
export class SpoolError extends Error {
  constructor(
    message: string,
    /** ENOSPC, EACCES, ENOENT, EEXIST, EXDEV, ECONNRESET, HOSTKEY, ... */
    readonly code: string,
    /** false: definitely not in outgoing/; "unknown": may be (connection lost after rename was sent). */
    readonly placed: false | "unknown",
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "SpoolError";
  }
}

export type SpoolTransport = {
  /** Places `content` as outgoing/<name> with mtime `scheduledAt` (the schedule). Throws SpoolError. */
  write(file: { name: string; content: string; scheduledAt: Date }): Promise<void>;
  /** Removes outgoing/<name> if it is still there; true when it was removed. */
  cancel(name: string): Promise<boolean>;
  listOutgoing(): Promise<SpoolEntry[]>;
  /** Current content of outgoing/<name> (with Asterisk's appended lines), or null if gone. */
  readOutgoing(name: string): Promise<string | null>;
  listArchived(): Promise<SpoolEntry[]>;
  readArchived(name: string): Promise<string | null>;
  /**
   * Several archives at once, in the order given (null: gone). Optional: a transport that can
   * read many files cheaper than one by one (local) provides it; the engine falls back to
   * readArchived.
   */
  readArchivedMany?(names: string[]): Promise<Array<string | null>>;
  /** Retention: delete an archived file, or move it into outgoing_done/<subdir>/. */
  removeArchived(name: string, mode: "delete" | { moveTo: string }): Promise<void>;
  health(): Promise<HealthReport>;
  close(): Promise<void>;
};
