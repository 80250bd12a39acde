/**
 * C's `strerror(errno)` and errno numbers for Node's error codes, so the simulator's log lines
 * read as Asterisk's do (`... : Connection refused`, `'Permission denied'(13)`).
 */
import { constants } from "node:os";

const STRERROR: Record<string, string> = {
  EACCES: "Permission denied",
  EPERM: "Operation not permitted",
  ENOENT: "No such file or directory",
  EISDIR: "Is a directory",
  EMFILE: "Too many open files",
  ENFILE: "Too many open files in system",
  EIO: "Input/output error",
  ECONNREFUSED: "Connection refused",
  ETIMEDOUT: "Connection timed out",
  EHOSTUNREACH: "No route to host",
  ENETUNREACH: "Network is unreachable",
  ECONNRESET: "Connection reset by peer",
};

/** What strerror prints for the error's code; Node's own message for codes not listed. */
export function strerror(err: NodeJS.ErrnoException): string {
  return (err.code && STRERROR[err.code]) || err.message;
}

/** The errno number of the error's code (Linux values), or -1 when unknown. */
export function errnoNumber(err: NodeJS.ErrnoException): number {
  const n = err.code ? (constants.errno as Record<string, number>)[err.code] : undefined;
  return n ?? -1;
}
