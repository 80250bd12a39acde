/**
 * Launching a PA: one PaBroadcast and one emergency-priority Call per unique number (see
 * recipients.ts for who). The engine spools them ahead of every other queued call, within the
 * host's concurrency limit; the rest wait in the queue, nothing is dropped.
 *
 * Choices, so the board and the API agree:
 * - Caller ID is left empty on the Call, so the call file gets the host's PA caller ID and
 *   PA variables when it is written (lib/engine/build-call-file.ts): a host setting changed
 *   mid-PA applies to the calls not yet spooled.
 * - No automatic retries (maxRetries 0): an emergency announcement redialled minutes later
 *   may be stale; "Re-call unreached" on the board is the deliberate retry.
 */
import type { Db } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { createTts } from "@/lib/audio/create-tts";
import { DEFAULT_TTS_WPM } from "@/lib/audio/limits";
import { enqueueCalls, type EnqueueCall } from "@/lib/engine/calls";
import { EngineUserError } from "@/lib/engine/errors";
import { UserError } from "@/lib/errors";
import { serializeCallScript } from "@/lib/ivr/scripts";
import { launchPaSchema, parseOrThrow, type LaunchPaInput } from "@/lib/pa/pa.schema";
import { resolvePaRecipients, type PaRecipient } from "@/lib/pa/recipients";

export type LaunchPaResult = {
  broadcastId: string;
  /** Calls queued (unique numbers). */
  recipients: number;
  withoutNumber: number;
  duplicates: number;
  audioId: string;
};

export type PaMessage = { audioId: string; audioName: string; templateId: string | null; requireAck: boolean; repeat: number };

/** The message a PA plays and its defaults; text is synthesised and saved to the library first. */
async function resolveMessage(
  db: Db,
  input: ReturnType<typeof launchPaSchema.parse>,
  actor: AuditActor,
  ip: string | null,
): Promise<PaMessage> {
  if (input.templateId) {
    const t = await db.paTemplate.findUnique({
      where: { id: input.templateId },
      include: { audio: { select: { id: true, name: true } } },
    });
    if (!t) throw new UserError("That PA template no longer exists; reload the page.", { field: "templateId" });
    return {
      audioId: t.audio.id,
      audioName: t.audio.name,
      templateId: t.id,
      requireAck: input.requireAck ?? t.requireAck,
      repeat: input.repeat ?? t.repeat,
    };
  }
  if (input.audioId) {
    const a = await db.audioMessage.findUnique({ where: { id: input.audioId }, select: { id: true, name: true } });
    if (!a) throw new UserError("That message no longer exists in the library; reload the page.", { field: "audioId" });
    return {
      audioId: a.id,
      audioName: a.name,
      templateId: null,
      requireAck: input.requireAck ?? true,
      repeat: input.repeat ?? 1,
    };
  }
  // Named after its first words so the library and the board say what was announced.
  const words = input.ttsText!.replace(/\s+/g, " ").trim();
  const name = `PA: ${words.length > 60 ? `${words.slice(0, 59).trimEnd()}…` : words}`;
  const saved = await createTts(db, {
    text: input.ttsText!,
    voice: input.ttsVoice,
    wpm: DEFAULT_TTS_WPM,
    name,
    tags: ["pa"],
    actor,
    ip,
  });
  return {
    audioId: saved.id,
    audioName: saved.name,
    templateId: null,
    requireAck: input.requireAck ?? true,
    repeat: input.repeat ?? 1,
  };
}

/** Queues the calls of a broadcast; EngineUserError (e.g. no host) becomes a UserError. */
export async function enqueuePaCalls(
  db: Db,
  broadcastId: string,
  recipients: PaRecipient[],
  message: { audioId: string; requireAck: boolean; repeat: number },
  createdById: string | null,
): Promise<string[]> {
  const scriptJson = serializeCallScript({ kind: "message", requireAck: message.requireAck, repeat: message.repeat });
  const calls: EnqueueCall[] = recipients.map((r) => ({
    kind: "pa",
    destination: r.e164,
    displayName: r.name,
    ...(r.contactId ? { contactId: r.contactId } : {}),
    audioId: message.audioId,
    requireAck: message.requireAck,
    scriptJson,
    broadcastId,
    maxRetries: 0,
    ...(createdById ? { createdById } : {}),
  }));
  try {
    return await enqueueCalls(db, calls);
  } catch (e) {
    if (e instanceof EngineUserError) throw new UserError(e.message, { field: e.field });
    throw e;
  }
}

export async function launchPa(
  db: Db,
  input: LaunchPaInput,
  actor: AuditActor,
  opts: { ip?: string | null } = {},
): Promise<LaunchPaResult> {
  const parsed = parseOrThrow(launchPaSchema, input);
  // Recipients first: a PA to nobody must not leave a synthesised message behind.
  const who = await resolvePaRecipients(db, parsed);
  if (who.recipients.length === 0) {
    throw new UserError(
      parsed.everyone
        ? "There are no contacts with a phone number to call."
        : "The chosen groups have no contacts with a phone number.",
      { field: "groupIds" },
    );
  }
  const message = await resolveMessage(db, parsed, actor, opts.ip ?? null);
  const createdById = actor.type === "user" ? actor.id : null;
  const broadcast = await db.paBroadcast.create({
    data: {
      templateId: message.templateId,
      audioId: message.audioId,
      requireAck: message.requireAck,
      repeat: message.repeat,
      isTest: parsed.isTest,
      createdById,
      createdBy: actor.name.slice(0, 200),
    },
    select: { id: true },
  });
  try {
    await enqueuePaCalls(db, broadcast.id, who.recipients, message, createdById);
  } catch (e) {
    await db.paBroadcast.delete({ where: { id: broadcast.id } });
    throw e;
  }
  const to = parsed.everyone ? "everyone" : `group${who.groupNames.length === 1 ? "" : "s"} ${who.groupNames.join(", ")}`;
  await recordAudit(db, {
    actor,
    action: "pa.launch",
    targetType: "pa",
    targetId: broadcast.id,
    summary:
      `${parsed.isTest ? "Test PA" : "PA"} "${message.audioName}" to ${to}: ${who.recipients.length} phone${who.recipients.length === 1 ? "" : "s"}` +
      `${message.requireAck ? ", acknowledgement required" : ""}, played ${message.repeat}×` +
      (who.withoutNumber ? `; ${who.withoutNumber} contact${who.withoutNumber === 1 ? "" : "s"} without a number` : "") +
      (who.duplicates ? `; ${who.duplicates} duplicate number${who.duplicates === 1 ? "" : "s"} called once` : ""),
    ip: opts.ip ?? null,
  });
  return {
    broadcastId: broadcast.id,
    recipients: who.recipients.length,
    withoutNumber: who.withoutNumber,
    duplicates: who.duplicates,
    audioId: message.audioId,
  };
}
