/**
 * Demo data for `npm run demo`: a small hotel's staff (60 contacts in 4 groups), the default
 * Asterisk host from the environment, and 3 placeholder audio messages. Runs once: it seeds
 * only when there is no contact and no `demo.seededAt` marker, so restarting the demo (or
 * running it on a database people already use) never duplicates or overwrites anything.
 * It never creates a user: the first admin is created in the browser.
 *
 * Phone numbers are from Ofcom's ranges reserved for drama (+44 7700 900xxx mobiles,
 * +44 20 7946 0xxx London), so no real person can be rung by the demo.
 */
import type { Db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/record-audit";

export const DEMO_MARKER_KEY = "demo.seededAt";

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

const AUDIO: { name: string; soundName: string; tags: string; text: string }[] = [
  {
    name: "Fire evacuation",
    soundName: "spoolcast-demo-fire-evacuation",
    tags: ",pa,emergency,",
    text: "Attention please. This is a fire evacuation. Leave the building by the nearest exit and go to the assembly point in the car park. Do not use the lifts.",
  },
  {
    name: "All clear",
    soundName: "spoolcast-demo-all-clear",
    tags: ",pa,",
    text: "The alarm is over. It is safe to return to the building. Thank you for your patience.",
  },
  {
    name: "Good morning wake-up",
    soundName: "spoolcast-demo-wake-up",
    tags: ",wakeup,",
    text: "Good morning. This is your wake-up call. Press 1 to confirm, or 2 to snooze for nine minutes.",
  },
];

export type SeedResult =
  | { seeded: false; reason: string }
  | { seeded: true; contacts: number; groups: number; audioMessages: number; hostCreated: boolean };

/** Seeds the demo site once (see module comment). `spoolDir`/`soundsDir` come from lib/env. */
export async function seedDemo(db: Db, options: { spoolDir: string; soundsDir: string; now?: Date }): Promise<SeedResult> {
  const now = options.now ?? new Date();
  if (await db.setting.findUnique({ where: { key: DEMO_MARKER_KEY } })) {
    return { seeded: false, reason: "demo data was already seeded" };
  }
  if ((await db.contact.count()) > 0) return { seeded: false, reason: "the database already has contacts" };

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
        },
      });
      hostCreated = true;
    }

    let contacts = 0;
    for (const [g, group] of GROUPS.entries()) {
      const created = await tx.contactGroup.create({
        data: { name: group.name, description: group.description, isTest: group.isTest ?? false },
      });
      for (const [i, name] of group.people.entries()) {
        const n = g * 20 + i;
        const phones = [{ e164: `+447700900${String(100 + n).padStart(3, "0")}`, label: "mobile", position: 0 }];
        // Front desk and managers also have a landline, to show contacts with two numbers.
        if (group.name === "Front desk" || group.name === "Management") {
          phones.push({ e164: `+442079460${String(100 + n).padStart(3, "0")}`, label: "office", position: 1 });
        }
        await tx.contact.create({
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
        contacts++;
      }
    }

    for (const audio of AUDIO) {
      await tx.audioMessage.create({ data: { ...audio, source: "placeholder", voice: null, durationMs: 0, sizeBytes: 0 } });
    }

    await recordAudit(tx, {
      actor: { type: "system", id: null, name: "Spoolcast demo" },
      action: "demo.seed",
      targetType: "site",
      summary: `Seeded ${contacts} contacts in ${GROUPS.length} groups and ${AUDIO.length} placeholder audio messages`,
    });
    return { seeded: true, contacts, groups: GROUPS.length, audioMessages: AUDIO.length, hostCreated };
  });
}
