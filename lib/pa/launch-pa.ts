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
 * - No silent PA: a message that is not on the Asterisk host is refused before any call is
 *   queued; with `ttsFallback` its text is spoken by text-to-speech instead and the broadcast
 *   records why (`spokenNote`), which the board shows.
 */
import { type Db, isUniqueViolation } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { createTts } from "@/lib/audio/create-tts";
import { deliveryStatuses, findTargetHost, MessageNotDeliveredError, notDeliveredText } from "@/lib/audio/delivery-check";
import { DEFAULT_TTS_WPM } from "@/lib/audio/limits";
import { enqueueCalls, type EnqueueCall } from "@/lib/engine/calls";
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
  /** Set when the chosen message was not on the host and its text was spoken instead: why. */
  spokenNote: string | null;
  /**
   * True when this launch key had already launched a PA: nothing new was queued, and the figures
   * are the stored broadcast's (its calls; withoutNumber and duplicates are not stored, so 0).
   */
  replayed?: boolean;
};

/** The PA a launch key already started, as a launch result; null when the key is new. */
async function launchedWithKey(db: Db, launchKey: string): Promise<LaunchPaResult | null> {
  const found = await db.paBroadcast.findUnique({
    where: { launchKey },
    select: { id: true, audioId: true, spokenNote: true, _count: { select: { calls: true } } },
  });
  if (!found) return null;
  return {
    broadcastId: found.id,
    recipients: found._count.calls,
    withoutNumber: 0,
    duplicates: 0,
    audioId: found.audioId,
    spokenNote: found.spokenNote,
    replayed: true,
  };
}

export type PaMessage = { audioId: string; audioName: string; templateId: string | null; requireAck: boolean; repeat: number };

/** A message as chosen, with what the text-to-speech fallback needs. */
type ChosenMessage = PaMessage & {
  /** The form field that chose it: the refusal is shown there. */
  field: "templateId" | "audioId" | "ttsText";
  text: string | null;
  voice: string | null;
};

const MESSAGE_SELECT = { id: true, name: true, text: true, voice: true } as const;

/** The message a PA plays and its defaults; text is synthesised and saved to the library first. */
async function resolveMessage(
  db: Db,
  input: ReturnType<typeof launchPaSchema.parse>,
  actor: AuditActor,
  ip: string | null,
): Promise<ChosenMessage> {
  if (input.templateId) {
    const t = await db.paTemplate.findUnique({ where: { id: input.templateId }, include: { audio: { select: MESSAGE_SELECT } } });
    if (!t) throw new UserError("That PA template no longer exists; reload the page.", { field: "templateId" });
    return {
      audioId: t.audio.id,
      audioName: t.audio.name,
      templateId: t.id,
      requireAck: input.requireAck ?? t.requireAck,
      repeat: input.repeat ?? t.repeat,
      field: "templateId",
      text: t.audio.text,
      voice: t.audio.voice,
    };
  }
  if (input.audioId) {
    const a = await db.audioMessage.findUnique({ where: { id: input.audioId }, select: MESSAGE_SELECT });
    if (!a) throw new UserError("That message no longer exists in the library; reload the page.", { field: "audioId" });
    return {
      audioId: a.id,
      audioName: a.name,
      templateId: null,
      requireAck: input.requireAck ?? true,
      repeat: input.repeat ?? 1,
      field: "audioId",
      text: a.text,
      voice: a.voice,
    };
  }
  const saved = await createTts(db, {
    text: input.ttsText!,
    voice: input.ttsVoice,
    wpm: DEFAULT_TTS_WPM,
    name: spokenName(input.ttsText!),
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
    field: "ttsText",
    text: input.ttsText!,
    voice: null,
  };
}

/** Named after its first words so the library and the board say what was announced. */
function spokenName(text: string): string {
  const words = text.replace(/\s+/g, " ").trim();
  return `PA: ${words.length > 60 ? `${words.slice(0, 59).trimEnd()}…` : words}`;
}

/** espeak-ng voice and speed of a TTS message (`voice@wpm`), else the PA form's voice. */
function voiceOf(message: ChosenMessage, fallbackVoice: string): { voice: string; wpm: number } {
  const m = /^([a-z0-9][a-z0-9-]{0,40})@(\d{2,3})$/i.exec(message.voice ?? "");
  return m ? { voice: m[1]!, wpm: Number(m[2]) } : { voice: fallbackVoice, wpm: DEFAULT_TTS_WPM };
}

/**
 * No silent PA: the message must be on the host the calls go to (lib/audio/delivery-check.ts).
 * When it is not, the PA is refused, or with `ttsFallback` the message's text is spoken by
 * text-to-speech into a new library message, which must itself reach the host.
 */
async function ensurePlayable(
  db: Db,
  message: ChosenMessage,
  input: ReturnType<typeof launchPaSchema.parse>,
  actor: AuditActor,
  ip: string | null,
): Promise<PaMessage & { spokenNote: string | null }> {
  const host = await findTargetHost(db);
  // No host at all: enqueueing refuses with its own message.
  if (!host) return { ...message, spokenNote: null };
  const status = (await deliveryStatuses(db, [message.audioId], host)).get(message.audioId)!;
  if (status.delivered) return { ...message, spokenNote: null };
  if (message.field === "ttsText") {
    throw new UserError(
      `The spoken announcement could not be copied to the Asterisk host "${host.name}" (${status.problem}), so callees would hear nothing. Check the host on the Settings page.`,
      { field: "ttsText" },
    );
  }
  if (!input.ttsFallback) {
    throw new MessageNotDeliveredError({ ...message, hostName: host.name, problem: status.problem });
  }
  if (!message.text?.trim()) {
    throw new UserError(
      `${notDeliveredText(message.audioName, host.name, status.problem)} It has no text that could be spoken instead: type the announcement.`,
      { field: message.field },
    );
  }
  const spoken = await createTts(db, {
    text: message.text,
    ...voiceOf(message, input.ttsVoice),
    name: `${message.audioName.slice(0, 80)} (spoken)`,
    tags: ["pa"],
    actor,
    ip,
  });
  const after = (await deliveryStatuses(db, [spoken.id], host)).get(spoken.id)!;
  if (!after.delivered) {
    throw new UserError(
      `Neither "${message.audioName}" nor its spoken text could be copied to the Asterisk host "${host.name}" (${after.problem}), so callees would hear nothing. Check the host on the Settings page.`,
      { field: message.field },
    );
  }
  return {
    ...message,
    audioId: spoken.id,
    audioName: spoken.name,
    spokenNote: `"${message.audioName}" is not on "${host.name}"`,
  };
}

/** Queues the calls of a broadcast; a problem the user can fix (e.g. no host) is a UserError. */
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
    destination: r.destination,
    displayName: r.name,
    ...(r.contactId ? { contactId: r.contactId } : {}),
    audioId: message.audioId,
    requireAck: message.requireAck,
    scriptJson,
    broadcastId,
    maxRetries: 0,
    ...(createdById ? { createdById } : {}),
  }));
  return enqueueCalls(db, calls);
}

export async function launchPa(
  db: Db,
  input: LaunchPaInput,
  actor: AuditActor,
  opts: {
    ip?: string | null;
    /**
     * One confirmed launch's key (a UUID from the PA form): a repeat with the same key (its
     * "Try again" after an error, whose first request may have got through) returns the PA
     * already started instead of calling everyone twice.
     */
    launchKey?: string;
  } = {},
): Promise<LaunchPaResult> {
  const parsed = parseOrThrow(launchPaSchema, input);
  if (opts.launchKey) {
    const earlier = await launchedWithKey(db, opts.launchKey);
    if (earlier) return earlier;
  }
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
  const message = await ensurePlayable(
    db,
    await resolveMessage(db, parsed, actor, opts.ip ?? null),
    parsed,
    actor,
    opts.ip ?? null,
  );
  const createdById = actor.type === "user" ? actor.id : null;
  const broadcast = await db.paBroadcast
    .create({
      data: {
        templateId: message.templateId,
        audioId: message.audioId,
        requireAck: message.requireAck,
        repeat: message.repeat,
        isTest: parsed.isTest,
        createdById,
        createdBy: actor.name.slice(0, 200),
        spokenNote: message.spokenNote,
        launchKey: opts.launchKey ?? null,
      },
      select: { id: true },
    })
    .catch(async (e: unknown) => {
      // The same key launched concurrently (a retry racing its first request): that one won.
      const earlier = opts.launchKey && isUniqueViolation(e) ? await launchedWithKey(db, opts.launchKey) : null;
      if (earlier) return { id: earlier.broadcastId, earlier };
      throw e;
    });
  if ("earlier" in broadcast) return broadcast.earlier;
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
      (who.duplicates ? `; ${who.duplicates} duplicate number${who.duplicates === 1 ? "" : "s"} called once` : "") +
      (message.spokenNote ? `; spoken by text-to-speech because ${message.spokenNote}` : ""),
    ip: opts.ip ?? null,
  });
  return {
    broadcastId: broadcast.id,
    recipients: who.recipients.length,
    withoutNumber: who.withoutNumber,
    duplicates: who.duplicates,
    audioId: message.audioId,
    spokenNote: message.spokenNote,
  };
}
