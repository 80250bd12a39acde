/**
 * The audit log: who did what, when, to what, with a one-line summary of the change. Every
 * mutation records one event, inside the same transaction as the change when there is one,
 * so a change is never without its record (and a rolled-back change leaves none).
 */
import type { Db, Tx } from "@/lib/db";

/** Who acted: a signed-in user, an API token, or Spoolcast itself (engine, seed). */
export type AuditActor = { type: "user" | "token" | "system"; id: string | null; name: string };

export type AuditInput = {
  actor: AuditActor;
  /** Dotted verb, e.g. "user.create", "contact.update", "pa.launch". */
  action: string;
  /** Kind of thing changed, e.g. "user", "contact", "group". */
  targetType?: string;
  targetId?: string | null;
  /** Human-readable change, e.g. "role viewer → operator". Cut at 2,000 characters. */
  summary?: string;
  ip?: string | null;
};

const SUMMARY_MAX = 2000;

/** Writes one audit event with `client` (the shared client or a transaction). */
export async function recordAudit(client: Db | Tx, input: AuditInput): Promise<void> {
  await client.auditEvent.create({
    data: {
      actorType: input.actor.type,
      actorId: input.actor.id,
      actorName: input.actor.name.slice(0, 200),
      action: input.action,
      targetType: input.targetType ?? "",
      targetId: input.targetId ?? null,
      summary: (input.summary ?? "").slice(0, SUMMARY_MAX),
      ip: input.ip?.slice(0, 100) ?? null,
    },
  });
}

export type AuditFilters = {
  /** Exact action ("user.create") or a prefix ending in "." ("user."). */
  action?: string;
  actorId?: string;
  targetType?: string;
  /** Case-sensitive substring of the actor name, target id or summary. */
  query?: string;
  from?: Date;
  to?: Date;
};

export type AuditPage = {
  events: {
    id: string;
    at: Date;
    actorType: string;
    actorId: string | null;
    actorName: string;
    action: string;
    targetType: string;
    targetId: string | null;
    summary: string;
    ip: string | null;
  }[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
};

/** Newest-first page of audit events matching `filters`. Pages start at 1. */
export async function listAuditEvents(
  db: Db,
  filters: AuditFilters,
  pagination: { page?: number; pageSize?: number } = {},
): Promise<AuditPage> {
  const pageSize = Math.min(Math.max(pagination.pageSize ?? 50, 1), 200);
  const where = {
    ...(filters.action
      ? filters.action.endsWith(".")
        ? { action: { startsWith: filters.action } }
        : { action: filters.action }
      : {}),
    ...(filters.actorId ? { actorId: filters.actorId } : {}),
    ...(filters.targetType ? { targetType: filters.targetType } : {}),
    ...(filters.from || filters.to
      ? { at: { ...(filters.from ? { gte: filters.from } : {}), ...(filters.to ? { lt: filters.to } : {}) } }
      : {}),
    ...(filters.query
      ? {
          OR: [
            { actorName: { contains: filters.query } },
            { targetId: { contains: filters.query } },
            { summary: { contains: filters.query } },
          ],
        }
      : {}),
  };
  const total = await db.auditEvent.count({ where });
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(Math.trunc(pagination.page ?? 1), 1), pageCount);
  const events = await db.auditEvent.findMany({
    where,
    orderBy: [{ at: "desc" }, { id: "desc" }],
    skip: (page - 1) * pageSize,
    take: pageSize,
  });
  return { events, total, page, pageSize, pageCount };
}

/** The distinct actions recorded so far, for the filter drop-down. */
export async function listAuditActions(db: Db): Promise<string[]> {
  const rows = await db.auditEvent.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } });
  return rows.map((r) => r.action);
}
