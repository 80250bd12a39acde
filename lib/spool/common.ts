/**
 * Rules shared by the local and SFTP spool transports: which names may be placed, where the
 * temp directory lives, how failures become `SpoolError`s, and the health thresholds.
 */
import path from "node:path";
import { SpoolError, type HealthCheck, type HealthReport } from "./types";

/** Temp files live next to outgoing/, never inside it: Asterisk treats every entry there as a call file. */
export const TEMP_DIR_NAME = ".spoolcast-tmp";
/** Owner and group (the Asterisk user) may read and append; nobody else. */
export const DEFAULT_FILE_MODE = 0o660;
/** A temp file older than this cannot belong to a write in progress (writes take milliseconds). */
export const STALE_TEMP_MS = 60_000;
export const SKEW_WARNING_MS = 2_000;
export const SKEW_ERROR_MS = 60_000;
export const FREE_SPACE_WARNING_BYTES = 50 * 1024 * 1024;
export const FREE_SPACE_ERROR_BYTES = 1024 * 1024;

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;
const SAFE_SUBDIR = /^[A-Za-z0-9][A-Za-z0-9._-]{0,100}(?:\/[A-Za-z0-9][A-Za-z0-9._-]{0,100}){0,4}$/;

/** Refuses anything that is not a plain file name (no `/`, no `..`, no dotfile). */
export function assertSpoolName(name: unknown): asserts name is string {
  if (typeof name !== "string" || !SAFE_NAME.test(name) || name.includes("..")) {
    throw new SpoolError(`Invalid spool file name ${JSON.stringify(name)}: use letters, digits, . _ - only`, "EINVAL", false);
  }
}

export function assertSubdir(subdir: unknown): asserts subdir is string {
  if (typeof subdir !== "string" || !SAFE_SUBDIR.test(subdir) || subdir.split("/").some((p) => p === "." || p === "..")) {
    throw new SpoolError(`Invalid archive subdirectory ${JSON.stringify(subdir)}`, "EINVAL", false);
  }
}

export function assertSchedule(scheduledAt: unknown): asserts scheduledAt is Date {
  if (!(scheduledAt instanceof Date) || Number.isNaN(scheduledAt.getTime())) {
    throw new SpoolError("scheduledAt must be a valid Date", "EINVAL", false);
  }
}

/** The temp dir must not be outgoing/ or inside it. */
export function isInside(dir: string, parent: string, p = path.posix): boolean {
  const rel = p.relative(parent, dir);
  return rel === "" || (!rel.startsWith("..") && !p.isAbsolute(rel));
}

export function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : typeof code === "number" ? `SFTP_${code}` : "EIO";
}

/** Wraps a filesystem/SFTP failure with what was being done and whether the file may be placed. */
export function toSpoolError(e: unknown, what: string, placed: false | "unknown", cleanup?: string): SpoolError {
  if (e instanceof SpoolError) return e;
  const detail = e instanceof Error ? e.message : String(e);
  const tail = placed === false ? "the file was not placed" : "the file may or may not be in outgoing/";
  return new SpoolError(`${what} failed: ${detail}; ${tail}${cleanup ? ` (${cleanup})` : ""}`, errorCode(e), placed, {
    cause: e,
  });
}

/** Asterisk appends `StartRetry` when it starts dialling a file (docs/asterisk.md#attempts-and-retry-lines). */
export function isPickedUp(content: string): boolean {
  return /^startretry:/im.test(content);
}

export function finishReport(checks: HealthCheck[], extra: Omit<HealthReport, "ok" | "checks">): HealthReport {
  return { ok: checks.every((c) => c.ok || c.severity !== "error"), checks, ...extra };
}

export function skewCheck(skewMs: number, how: string): HealthCheck {
  const abs = Math.abs(skewMs);
  const detail = `spool host clock is ${skewMs >= 0 ? "ahead" : "behind"} by about ${(abs / 1000).toFixed(1)} s (${how}); calls are scheduled by file mtime`;
  if (abs >= SKEW_ERROR_MS) return { name: "clock skew", ok: false, severity: "error", detail };
  if (abs >= SKEW_WARNING_MS) return { name: "clock skew", ok: false, severity: "warning", detail };
  return { name: "clock skew", ok: true, severity: "info", detail };
}

export function freeSpaceCheck(freeBytes: number): HealthCheck {
  const detail = `${(freeBytes / 1024 / 1024).toFixed(1)} MiB free on the spool filesystem`;
  if (freeBytes < FREE_SPACE_ERROR_BYTES) return { name: "free space", ok: false, severity: "error", detail };
  if (freeBytes < FREE_SPACE_WARNING_BYTES) return { name: "free space", ok: false, severity: "warning", detail };
  return { name: "free space", ok: true, severity: "info", detail };
}

/**
 * Can `uid`/`gid` write (create and delete entries) in a directory with this owner and mode?
 * Asterisk must delete or move every file from outgoing/.
 */
export function canWriteDir(st: { uid: number; gid: number; mode: number }, uid: number, gid: number | undefined): boolean {
  if (uid === 0) return true;
  if (st.uid === uid) return (st.mode & 0o300) === 0o300;
  if (gid !== undefined && st.gid === gid) return (st.mode & 0o030) === 0o030;
  return (st.mode & 0o003) === 0o003;
}
