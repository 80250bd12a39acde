/**
 * Demo data for `npm run demo`: a small hotel's staff (60 contacts in 4 groups), the default
 * Asterisk host from the environment, 3 spoken messages and 2 PA templates on them. Runs
 * once: it seeds only when there is no contact and no `demo.seededAt` marker, so restarting
 * the demo (or running it on a database people already use) never duplicates or overwrites
 * anything. It never creates a user: the first admin is created in the browser. Which
 * database it may run on at all is decided before (lib/demo/demo-database.ts).
 *
 * The messages are real speech (espeak-ng, lib/audio/tts.ts), stored and delivered to every
 * enabled host like any message (lib/audio/save-audio.ts, deliver.ts), so the first demo PA
 * plays. Older demo databases seeded with silent placeholders are upgraded on the next run.
 *
 * Phone numbers are from Ofcom's ranges reserved for drama (+44 161 496 0xxx Manchester,
 * +44 20 7946 0xxx London) that libphonenumber, and so the contact form and the do-not-call
 * list, accept; no real person can be rung by the demo. (The drama mobiles +44 7700 900xxx
 * are not valid numbers for libphonenumber, so the app itself refused them.)
 */
import type { Db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/record-audit";
import { deliverToAllHosts } from "@/lib/audio/deliver";
import { generateSoundName, removeMaster, writeMaster } from "@/lib/audio/store";
import { listVoices, synthesizeSpeech } from "@/lib/audio/tts";
import { serializeTags } from "@/lib/audio/audio.schema";
import { DEMO_MANIFEST_KEY, DEMO_MARKER_KEY, type DemoManifest } from "@/lib/demo/demo-manifest";

export { DEMO_MANIFEST_KEY, DEMO_MARKER_KEY } from "./demo-manifest";

type DemoGroup = { name: string; description: string; isTest?: boolean; people: string[]; extensionBase: number };

const GROUPS: DemoGroup[] = [
  {
    name: "Front desk",
    description: "Reception and night audit; first to hear every announcement.",
    extensionBase: 1001,
    people: [
      "Amelia Hughes",
      "Oliver Bennett",
      "Priya Sharma",
      "Lucas Martin",
      "Chloé Dubois",
      "Noah Williams",
      "Sofia Rossi",
      "Jack Turner",
      "Isla Campbell",
      "Mateo García",
      "Hannah Schmidt",
      "Ethan Clarke",
      "Grace O'Neill",
      "Yusuf Demir",
      "Emily Foster",
    ],
  },
  {
    name: "Housekeeping",
    description: "Room attendants and laundry, all floors.",
    extensionBase: 2001,
    people: [
      "Maria Santos",
      "Agnieszka Nowak",
      "Fatima Al-Sayed",
      "Rosa Jiménez",
      "Ioana Popescu",
      "Linh Nguyen",
      "Chinwe Okafor",
      "Elena Petrova",
      "Ana Costa",
      "Bianca Ferreira",
      "Joanna Kowalska",
      "Mei Chen",
      "Lucia Moreno",
      "Zainab Hassan",
      "Daria Ivanova",
      "Sarah Kelly",
    ],
  },
  {
    name: "Maintenance",
    description: "Engineering on call: plant room, lifts, fire panel.",
    extensionBase: 3001,
    people: [
      "Tom Reynolds",
      "Kwame Mensah",
      "Piotr Zielinski",
      "Dan Murphy",
      "Ravi Patel",
      "Sean Doyle",
      "Marek Novak",
      "Luis Fernández",
      "Gareth Evans",
      "Ahmed Karimi",
      "Stefan Bauer",
      "Connor Walsh",
      "Tariq Hussain",
      "Owen Price",
    ],
  },
  {
    name: "Management",
    description: "Duty managers and heads of department.",
    extensionBase: 4001,
    people: [
      "Catherine Blake",
      "Richard Okonkwo",
      "Helen Marsh",
      "James Whitfield",
      "Nadia Rahman",
      "Victoria Lang",
      "Michael Byrne",
      "Laura Jensen",
      "David Cohen",
      "Anika Müller",
      "Peter Lindqvist",
      "Sophie Laurent",
      "Robert Hale",
      "Julia Fischer",
      "Andrew Ross",
    ],
  },
];

type DemoAudio = { name: string; tags: string[]; text: string };

const AUDIO: DemoAudio[] = [
  {
    name: "Fire evacuation",
    tags: ["pa", "emergency"],
    text: "Attention please. This is a fire evacuation. Leave the building by the nearest exit and go to the assembly point in the car park. Do not use the lifts.",
  },
  {
    name: "All clear",
    tags: ["pa"],
    text: "The alarm is over. It is safe to return to the building. Thank you for your patience.",
  },
  {
    name: "Good morning wake-up",
    tags: ["wakeup"],
    text: "Good morning. This is your wake-up call. Press 1 to confirm, or 2 to snooze for nine minutes.",
  },
];

/** PA templates on the seeded messages, so the first demo PA is one click. */
const TEMPLATES: { name: string; audio: string; requireAck: boolean; repeat: number }[] = [
  { name: "Fire evacuation", audio: "Fire evacuation", requireAck: true, repeat: 2 },
  { name: "All clear", audio: "All clear", requireAck: false, repeat: 1 },
];

/** The voice the demo speaks with: British English when installed (a UK hotel), else any English. */
const PREFERRED_VOICES = ["en-gb", "en", "en-us"];
const DEMO_WPM = 150;

/** Where each message went: how many hosts have it and the errors of those that do not. */
export type DemoDelivery = { synced: number; failed: string[] };

export type SeedResult =
  | { seeded: false; reason: string; upgraded: number; delivery: DemoDelivery }
  | {
      seeded: true;
      contacts: number;
      groups: number;
      audioMessages: number;
      templates: number;
      hostCreated: boolean;
      delivery: DemoDelivery;
    };

type SpokenAudio = { id: string; soundName: string; wav: Buffer; durationMs: number; voice: string };

async function demoVoice(): Promise<string> {
  const installed = new Set((await listVoices()).map((v) => v.id));
  const voice = PREFERRED_VOICES.find((v) => installed.has(v)) ?? [...installed].find((v) => v.startsWith("en"));
  if (!voice) throw new Error("espeak-ng has no English voice; the demo messages cannot be spoken");
  return voice;
}

/** Speaks `text` and writes the master copy under a new sound name (lib/audio/store.ts). */
async function speak(text: string, voice: string): Promise<SpokenAudio> {
  const audio = await synthesizeSpeech({ text, voice, wpm: DEMO_WPM });
  const { id, soundName } = generateSoundName();
  await writeMaster(soundName, audio.wav);
  return { id, soundName, wav: audio.wav, durationMs: audio.durationMs, voice: `${voice}@${DEMO_WPM}` };
}

/** Delivers the messages to every enabled host, as an upload is (per-host state in AudioDelivery). */
async function deliver(db: Db, audios: { id: string; soundName: string }[]): Promise<DemoDelivery> {
  const result: DemoDelivery = { synced: 0, failed: [] };
  for (const audio of audios) {
    for (const outcome of await deliverToAllHosts(db, audio)) {
      if (outcome.state === "synced") result.synced++;
      else result.failed.push(outcome.error ?? "unknown error");
    }
  }
  return result;
}

/**
 * Demo databases seeded before the messages were spoken hold silent placeholders (0 s, a
 * sound name no host accepts): each is spoken from its text and delivered, in place.
 */
async function upgradePlaceholders(db: Db): Promise<{ upgraded: number; delivery: DemoDelivery }> {
  const placeholders = await db.audioMessage.findMany({ where: { source: "placeholder" }, select: { id: true, text: true } });
  const spoken: { id: string; soundName: string }[] = [];
  if (placeholders.length > 0) {
    const voice = await demoVoice();
    for (const p of placeholders) {
      if (!p.text?.trim()) continue;
      const audio = await speak(p.text, voice);
      await db.audioMessage.update({
        where: { id: p.id },
        data: {
          source: "tts",
          soundName: audio.soundName,
          voice: audio.voice,
          durationMs: audio.durationMs,
          sizeBytes: audio.wav.length,
        },
      });
      spoken.push({ id: p.id, soundName: audio.soundName });
    }
  }
  return { upgraded: spoken.length, delivery: await deliver(db, spoken) };
}

/** The drama ranges the demo's numbers come from (see the module comment). */
const DEMO_NUMBER = /^\+44(1614960|2079460)\d{3}$/;

/**
 * Demo databases seeded before the manifest existed get one, so "Remove demo data" works there
 * too. Only records that match the demo exactly are listed: a demo group by name and
 * description, its members by a demo name with only demo numbers, messages by name and text,
 * templates by name on those messages. Anything a user changed or added does not match.
 */
async function backfillManifest(db: Db): Promise<void> {
  if (await db.setting.findUnique({ where: { key: DEMO_MANIFEST_KEY } })) return;
  const groups = await db.contactGroup.findMany({
    where: { OR: GROUPS.map((g) => ({ name: g.name, description: g.description })) },
    select: {
      id: true,
      name: true,
      members: { select: { contact: { select: { id: true, name: true, phones: { select: { destination: true } } } } } },
    },
  });
  const contacts = groups.flatMap((g) => {
    const people = new Set(GROUPS.find((d) => d.name === g.name)?.people ?? []);
    return g.members
      .map((m) => m.contact)
      .filter((c) => people.has(c.name) && c.phones.length > 0 && c.phones.every((p) => DEMO_NUMBER.test(p.destination)))
      .map((c) => c.id);
  });
  const audio = await db.audioMessage.findMany({
    where: { OR: AUDIO.map((a) => ({ name: a.name, text: a.text })), source: { in: ["tts", "placeholder"] } },
    select: { id: true },
  });
  const templates = await db.paTemplate.findMany({
    where: { name: { in: TEMPLATES.map((t) => t.name) }, audioId: { in: audio.map((a) => a.id) } },
    select: { id: true },
  });
  const manifest: DemoManifest = {
    contacts: [...new Set(contacts)],
    groups: groups.map((g) => g.id),
    audio: audio.map((a) => a.id),
    templates: templates.map((t) => t.id),
  };
  if (Object.values(manifest).every((ids) => ids.length === 0)) return;
  await db.setting.create({ data: { key: DEMO_MANIFEST_KEY, value: JSON.stringify(manifest) } });
}

/** Where the demo host spools and plays from (lib/env), and its IVR mode. */
export type DemoHostOptions = {
  spoolDir: string;
  soundsDir: string;
  /**
   * "dialplan" when the bundled simulator stands in for the PBX: it runs the Spoolcast snippet,
   * so failed calls report busy / no answer / congestion (as lib/engine/start-engine.ts does for
   * the host it creates). Default "direct", the schema's default.
   */
  ivrMode?: "direct" | "dialplan";
};

/** Seeds the demo site once (see module comment). */
export async function seedDemo(
  db: Db,
  options: DemoHostOptions & {
    now?: Date;
    /**
     * Seed even though the database already has contacts: only when asked explicitly
     * (SPOOLCAST_SEED_DEMO=yes). Safe because the seed manifest lets "Remove demo data" take out
     * exactly what was seeded.
     */
    alongsideExisting?: boolean;
  },
): Promise<SeedResult> {
  const now = options.now ?? new Date();
  if (await db.setting.findUnique({ where: { key: DEMO_MARKER_KEY } })) {
    await backfillManifest(db);
    return { seeded: false, reason: "demo data was already seeded", ...(await upgradePlaceholders(db)) };
  }
  if (!options.alongsideExisting && (await db.contact.count()) > 0) {
    return { seeded: false, reason: "the database already has contacts", upgraded: 0, delivery: { synced: 0, failed: [] } };
  }

  // Speech first, outside the transaction (espeak-ng takes a moment); the master copies are
  // removed again if the transaction fails, so no row ever points at a missing file.
  const voice = await demoVoice();
  const spoken: (SpokenAudio & DemoAudio)[] = [];
  try {
    for (const audio of AUDIO) spoken.push({ ...audio, ...(await speak(audio.text, voice)) });
    const result = await insertDemo(db, options, now, spoken);
    return { ...result, delivery: await deliver(db, spoken) };
  } catch (error) {
    for (const audio of spoken) await removeMaster(audio.soundName);
    throw error;
  }
}

async function insertDemo(
  db: Db,
  options: DemoHostOptions,
  now: Date,
  spoken: (SpokenAudio & DemoAudio)[],
): Promise<Omit<Extract<SeedResult, { seeded: true }>, "delivery">> {
  // One transaction: a demo interrupted half-way leaves nothing behind, and the marker makes a
  // concurrent second run fail on its key instead of seeding twice.
  return db.$transaction(async (tx) => {
    await tx.setting.create({ data: { key: DEMO_MARKER_KEY, value: JSON.stringify(now.toISOString()) } });

    let hostCreated = false;
    if ((await tx.asteriskHost.count()) === 0) {
      await tx.asteriskHost.create({
        data: {
          name: "Local Asterisk",
          isDefault: true,
          transport: "local",
          spoolDir: options.spoolDir,
          soundsDir: options.soundsDir,
          ivrMode: options.ivrMode ?? "direct",
        },
      });
      hostCreated = true;
    }

    let contacts = 0;
    const contactIds: string[] = [];
    const groupIds: string[] = [];
    for (const [g, group] of GROUPS.entries()) {
      const created = await tx.contactGroup.create({
        data: { name: group.name, description: group.description, isTest: group.isTest ?? false },
      });
      groupIds.push(created.id);
      for (const [i, name] of group.people.entries()) {
        const n = g * 20 + i;
        const phones = [{ destination: `+441614960${String(100 + n).padStart(3, "0")}`, label: "home", position: 0 }];
        // Front desk and managers also have a landline, to show contacts with two numbers.
        if (group.name === "Front desk" || group.name === "Management") {
          phones.push({ destination: `+442079460${String(100 + n).padStart(3, "0")}`, label: "office", position: 1 });
        }
        const contact = await tx.contact.create({
          select: { id: true },
          data: {
            name,
            nameKey: name.toLowerCase(),
            deskEndpoint: `PJSIP/${group.extensionBase + i}`,
            timeZone: "Europe/London",
            language: "en",
            tags: `,${group.name.toLowerCase().replace(/\s+/g, "-")},`,
            phones: { create: phones },
            groups: { create: [{ groupId: created.id }] },
          },
        });
        contactIds.push(contact.id);
        contacts++;
      }
    }

    const audioIds = new Map<string, string>();
    for (const audio of spoken) {
      await tx.audioMessage.create({
        data: {
          id: audio.id,
          name: audio.name,
          tags: serializeTags(audio.tags),
          source: "tts",
          text: audio.text,
          voice: audio.voice,
          durationMs: audio.durationMs,
          soundName: audio.soundName,
          sizeBytes: audio.wav.length,
        },
      });
      audioIds.set(audio.name, audio.id);
    }
    const templateIds: string[] = [];
    for (const t of TEMPLATES) {
      const row = await tx.paTemplate.create({
        data: { name: t.name, audioId: audioIds.get(t.audio)!, requireAck: t.requireAck, repeat: t.repeat },
        select: { id: true },
      });
      templateIds.push(row.id);
    }
    const manifest: DemoManifest = {
      contacts: contactIds,
      groups: groupIds,
      audio: [...audioIds.values()],
      templates: templateIds,
    };
    await tx.setting.create({ data: { key: DEMO_MANIFEST_KEY, value: JSON.stringify(manifest) } });

    await recordAudit(tx, {
      actor: { type: "system", id: null, name: "Spoolcast demo" },
      action: "demo.seed",
      targetType: "site",
      summary: `Seeded ${contacts} contacts in ${GROUPS.length} groups, ${spoken.length} spoken messages and ${TEMPLATES.length} PA templates`,
    });
    return {
      seeded: true as const,
      contacts,
      groups: GROUPS.length,
      audioMessages: spoken.length,
      templates: TEMPLATES.length,
      hostCreated,
    };
  });
}
