/**
 * "No silent PA": before anything that will play a library message is launched (a PA, a
 * campaign, a PA template), the message must be on the Asterisk host the calls go to.
 * Otherwise Asterisk answers the callee, cannot find the file ("Unknown file requested") and
 * plays nothing; the caller would believe people were warned.
 *
 * Evidence used: the message's AudioDelivery row for that host (lib/audio/deliver.ts writes it
 * after the file was written and renamed into place on the host). Anything but "synced" is
 * refused, with the recorded error when delivery failed.
 */
import type { Db } from "@/lib/db";
import { UserError } from "@/lib/errors";

export type TargetHost = { id: string; name: string };

/**
 * The host calls without an explicit host go to. Same choice as enqueueCalls
 * (lib/engine/calls.ts): the enabled default host, else the oldest enabled host. Null when
 * no host is configured (enqueueing then refuses with its own message).
 */
export async function findTargetHost(db: Db, hostId?: string | null): Promise<TargetHost | null> {
  const select = { id: true, name: true } as const;
  if (hostId) return db.asteriskHost.findUnique({ where: { id: hostId }, select });
  return (
    (await db.asteriskHost.findFirst({ where: { enabled: true, isDefault: true }, select })) ??
    (await db.asteriskHost.findFirst({ where: { enabled: true }, orderBy: { createdAt: "asc" }, select }))
  );
}

/** Whether a message can be played on a host, and if not, why in plain words. */
export type DeliveryStatus = { delivered: true } | { delivered: false; problem: string };

/** Plain words for a delivery row that is not "synced" (or missing). */
function problemOf(row: { state: string; error: string | null } | undefined): string {
  if (!row) return "it was never copied there";
  if (row.state === "failed") return `copying it failed: ${row.error ?? "no error recorded"}`;
  return "it is still being copied there";
}

/** Delivery status of each message on `host` (one query). */
export async function deliveryStatuses(db: Db, audioIds: string[], host: TargetHost): Promise<Map<string, DeliveryStatus>> {
  const ids = [...new Set(audioIds)];
  const rows = ids.length
    ? await db.audioDelivery.findMany({
        where: { hostId: host.id, audioId: { in: ids } },
        select: { audioId: true, state: true, error: true },
      })
    : [];
  const byAudio = new Map(rows.map((r) => [r.audioId, r]));
  return new Map(
    ids.map((id): [string, DeliveryStatus] => {
      const row = byAudio.get(id);
      return [id, row?.state === "synced" ? { delivered: true } : { delivered: false, problem: problemOf(row) }];
    }),
  );
}

/** The sentence shown next to the message field (and returned by the API). */
export function notDeliveredText(audioName: string, hostName: string, problem: string): string {
  return (
    `The message "${audioName}" is not on the Asterisk host "${hostName}" (${problem}), so callees would hear nothing. ` +
    `Sync it on the Messages page, or choose another message.`
  );
}

/** A launch refused because its message is not on the target host. */
export class MessageNotDeliveredError extends UserError {
  readonly audioId: string;
  readonly audioName: string;
  readonly hostName: string;
  readonly problem: string;

  constructor(input: { audioId: string; audioName: string; hostName: string; problem: string; field: string }) {
    super(notDeliveredText(input.audioName, input.hostName, input.problem), { field: input.field });
    this.name = "MessageNotDeliveredError";
    this.audioId = input.audioId;
    this.audioName = input.audioName;
    this.hostName = input.hostName;
    this.problem = input.problem;
  }
}

/**
 * Throws MessageNotDeliveredError (naming `field`) unless `audioId` is synced to the host the
 * calls will use. Does nothing when no host is configured: enqueueing refuses that itself.
 */
export async function assertDeliveredToTarget(
  db: Db,
  input: { audioId: string; hostId?: string | null; field: string },
): Promise<void> {
  const host = await findTargetHost(db, input.hostId);
  if (!host) return;
  const status = (await deliveryStatuses(db, [input.audioId], host)).get(input.audioId)!;
  if (status.delivered) return;
  const audio = await db.audioMessage.findUnique({ where: { id: input.audioId }, select: { name: true } });
  throw new MessageNotDeliveredError({
    audioId: input.audioId,
    audioName: audio?.name ?? input.audioId,
    hostName: host.name,
    problem: status.problem,
    field: input.field,
  });
}

/**
 * For forms: the refusal text of each message in `audios` that is not on the target host
 * (messages that are delivered are absent). Empty when no host is configured.
 */
export async function undeliveredNotes(
  db: Db,
  audios: { id: string; name: string }[],
  hostId?: string | null,
): Promise<Map<string, string>> {
  const host = await findTargetHost(db, hostId);
  if (!host) return new Map();
  const statuses = await deliveryStatuses(
    db,
    audios.map((a) => a.id),
    host,
  );
  const notes = new Map<string, string>();
  for (const a of audios) {
    const s = statuses.get(a.id);
    if (s && !s.delivered) notes.set(a.id, notDeliveredText(a.name, host.name, s.problem));
  }
  return notes;
}
