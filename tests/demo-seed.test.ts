/**
 * The demo's data (lib/demo): seeded once, with spoken messages delivered to the host like any
 * message, numbers the app's own validation accepts, only into the demo's own database; and
 * the seeded PA template plays and is acknowledged through the bundled simulator.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { assertSoundName, masterPath } from "@/lib/audio/store";
import { WaveFile } from "@/lib/audio/wavefile";
import { addDncEntry } from "@/lib/campaigns/dnc";
import { normalizePhone } from "@/lib/contacts/normalize-phone";
import { parseContact } from "@/lib/contacts/parse-contact";
import { getDefaultCountry } from "@/lib/contacts/default-country";
import type { Db } from "@/lib/db";
import { DEMO_DATABASE_URL, demoSeedDecision } from "@/lib/demo/demo-database";
import { DEMO_MARKER_KEY, seedDemo } from "@/lib/demo/seed-demo";
import { getPaBoard } from "@/lib/pa/get-pa-board";
import { launchPa } from "@/lib/pa/launch-pa";
import { useTempDataDir } from "./support/audio-fixtures";
import { startPbxRig, type PbxRig } from "./support/pbx-rig";
import { PROVIDERS, createTestDb, type TestDb } from "./support/test-db";

const run = promisify(execFile);
const ACTOR = { type: "system" as const, id: null, name: "Test" };

let t: TestDb | undefined;
let data: ReturnType<typeof useTempDataDir> | undefined;
let root = "";
let dirs = { spoolDir: "", soundsDir: "" };

beforeEach(() => {
  data = useTempDataDir();
  root = mkdtempSync(path.join(os.tmpdir(), "spoolcast-demo-"));
  dirs = { spoolDir: path.join(root, "spool"), soundsDir: path.join(root, "sounds") };
  mkdirSync(path.join(dirs.spoolDir, "outgoing"), { recursive: true });
});
afterEach(async () => {
  await t?.drop();
  data?.cleanup();
  rmSync(root, { recursive: true, force: true });
  t = data = undefined;
});

/** Every message is real speech, on the host, under a sound name the delivery accepts. */
async function expectSpokenAndDelivered(db: Db, soundsDir: string) {
  const messages = await db.audioMessage.findMany({ include: { deliveries: true }, orderBy: { name: "asc" } });
  expect(messages.map((m) => m.name)).toEqual(["All clear", "Fire evacuation", "Good morning wake-up"]);
  const host = await db.asteriskHost.findFirstOrThrow({ where: { isDefault: true } });
  for (const m of messages) {
    expect(() => assertSoundName(m.soundName)).not.toThrow();
    expect(m).toMatchObject({ source: "tts", voice: expect.stringMatching(/^en[a-z-]*@150$/) });
    expect(m.text?.length).toBeGreaterThan(20);
    expect(m.durationMs).toBeGreaterThan(2000);
    const master = readFileSync(masterPath(m.soundName));
    expect(m.sizeBytes).toBe(master.length);
    const wav = new WaveFile(master);
    expect(wav.fmt).toMatchObject({ sampleRate: 8000, numChannels: 1, bitsPerSample: 16 });
    const samples = wav.getSamples(false, Int16Array) as unknown as Int16Array;
    expect(Math.round((samples.length / 8000) * 1000)).toBe(m.durationMs);
    // Speech, not silence: a real waveform somewhere in the file.
    expect(samples.reduce((max, s) => Math.max(max, Math.abs(s)), 0)).toBeGreaterThan(1000);
    expect(m.deliveries.map((d) => [d.hostId, d.state, d.error])).toEqual([[host.id, "synced", null]]);
    expect(readFileSync(path.join(soundsDir, `${m.soundName}.wav`)).equals(master)).toBe(true);
  }
}

describe.each(PROVIDERS)("demo seed on %s", (provider) => {
  it("seeds 60 contacts in 4 groups, the default host, 3 spoken messages delivered to it and 2 templates, once, and no user", async () => {
    t = await createTestDb(provider);
    expect(await seedDemo(t.db, dirs)).toEqual({
      seeded: true,
      contacts: 60,
      groups: 4,
      audioMessages: 3,
      templates: 2,
      hostCreated: true,
      delivery: { synced: 3, failed: [] },
    });
    expect(await seedDemo(t.db, dirs)).toEqual({
      seeded: false,
      reason: "demo data was already seeded",
      upgraded: 0,
      delivery: { synced: 0, failed: [] },
    });

    expect(await t.db.user.count()).toBe(0);
    expect(await t.db.contact.count()).toBe(60);
    const groups = await t.db.contactGroup.findMany({
      select: { name: true, members: { select: { contactId: true } } },
      orderBy: { name: "asc" },
    });
    expect(groups.map((g) => [g.name, g.members.length])).toEqual([
      ["Front desk", 15],
      ["Housekeeping", 16],
      ["Maintenance", 14],
      ["Management", 15],
    ]);
    expect(
      await t.db.asteriskHost.findMany({ select: { isDefault: true, transport: true, spoolDir: true, soundsDir: true } }),
    ).toEqual([{ isDefault: true, transport: "local", ...dirs }]);
    await expectSpokenAndDelivered(t.db, dirs.soundsDir);
    const templates = await t.db.paTemplate.findMany({ include: { audio: true }, orderBy: { name: "asc" } });
    expect(templates.map((x) => [x.name, x.audio.name, x.requireAck, x.repeat])).toEqual([
      ["All clear", "All clear", false, 1],
      ["Fire evacuation", "Fire evacuation", true, 2],
    ]);
    expect(await t.db.setting.findUnique({ where: { key: DEMO_MARKER_KEY } })).not.toBeNull();
    expect(await t.db.auditEvent.findMany({ select: { action: true, actorType: true } })).toEqual([
      { action: "demo.seed", actorType: "system" },
    ]);
  }, 60_000);

  it("seeds numbers reserved for drama that the contact form and the do-not-call list accept", async () => {
    t = await createTestDb(provider);
    await seedDemo(t.db, dirs);
    const phones = await t.db.contactPhone.findMany({ select: { destination: true, contact: { select: { name: true } } } });
    expect(phones.length).toBe(90);
    // Ofcom's drama ranges: 0161 496 0000-0999 (Manchester), 020 7946 0000-0999 (London).
    for (const p of phones) expect(p.destination).toMatch(/^\+44(1614960|2079460)\d{3}$/);
    expect(new Set(phones.map((p) => p.destination)).size).toBe(phones.length);
    const country = await getDefaultCountry(t.db);
    for (const p of phones) {
      expect(normalizePhone(p.destination, country)).toEqual({ ok: true, e164: p.destination });
      // Typed nationally on a UK site, too.
      expect(normalizePhone(`0${p.destination.slice(3)}`, "GB")).toEqual({ ok: true, e164: p.destination });
      // The contact form's own validation.
      const parsed = await parseContact(t.db, { name: p.contact.name, phones: [{ number: p.destination }] });
      expect(parsed.phones.map((x) => x.number)).toEqual([p.destination]);
    }
    for (const p of phones) {
      expect((await addDncEntry(t.db, { number: p.destination, reason: "demo check" }, ACTOR)).destination).toBe(p.destination);
    }
    expect(await t.db.dncEntry.count()).toBe(90);
  }, 120_000);
});

describe("an older demo database", () => {
  it("has its silent placeholder messages spoken and delivered in place", async () => {
    t = await createTestDb("sqlite");
    await t.db.asteriskHost.create({ data: { name: "Local Asterisk", isDefault: true, ...dirs } });
    await t.db.setting.create({ data: { key: DEMO_MARKER_KEY, value: JSON.stringify("2026-11-01T00:00:00.000Z") } });
    const texts = {
      "All clear": "The alarm is over. It is safe to return to the building.",
      "Fire evacuation": "Attention please. This is a fire evacuation. Leave the building by the nearest exit.",
      "Good morning wake-up": "Good morning. This is your wake-up call.",
    };
    for (const [name, text] of Object.entries(texts)) {
      await t.db.audioMessage.create({
        data: { name, text, soundName: `spoolcast-demo-${name.length}`, source: "placeholder", durationMs: 0, sizeBytes: 0 },
      });
    }
    const template = await t.db.paTemplate.create({
      data: { name: "Fire", audioId: (await t.db.audioMessage.findFirstOrThrow({ where: { name: "Fire evacuation" } })).id },
    });
    expect(await seedDemo(t.db, dirs)).toEqual({
      seeded: false,
      reason: "demo data was already seeded",
      upgraded: 3,
      delivery: { synced: 3, failed: [] },
    });
    await expectSpokenAndDelivered(t.db, dirs.soundsDir);
    // Same rows: templates and past PAs keep pointing at them.
    expect((await t.db.paTemplate.findUniqueOrThrow({ where: { id: template.id }, include: { audio: true } })).audio.source).toBe(
      "tts",
    );
  }, 60_000);
});

/** `npm run demo`'s seed step, as a process, on `url`. */
async function seedScript(url: string, extra: Record<string, string> = {}) {
  const { stdout } = await run("npx", ["--no-install", "tsx", "scripts/seed.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      SPOOLCAST_DATA_DIR: data!.dir,
      ASTERISK_SPOOL_DIR: dirs.spoolDir,
      ASTERISK_SOUNDS_DIR: dirs.soundsDir,
      LOG_LEVEL: "silent",
      ...extra,
    },
    timeout: 60_000,
  });
  return stdout;
}

describe("which database the demo seeds", () => {
  it("is only its own default SQLite file, unless asked explicitly", () => {
    expect(demoSeedDecision(DEMO_DATABASE_URL, undefined)).toEqual({ allowed: true });
    expect(demoSeedDecision(`file:${path.resolve("data/spoolcast.db")}`, undefined)).toEqual({ allowed: true });
    const pg = demoSeedDecision("postgresql://spoolcast:s3cret@db.example.org:5432/spoolcast", undefined);
    expect(pg).toMatchObject({ allowed: false });
    if (pg.allowed) throw new Error("unreachable");
    expect(pg.reason).toContain("postgresql://db.example.org:5432/spoolcast");
    expect(pg.reason).not.toContain("s3cret");
    expect(pg.reason).toContain('a PA to "Everyone" on a real site');
    expect(pg.reason).toContain("SPOOLCAST_SEED_DEMO=yes");
    expect(demoSeedDecision("file:./data/other.db", undefined)).toMatchObject({ allowed: false });
    expect(demoSeedDecision("file:./data/other.db", "no")).toMatchObject({ allowed: false });
    expect(demoSeedDecision("file:./data/other.db", "yes")).toEqual({ allowed: true });
  });

  it.each(PROVIDERS)(
    "refuses to seed a %s database named by DATABASE_URL, saying why",
    async (provider) => {
      t = await createTestDb(provider);
      const out = await seedScript(t.url);
      expect(out).toContain("Not seeding demo data: DATABASE_URL points at");
      expect(out).toContain("To put demo data in this database anyway, run again with SPOOLCAST_SEED_DEMO=yes.");
      expect(await t.db.contact.count()).toBe(0);
      expect(await t.db.audioMessage.count()).toBe(0);
      expect(await t.db.setting.count({ where: { key: DEMO_MARKER_KEY } })).toBe(0);
    },
    90_000,
  );

  it("seeds another database when asked explicitly", async () => {
    t = await createTestDb("sqlite");
    const out = await seedScript(t.url, { SPOOLCAST_SEED_DEMO: "yes", ASTERISK_SIMULATOR: "on" });
    expect(out).toContain("Seeded 60 contacts in 4 groups, 3 spoken messages and 2 PA templates");
    expect(await t.db.contact.count()).toBe(60);
    // The bundled simulator runs the dialplan snippet, so the demo host uses dialplan mode.
    expect(await t.db.asteriskHost.findFirstOrThrow({ select: { ivrMode: true, soundsDir: true } })).toEqual({
      ivrMode: "dialplan",
      soundsDir: dirs.soundsDir,
    });
  }, 90_000);
});

describe("the seeded demo PA", () => {
  let rig: PbxRig | undefined;
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  it("plays the seeded message through the simulator and is acknowledged", async () => {
    t = await createTestDb("sqlite");
    await seedDemo(t.db, dirs);
    const host = await t.db.asteriskHost.findFirstOrThrow({ where: { isDefault: true } });
    const fire = await t.db.audioMessage.findFirstOrThrow({ where: { name: "Fire evacuation" } });
    // Everyone answers and presses 1 once the message has played (and again, in case of a reprompt).
    const heard = fire.durationMs / 1000;
    rig = await startPbxRig({
      db: t.db,
      existingHost: host,
      ivrMode: "dialplan",
      hostOverrides: { maxConcurrent: 20, maxPerSecond: 20 },
      callees: [
        {
          prefix: "+44",
          behaviour: {
            kind: "answer",
            after: 0.5,
            dtmf: [1, 3, 5].map((d) => ({ at: heard + d, digits: "1" })),
            hangupAfter: heard + 20,
          },
        },
      ],
    });
    const { engine } = rig;
    const maintenance = await t.db.contactGroup.findFirstOrThrow({ where: { name: "Maintenance" } });
    // The seeded "Fire evacuation" message, once, acknowledgement required.
    const pa = await launchPa(t.db, { groupIds: [maintenance.id], audioId: fire.id, repeat: 1, requireAck: true }, ACTOR);
    expect(pa).toMatchObject({ recipients: 14, spokenNote: null });
    engine.start();
    const deadline = Date.now() + 90_000;
    for (;;) {
      const board = await getPaBoard(t.db, pa.broadcastId);
      if (board.done) break;
      if (Date.now() > deadline) throw new Error(`PA still running: ${JSON.stringify(board.counters)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const calls = await t.db.call.findMany({
      where: { broadcastId: pa.broadcastId },
      include: { events: { select: { type: true } } },
    });
    for (const c of calls) {
      expect([c.state, c.ackDigit]).toEqual(["acknowledged", "1"]);
      // Asterisk's own playback event of the message (the simulator's F), not just an answer.
      expect(c.events.map((e) => e.type)).toContain("ivr.played");
      expect(c.heardMs).toBeGreaterThanOrEqual(fire.durationMs - 1000);
    }
    expect((await getPaBoard(t.db, pa.broadcastId)).counters).toMatchObject({ total: 14, acknowledged: 14, reached: 14 });
  }, 120_000);
});
