/**
 * What the demo seeded, and removing exactly that. The seed (lib/demo/seed-demo.ts) stores the
 * ids of every record it created in a manifest (Setting `demo.manifest`). Settings shows "Demo
 * data present" while it exists, and "Remove demo data" deletes those records and what was done
 * only with them: PAs and campaigns whose every call went to demo contacts, and the calls to demo
 * contacts. Anything a user added keeps working: a record of theirs that still uses a demo
 * message, template or group (a PA to real people with the demo's "Fire evacuation", a wake-up
 * playing a demo message) keeps that record, and the removal says how many were kept and why.
 */
import type { AuditActor } from "@/lib/audit/record-audit";
import { recordAudit } from "@/lib/audit/record-audit";
import { removeFromHosts } from "@/lib/audio/deliver";
import { removeMaster } from "@/lib/audio/store";
import type { Db } from "@/lib/db";
import { UserError } from "@/lib/errors";
import { log } from "@/lib/log";

/** Set when the demo was seeded (its time), so a second `npm run demo` seeds nothing. */
export const DEMO_MARKER_KEY = "demo.seededAt";
/** The seed manifest: the ids of every record the demo seeded. */
export const DEMO_MANIFEST_KEY = "demo.manifest";

/** Ids of the records the demo seeded. */
export type DemoManifest = { contacts: string[]; groups: string[]; audio: string[]; templates: string[] };

export type DemoDataStatus =
  | { present: false }
  | { present: true; seededAt: string | null; contacts: number; groups: number; messages: number; templates: number };

export type DemoRemoval = {
  contacts: number;
  groups: number;
  messages: number;
  templates: number;
  broadcasts: number;
  campaigns: number;
  calls: number;
  /** Demo records kept because something of the user's still uses them. */
  kept: { groups: number; messages: number; templates: number };
};

/** The strings of a JSON array (anything else in a hand-edited manifest is ignored). */
function ids(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function parseManifest(value: string): DemoManifest {
  const raw = JSON.parse(value) as Partial<Record<keyof DemoManifest, unknown>>;
  return { contacts: ids(raw.contacts), groups: ids(raw.groups), audio: ids(raw.audio), templates: ids(raw.templates) };
}

async function readManifest(db: Pick<Db, "setting">): Promise<DemoManifest | null> {
  const row = await db.setting.findUnique({ where: { key: DEMO_MANIFEST_KEY } });
  return row ? parseManifest(row.value) : null;
}

/** Whether demo data is present, with how many of the seeded records still exist. */
export async function getDemoDataStatus(db: Db): Promise<DemoDataStatus> {
  const manifest = await readManifest(db);
  if (!manifest) return { present: false };
  const marker = await db.setting.findUnique({ where: { key: DEMO_MARKER_KEY } });
  const [contacts, groups, messages, templates] = await Promise.all([
    db.contact.count({ where: { id: { in: manifest.contacts } } }),
    db.contactGroup.count({ where: { id: { in: manifest.groups } } }),
    db.audioMessage.count({ where: { id: { in: manifest.audio } } }),
    db.paTemplate.count({ where: { id: { in: manifest.templates } } }),
  ]);
  return {
    present: true,
    seededAt: marker ? (JSON.parse(marker.value) as string) : null,
    contacts,
    groups,
    messages,
    templates,
  };
}

/** Calls that are not to a demo contact (or to no contact at all). */
const notToDemo = (contacts: string[]) => ({ OR: [{ contactId: null }, { contactId: { notIn: contacts } }] });

/** Removes every record the demo seeded, and what was done only with them (see the module comment). */
export async function removeDemoData(db: Db, ctx: { actor: AuditActor; ip?: string | null }): Promise<DemoRemoval> {
  const removedAudio: { id: string; soundName: string }[] = [];
  const result = await db.$transaction(async (tx) => {
    const m = await readManifest(tx);
    if (!m) throw new UserError("There is no demo data to remove.");

    // PAs and campaigns that involved demo records, kept when any of their calls or targets is someone else.
    const broadcasts = await tx.paBroadcast.findMany({
      where: {
        OR: [
          { audioId: { in: m.audio } },
          { templateId: { in: m.templates } },
          { calls: { some: { contactId: { in: m.contacts } } } },
        ],
      },
      select: { id: true, calls: { where: notToDemo(m.contacts), select: { id: true }, take: 1 } },
    });
    const demoBroadcasts = broadcasts.filter((b) => b.calls.length === 0).map((b) => b.id);
    const campaigns = await tx.campaign.findMany({
      where: {
        OR: [
          { audioId: { in: m.audio } },
          { groups: { some: { groupId: { in: m.groups } } } },
          { calls: { some: { contactId: { in: m.contacts } } } },
        ],
      },
      select: {
        id: true,
        calls: { where: notToDemo(m.contacts), select: { id: true }, take: 1 },
        groups: { where: { groupId: { notIn: m.groups } }, select: { groupId: true }, take: 1 },
        contacts: { where: { contactId: { notIn: m.contacts } }, select: { contactId: true }, take: 1 },
        targets: { where: notToDemo(m.contacts), select: { id: true }, take: 1 },
      },
    });
    const demoCampaigns = campaigns
      .filter((c) => c.calls.length + c.groups.length + c.contacts.length + c.targets.length === 0)
      .map((c) => c.id);

    // The demo's calls: those of demo PAs and campaigns, and the other calls to demo contacts
    // that belong to nothing of the user's (click-to-call, tests). Attempts and events cascade.
    const calls = await tx.call.deleteMany({
      where: {
        OR: [
          { broadcastId: { in: demoBroadcasts } },
          { campaignId: { in: demoCampaigns } },
          { contactId: { in: m.contacts }, broadcastId: null, campaignId: null, wakeUpId: null },
        ],
      },
    });
    await tx.paBroadcast.deleteMany({ where: { id: { in: demoBroadcasts } } });
    await tx.campaign.deleteMany({ where: { id: { in: demoCampaigns } } });
    const contacts = await tx.contact.deleteMany({ where: { id: { in: m.contacts } } });

    // Groups, templates and messages go unless something that stays still uses them.
    const usedGroups = new Set(
      (await tx.campaignGroup.findMany({ where: { groupId: { in: m.groups } }, select: { groupId: true } })).map(
        (g) => g.groupId,
      ),
    );
    const groups = await tx.contactGroup.deleteMany({ where: { id: { in: m.groups.filter((id) => !usedGroups.has(id)) } } });
    const usedTemplates = new Set(
      (await tx.paBroadcast.findMany({ where: { templateId: { in: m.templates } }, select: { templateId: true } })).map(
        (b) => b.templateId!,
      ),
    );
    const templates = await tx.paTemplate.deleteMany({
      where: { id: { in: m.templates.filter((id) => !usedTemplates.has(id)) } },
    });
    const refs = { audioId: { in: m.audio } };
    const used = await Promise.all([
      tx.paTemplate.findMany({ where: refs, select: { audioId: true } }),
      tx.paBroadcast.findMany({ where: refs, select: { audioId: true } }),
      tx.campaign.findMany({ where: refs, select: { audioId: true } }),
      tx.call.findMany({ where: refs, select: { audioId: true }, distinct: ["audioId"] }),
      tx.wakeUp.findMany({ where: refs, select: { audioId: true } }),
    ]);
    const usedAudio = new Set(used.flat().map((r) => r.audioId));
    const audioToRemove = await tx.audioMessage.findMany({
      where: { id: { in: m.audio.filter((id) => !usedAudio.has(id)) } },
      select: { id: true, soundName: true },
    });
    await tx.audioMessage.deleteMany({ where: { id: { in: audioToRemove.map((a) => a.id) } } });
    removedAudio.push(...audioToRemove);

    await tx.setting.deleteMany({ where: { key: { in: [DEMO_MANIFEST_KEY, DEMO_MARKER_KEY] } } });
    const removal: DemoRemoval = {
      contacts: contacts.count,
      groups: groups.count,
      messages: audioToRemove.length,
      templates: templates.count,
      broadcasts: demoBroadcasts.length,
      campaigns: demoCampaigns.length,
      calls: calls.count,
      kept: { groups: usedGroups.size, messages: usedAudio.size, templates: usedTemplates.size },
    };
    await recordAudit(tx, {
      actor: ctx.actor,
      action: "demo.remove",
      targetType: "site",
      summary: removalSummary(removal),
      ip: ctx.ip,
    });
    return removal;
  });
  // Files last: the rows are gone, so nothing can refer to a file removed here.
  for (const audio of removedAudio) {
    await removeMaster(audio.soundName);
    await removeFromHosts(db, audio).catch((err: unknown) => log.warn({ err, audioId: audio.id }, "demo message left on a host"));
  }
  return result;
}

/** The removal in plain words (audit log and the toast). */
export function removalSummary(r: DemoRemoval): string {
  const parts = [
    `${r.contacts} contacts`,
    `${r.groups} groups`,
    `${r.messages} messages`,
    `${r.templates} PA templates`,
    `${r.broadcasts} PAs`,
    `${r.campaigns} campaigns`,
    `${r.calls} calls`,
  ];
  const kept = [
    r.kept.groups ? `${r.kept.groups} group(s) still used by your campaigns` : "",
    r.kept.templates ? `${r.kept.templates} template(s) still used by your PAs` : "",
    r.kept.messages ? `${r.kept.messages} message(s) still used by your own records` : "",
  ].filter(Boolean);
  return `Removed demo data: ${parts.join(", ")}${kept.length ? `; kept ${kept.join(", ")}` : ""}`;
}
