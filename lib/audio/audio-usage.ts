/**
 * Where a message is used: PA templates, campaigns and wake-ups that will play it, and the
 * PA broadcasts and calls that already did (kept for their history). WakeUp.audioId has no
 * foreign key in the schema, so it is counted here explicitly.
 */
import type { Db, Tx } from "@/lib/db";

export type AudioUsage = {
  templates: { id: string; name: string }[];
  campaigns: { id: string; name: string }[];
  wakeUps: { id: string; room: string; guestName: string }[];
  broadcasts: number;
  calls: number;
};

const LIST_LIMIT = 20;

export async function getAudioUsage(db: Db | Tx, audioId: string): Promise<AudioUsage> {
  const [templates, campaigns, wakeUps, broadcasts, calls] = await Promise.all([
    db.paTemplate.findMany({ where: { audioId }, select: { id: true, name: true }, orderBy: { name: "asc" }, take: LIST_LIMIT }),
    db.campaign.findMany({ where: { audioId }, select: { id: true, name: true }, orderBy: { name: "asc" }, take: LIST_LIMIT }),
    db.wakeUp.findMany({
      where: { audioId },
      select: { id: true, room: true, guestName: true },
      orderBy: { room: "asc" },
      take: LIST_LIMIT,
    }),
    db.paBroadcast.count({ where: { audioId } }),
    db.call.count({ where: { audioId } }),
  ]);
  return { templates, campaigns, wakeUps, broadcasts, calls };
}

export function isAudioUsed(usage: AudioUsage): boolean {
  return usage.templates.length + usage.campaigns.length + usage.wakeUps.length + usage.broadcasts + usage.calls > 0;
}

function quote(names: string[]): string {
  return names.map((n) => `“${n}”`).join(", ");
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "PA template “Fire”, campaign “Open day” and 2 wake-ups" — for refusals and the UI. */
export function describeAudioUsage(usage: AudioUsage): string {
  const parts = [
    usage.templates.length
      ? `${usage.templates.length === 1 ? "PA template" : "PA templates"} ${quote(usage.templates.map((t) => t.name))}`
      : "",
    usage.campaigns.length
      ? `${usage.campaigns.length === 1 ? "campaign" : "campaigns"} ${quote(usage.campaigns.map((c) => c.name))}`
      : "",
    usage.wakeUps.length
      ? plural(usage.wakeUps.length, "wake-up", "wake-ups") + ` (room ${usage.wakeUps.map((w) => w.room).join(", ")})`
      : "",
    usage.broadcasts ? plural(usage.broadcasts, "past PA broadcast", "past PA broadcasts") : "",
    usage.calls ? plural(usage.calls, "past call", "past calls") : "",
  ].filter(Boolean);
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}
