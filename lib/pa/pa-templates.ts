/**
 * PA templates: admin-made announcements (fire, lockdown, weather, all clear) an operator
 * fires without choosing a message or options under stress. Each mutation is audited.
 */
import type { Db } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { assertDeliveredToTarget } from "@/lib/audio/delivery-check";
import { UserError } from "@/lib/errors";
import {
  paTemplateIdSchema,
  paTemplateSchema,
  parseOrThrow,
  updatePaTemplateSchema,
  type PaTemplateInput,
} from "@/lib/pa/pa.schema";

export type PaTemplateRow = {
  id: string;
  name: string;
  audioId: string;
  audioName: string;
  requireAck: boolean;
  repeat: number;
  broadcasts: number;
};

export async function listPaTemplates(db: Db): Promise<PaTemplateRow[]> {
  const rows = await db.paTemplate.findMany({
    orderBy: { name: "asc" },
    include: { audio: { select: { name: true } }, _count: { select: { broadcasts: true } } },
  });
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    audioId: t.audioId,
    audioName: t.audio.name,
    requireAck: t.requireAck,
    repeat: t.repeat,
    broadcasts: t._count.broadcasts,
  }));
}

/**
 * The message must exist and be on the Asterisk host PAs go to (no silent PA): a template is
 * fired under stress, so a message the PBX cannot play is refused when the template is made,
 * not discovered at the launch. `checkDelivery` is off when an edit keeps the message.
 */
async function checkAudioAndName(
  db: Db,
  input: { name: string; audioId: string },
  opts: { exceptId?: string; checkDelivery: boolean },
): Promise<string> {
  const audio = await db.audioMessage.findUnique({ where: { id: input.audioId }, select: { name: true } });
  if (!audio) throw new UserError("Choose a message from the library.", { field: "audioId" });
  if (opts.checkDelivery) await assertDeliveredToTarget(db, { audioId: input.audioId, field: "audioId" });
  const exceptId = opts.exceptId;
  const clash = await db.paTemplate.findUnique({ where: { name: input.name }, select: { id: true } });
  if (clash && clash.id !== exceptId) throw new UserError(`A template named "${input.name}" already exists.`, { field: "name" });
  return audio.name;
}

export async function createPaTemplate(
  db: Db,
  input: PaTemplateInput,
  actor: AuditActor,
  opts: { ip?: string | null } = {},
): Promise<{ id: string }> {
  const data = parseOrThrow(paTemplateSchema, input);
  const audioName = await checkAudioAndName(db, data, { checkDelivery: true });
  return db.$transaction(async (tx) => {
    const t = await tx.paTemplate.create({ data, select: { id: true } });
    await recordAudit(tx, {
      actor,
      action: "pa.template.create",
      targetType: "pa-template",
      targetId: t.id,
      summary: `${data.name}: "${audioName}", ${data.requireAck ? "acknowledgement required" : "no acknowledgement"}, played ${data.repeat}×`,
      ip: opts.ip ?? null,
    });
    return t;
  });
}

export async function updatePaTemplate(
  db: Db,
  input: PaTemplateInput & { id: string },
  actor: AuditActor,
  opts: { ip?: string | null } = {},
): Promise<{ id: string }> {
  const { id, ...data } = parseOrThrow(updatePaTemplateSchema, input);
  const before = await db.paTemplate.findUnique({ where: { id } });
  if (!before) throw new UserError("That template no longer exists.", { field: "id" });
  const audioName = await checkAudioAndName(db, data, { exceptId: id, checkDelivery: data.audioId !== before.audioId });
  return db.$transaction(async (tx) => {
    await tx.paTemplate.update({ where: { id }, data });
    await recordAudit(tx, {
      actor,
      action: "pa.template.update",
      targetType: "pa-template",
      targetId: id,
      summary: `${before.name}${before.name !== data.name ? ` → ${data.name}` : ""}: "${audioName}", ${data.requireAck ? "acknowledgement required" : "no acknowledgement"}, played ${data.repeat}×`,
      ip: opts.ip ?? null,
    });
    return { id };
  });
}

/** Past PAs keep their message and options; only the template link is cleared. */
export async function deletePaTemplate(
  db: Db,
  input: { id: string },
  actor: AuditActor,
  opts: { ip?: string | null } = {},
): Promise<void> {
  const { id } = parseOrThrow(paTemplateIdSchema, input);
  const t = await db.paTemplate.findUnique({ where: { id }, select: { name: true } });
  if (!t) throw new UserError("That template no longer exists.", { field: "id" });
  await db.$transaction(async (tx) => {
    await tx.paBroadcast.updateMany({ where: { templateId: id }, data: { templateId: null } });
    await tx.paTemplate.delete({ where: { id } });
    await recordAudit(tx, {
      actor,
      action: "pa.template.delete",
      targetType: "pa-template",
      targetId: id,
      summary: t.name,
      ip: opts.ip ?? null,
    });
  });
}
