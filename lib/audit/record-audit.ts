/**
 * TEMPORARY stand-in for found-auth's lib/audit/record-audit.ts (same planned API), replaced on merge.
 */
import type { Db, Tx } from "@/lib/db";

export type AuditActor = { type: "user" | "token" | "system"; id: string | null; name: string };
export type AuditInput = { actor: AuditActor; action: string; targetType?: string; targetId?: string | null; summary?: string; ip?: string | null };

export async function recordAudit(client: Db | Tx, input: AuditInput): Promise<void> {
  await client.auditEvent.create({
    data: {
      actorType: input.actor.type,
      actorId: input.actor.id,
      actorName: input.actor.name,
      action: input.action,
      targetType: input.targetType ?? "",
      targetId: input.targetId ?? null,
      summary: input.summary ?? "",
      ip: input.ip ?? null,
    },
  });
}
