/**
 * An in-memory SpoolTransport for engine unit tests, with helpers that play Asterisk's side
 * byte-exactly (StartRetry/EndRetry appends, archive + Status; docs/asterisk.md#attempts-and-retry-lines)
 * and fault injection for spool errors.
 */
import { SpoolError, type SpoolEntry, type SpoolTransport } from "@/lib/spool/types";

type File = { content: string; mtime: Date };

export type FakeTransport = SpoolTransport & {
  outgoing: Map<string, File>;
  archived: Map<string, File>;
  moved: Map<string, File>;
  writes: string[];
  /** The next write fails with this error (after placing the file when placed is "unknown"). */
  failNextWrite(code: string, placed: false | "unknown"): void;
  /** Asterisk starts attempt n at `at` (unix seconds) with RetryTime r. */
  startAttempt(name: string, n: number, at: number, retryTime: number, pid?: number): void;
  endAttempt(name: string, n: number, at: number, pid?: number): void;
  /** A restarted Asterisk (new pid) aborts the attempt n its predecessor left running (docs/asterisk.md#attempts-and-retry-lines). */
  abortAttempt(name: string, n: number, at: number, pid: number): void;
  /** Asterisk removes the file with a status: moved to outgoing_done/ then Status appended. */
  archive(name: string, status: "Completed" | "Expired" | "Failed", at?: Date): void;
};

export function createFakeTransport(): FakeTransport {
  const outgoing = new Map<string, File>();
  const archived = new Map<string, File>();
  const moved = new Map<string, File>();
  const writes: string[] = [];
  let failure: { code: string; placed: false | "unknown" } | null = null;
  const entries = (m: Map<string, File>): SpoolEntry[] =>
    [...m.entries()].map(([name, f]) => ({ name, mtime: f.mtime, size: Buffer.byteLength(f.content) }));
  const append = (name: string, word: string, pid: number, n: number, t: number) => {
    const f = outgoing.get(name);
    if (!f) throw new Error(`${name} is not in outgoing/`);
    f.content += `\n${word}: ${pid} ${n} (${t})\n`;
    f.mtime = new Date(f.mtime.getTime() + 1000);
  };
  return {
    outgoing,
    archived,
    moved,
    writes,
    failNextWrite(code, placed) {
      failure = { code, placed };
    },
    startAttempt(name, n, at, retryTime, pid = 4242) {
      append(name, "StartRetry", pid, n, at + retryTime);
    },
    endAttempt(name, n, at, pid = 4242) {
      append(name, "EndRetry", pid, n, at);
    },
    abortAttempt(name, n, at, pid) {
      append(name, "AbortRetry", pid, n, at);
    },
    archive(name, status, at = new Date()) {
      const f = outgoing.get(name);
      if (!f) throw new Error(`${name} is not in outgoing/`);
      outgoing.delete(name);
      archived.set(name, { content: f.content + `Status: ${status}\n`, mtime: at });
    },
    async write({ name, content, scheduledAt }) {
      if (failure) {
        const f = failure;
        failure = null;
        if (f.placed === "unknown") {
          outgoing.set(name, { content, mtime: scheduledAt });
          writes.push(name);
        }
        throw new SpoolError(`injected ${f.code}`, f.code, f.placed);
      }
      if (outgoing.has(name)) throw new SpoolError(`${name} exists`, "EEXIST", false);
      outgoing.set(name, { content, mtime: scheduledAt });
      writes.push(name);
    },
    async cancel(name) {
      return outgoing.delete(name);
    },
    async listOutgoing() {
      return entries(outgoing);
    },
    async readOutgoing(name) {
      return outgoing.get(name)?.content ?? null;
    },
    async listArchived() {
      return entries(archived);
    },
    async readArchived(name) {
      return archived.get(name)?.content ?? null;
    },
    async removeArchived(name, mode) {
      const f = archived.get(name);
      if (!f) return;
      archived.delete(name);
      if (mode !== "delete") moved.set(`${mode.moveTo}/${name}`, f);
    },
    async health() {
      return { ok: true, checks: [] };
    },
    async close() {},
  };
}
