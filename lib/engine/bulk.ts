/**
 * Multi-row INSERTs for the engine's hot paths. Prisma's createMany costs about a third of a
 * millisecond per row through the JS driver adapters (measured by scripts/bench/engine-bench.ts);
 * one parameterised statement per few hundred rows is an order of magnitude cheaper. Column
 * types come from the INSERT target, so the same SQL runs on SQLite and PostgreSQL.
 */
import { randomBytes } from "node:crypto";
import type { Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/sqlite/client";
import type { TimelineEvent } from "@/lib/engine/timeline";

const ROWS_PER_STATEMENT = 300;

let lastTime = 0;
let counter = 0;
let pool = Buffer.alloc(0);
let poolAt = 0;

/**
 * A 25-character lowercase id that sorts by creation time, and by creation order within one
 * millisecond of one process, so timeline events of the same instant keep their order.
 */
export function newRowId(): string {
  const t = Date.now();
  if (t === lastTime) counter++;
  else {
    lastTime = t;
    counter = 0;
  }
  // Random bytes come from a pool: one randomBytes call per id cost a third of reconcile's
  // CPU time (100,000 archives write several hundred thousand rows).
  if (poolAt + 11 > pool.length) {
    pool = randomBytes(11 * 512);
    poolAt = 0;
  }
  let rand = "";
  for (let i = poolAt; i < poolAt + 11; i++) rand += (pool[i]! % 36).toString(36);
  poolAt += 11;
  return ("e" + t.toString(36).padStart(9, "0") + counter.toString(36).padStart(4, "0") + rand).slice(0, 25);
}

/** Inserts timeline events; `at` defaults to `now`. */
export async function insertEvents(tx: Tx, events: TimelineEvent[], now: Date): Promise<void> {
  for (let i = 0; i < events.length; i += ROWS_PER_STATEMENT) {
    const part = events.slice(i, i + ROWS_PER_STATEMENT);
    const values = part.map(
      (e) => Prisma.sql`(${newRowId()}, ${e.callId}, ${e.at ?? now}, ${e.type}, ${e.source}, ${e.detail ?? ""})`,
    );
    await tx.$executeRaw`INSERT INTO "CallEvent" ("id", "callId", "at", "type", "source", "detail") VALUES ${Prisma.join(values)}`;
  }
}

export type AttemptInsert = {
  callId: string;
  fileName: string;
  n: number;
  startedAt: Date | null;
  endedAt: Date | null;
  result: string | null;
};

/**
 * Inserts CallAttempt rows the caller did not find. The IVR server may create the same
 * (call, file, attempt) row meanwhile (a failed attempt's reason, from another process, under
 * PostgreSQL's READ COMMITTED): then what it wrote wins and only the empty columns are filled,
 * instead of the unique violation failing the whole reconciliation pass.
 */
export async function insertAttempts(tx: Tx, rows: AttemptInsert[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const part = rows.slice(i, i + ROWS_PER_STATEMENT);
    const values = part.map(
      (r) => Prisma.sql`(${newRowId()}, ${r.callId}, ${r.fileName}, ${r.n}, ${r.startedAt}, ${r.endedAt}, ${r.result})`,
    );
    await tx.$executeRaw`INSERT INTO "CallAttempt" ("id", "callId", "fileName", "n", "startedAt", "endedAt", "result") VALUES ${Prisma.join(values)}
      ON CONFLICT ("callId", "fileName", "n") DO UPDATE SET
        "startedAt" = COALESCE("CallAttempt"."startedAt", excluded."startedAt"),
        "endedAt" = COALESCE("CallAttempt"."endedAt", excluded."endedAt"),
        "result" = COALESCE("CallAttempt"."result", excluded."result")`;
  }
}

export type CallInsert = {
  id: string;
  kind: string;
  priority: number;
  state: string;
  hostId: string;
  campaignId: string | null;
  broadcastId: string | null;
  wakeUpId: string | null;
  contactId: string | null;
  createdById: string | null;
  destination: string;
  displayName: string;
  channel: string;
  callerId: string | null;
  audioId: string | null;
  requireAck: boolean;
  scriptJson: string;
  scheduledAt: Date;
  /** Never dialled after this (lib/engine/valid-until.ts); null: no limit. */
  validUntil: Date | null;
  maxRetries: number;
  retryTime: number;
  waitTime: number;
};

/** Inserts queued Call rows (a 10,000-call campaign in a few statements). */
export async function insertCalls(tx: Tx, rows: CallInsert[], now: Date): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const part = rows.slice(i, i + ROWS_PER_STATEMENT);
    const values = part.map(
      (r) =>
        Prisma.sql`(${r.id}, ${r.kind}, ${r.priority}, ${r.state}, ${r.hostId}, ${r.campaignId}, ${r.broadcastId}, ${r.wakeUpId}, ${r.contactId}, ${r.createdById}, ${r.destination}, ${r.displayName}, ${r.channel}, ${r.callerId}, ${r.audioId}, ${r.requireAck}, ${r.scriptJson}, ${r.scheduledAt}, ${r.validUntil}, ${r.maxRetries}, ${r.retryTime}, ${r.waitTime}, ${now}, ${now})`,
    );
    await tx.$executeRaw`INSERT INTO "Call" ("id", "kind", "priority", "state", "hostId", "campaignId", "broadcastId", "wakeUpId", "contactId", "createdById", "destination", "displayName", "channel", "callerId", "audioId", "requireAck", "scriptJson", "scheduledAt", "validUntil", "maxRetries", "retryTime", "waitTime", "createdAt", "updatedAt") VALUES ${Prisma.join(values)}`;
  }
}
