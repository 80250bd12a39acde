/**
 * The engine's reconcile writes on SQLite through a better-sqlite3 connection of its own
 * (the pattern of lib/csv/import-contacts.ts). Through Prisma's driver adapter each statement
 * costs milliseconds of query compilation and parameter mapping; reconciling 100,000 archived
 * files needs several hundred thousand row changes, which prepared statements run in
 * microseconds each. Each batch is one BEGIN IMMEDIATE transaction that runs to its end
 * synchronously: nothing else can interleave on the event loop while this connection holds
 * the write lock (a Prisma query waiting on the lock would block the loop in its busy handler).
 *
 * Values are stored the way Prisma's SQLite adapter stores them (DateTime as ISO-8601 text
 * with "+00:00", Boolean as 0/1), so rows written here read back identically through Prisma.
 */
import Database from "better-sqlite3";
import { newRowId } from "@/lib/engine/bulk";
import {
  RECONCILE_EVENT_TYPES,
  deliveryEventsByCall,
  lateArchiveFile,
  lateKey,
  planArchives,
  type ArchiveCall,
  type ArchiveItem,
  type AttemptRow,
} from "@/lib/engine/archive-plan";
import type { TimelineEvent } from "@/lib/engine/timeline";

/** Prisma's SQLite adapter stores DateTime as ISO text with "+00:00". */
function toSql(d: Date | null): string | null {
  return d ? d.toISOString().replace("Z", "+00:00") : null;
}

function fromSql(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  return new Date(typeof v === "string" ? v : Number(v));
}

type RawCall = Omit<ArchiveCall, "requireAck" | "spooledAt" | "answeredAt"> & {
  requireAck: number;
  spooledAt: string | null;
  answeredAt: string | null;
};

const CALL_COLUMNS = `"id", "state", "kind", "requireAck", "ackDigit", "retryTime", "attempts", "fileSeq", "claimedBy", "spooledAt", "heardMs", "answeredAt"`;
/** SQLite's default limit on host parameters is 32,766; batches stay far below it. */
const IDS_PER_QUERY = 900;

/** True for "the database is locked" errors (another connection holds the write lock). */
export function isSqliteBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code === "SQLITE_BUSY" || code.startsWith("SQLITE_BUSY_") || code === "SQLITE_LOCKED");
}

const placeholders = (n: number) => Array.from({ length: n }, () => "?").join(",");

export type SqliteDirect = {
  /** The archive columns of these calls (only those on `hostId`, when given). */
  findCalls(ids: string[], hostId?: string): ArchiveCall[];
  /** Which of these ids exist at all (on any host). */
  existingIds(ids: string[]): Set<string>;
  /**
   * Plans and writes a batch of archived files in one transaction (see planArchives); returns
   * the names whose outcome did not take (the call moved meanwhile; cannot happen under
   * BEGIN IMMEDIATE, kept for the same contract as the Prisma path).
   */
  applyArchives(items: ArchiveItem[], now: Date): Set<string>;
  close(): void;
};

export function openSqliteDirect(file: string): SqliteDirect {
  const conn = new Database(file);
  // No busy wait here: better-sqlite3 would sleep on the event loop, and the lock holder may be
  // a Prisma interactive transaction of this very process that needs the loop to finish —
  // a 15 s freeze. SQLITE_BUSY is thrown at once and the engine retries after a pause.
  conn.pragma("busy_timeout = 0");
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let s = statements.get(sql);
    if (!s) {
      s = conn.prepare(sql);
      statements.set(sql, s);
    }
    return s;
  };

  /** Runs `query` over `ids` in slices small enough for SQLite's parameter limit. */
  function allByIds<T>(ids: string[], sql: (marks: string) => string): T[] {
    const out: T[] = [];
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
      const part = ids.slice(i, i + IDS_PER_QUERY);
      out.push(...(prepare(sql(placeholders(part.length))).all(...part) as T[]));
    }
    return out;
  }

  function findCalls(ids: string[], hostId?: string): ArchiveCall[] {
    // By primary key only, the host compared here: with `AND "hostId" = ?` SQLite's planner
    // (no statistics) walks the (hostId, state) index — every call of the host, per batch.
    const rows = allByIds<RawCall & { hostId: string }>(
      ids,
      (m) => `SELECT ${CALL_COLUMNS}, "hostId" FROM "Call" WHERE "id" IN (${m})`,
    );
    return rows
      .filter((r) => hostId === undefined || r.hostId === hostId)
      .map(({ hostId: _host, ...r }) => ({
        ...r,
        requireAck: r.requireAck === 1,
        spooledAt: fromSql(r.spooledAt),
        answeredAt: fromSql(r.answeredAt),
      }));
  }

  const insertEvent = () =>
    prepare(`INSERT INTO "CallEvent" ("id", "callId", "at", "type", "source", "detail") VALUES (?, ?, ?, ?, ?, ?)`);
  const writeEvents = (events: TimelineEvent[], now: Date) => {
    const s = insertEvent();
    for (const e of events) s.run(newRowId(), e.callId, toSql(e.at ?? now), e.type, e.source, e.detail ?? "");
  };

  const apply = conn.transaction((items: ArchiveItem[], now: Date) => {
    const ids = [...new Set(items.map((i) => i.call.id))];
    const fresh = new Map(findCalls(ids).map((c) => [c.id, c]));
    const existing = allByIds<{
      callId: string;
      fileName: string;
      n: number;
      result: string | null;
      reason: string | null;
      startedAt: string | null;
      endedAt: string | null;
    }>(
      ids,
      (m) =>
        `SELECT "callId", "fileName", "n", "result", "reason", "startedAt", "endedAt" FROM "CallAttempt" WHERE "callId" IN (${m})`,
    ).map((r): AttemptRow => ({ ...r, startedAt: fromSql(r.startedAt), endedAt: fromSql(r.endedAt) }));
    const types = RECONCILE_EVENT_TYPES.map((t) => `'${t}'`).join(", ");
    const notes = allByIds<{ callId: string; type: string; detail: string }>(
      ids,
      (m) => `SELECT "callId", "type", "detail" FROM "CallEvent" WHERE "callId" IN (${m}) AND "type" IN (${types})`,
    );
    const lateSeen = new Set(
      notes.filter((r) => r.type === "late-archive").map((r) => lateKey(r.callId, lateArchiveFile(r.detail))),
    );
    const plan = planArchives(items, fresh, existing, lateSeen, deliveryEventsByCall(notes));

    writeEvents(plan.lateArchives, now);
    const insertAttempt = prepare(
      `INSERT INTO "CallAttempt" ("id", "callId", "fileName", "n", "startedAt", "endedAt", "result") VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const a of plan.attemptCreates)
      insertAttempt.run(newRowId(), a.callId, a.fileName, a.n, toSql(a.startedAt), toSql(a.endedAt), a.result);
    const updateAttempt = prepare(
      `UPDATE "CallAttempt" SET "startedAt" = ?, "endedAt" = ?, "result" = ? WHERE "callId" = ? AND "fileName" = ? AND "n" = ?`,
    );
    for (const a of plan.attemptUpdates)
      updateAttempt.run(toSql(a.startedAt), toSql(a.endedAt), a.result, a.callId, a.fileName, a.n);
    // Each outcome is guarded by the state it was decided from (the IVR store may move a row).
    const updateCall = prepare(
      `UPDATE "Call" SET "state" = ?, "outcome" = ?, "reason" = ?, "endedAt" = ?, "attempts" = ?, "currentFile" = ?,
        "spooledAt" = COALESCE("spooledAt", ?), "updatedAt" = ? WHERE "id" = ? AND "state" = ?`,
    );
    const at = toSql(now);
    const unsettled = new Set<string>();
    for (const o of plan.outcomes) {
      const ended = toSql(o.endedAt);
      const r = updateCall.run(o.state, o.state, o.reason, ended, o.attempts, o.currentFile, ended, at, o.id, o.from);
      if (r.changes === 1) writeEvents(plan.eventsFor.get(o.id) ?? [], now);
      else unsettled.add(o.currentFile);
    }
    return unsettled;
  });

  return {
    findCalls,
    existingIds: (ids) =>
      new Set(allByIds<{ id: string }>(ids, (m) => `SELECT "id" FROM "Call" WHERE "id" IN (${m})`).map((r) => r.id)),
    applyArchives(items, now) {
      return items.length > 0 ? apply.immediate(items, now) : new Set<string>();
    },
    close: () => conn.close(),
  };
}
