/**
 * The three kinds of destination end to end (lib/destinations): contacts `101` (an internal
 * extension), `PJSIP/101` (an endpoint) and `+44 20 7946 0000` (an outside number) are created,
 * imported from a PBX phonebook, paged through the simulator, called by a campaign, rung for a
 * wake-up and put on the do-not-call list. Every call file is asserted byte for byte: the
 * extension through the host's internal template, the endpoint as written, the number through
 * the trunk template.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DateTime } from "luxon";
import { parseCallFile } from "@/lib/callfile/parse";
import { serializeCallFile } from "@/lib/callfile/serialize";
import { makeSilentWav } from "@/lib/asterisk-sim/sounds";
import { addDncEntry, importDncCsv, listDnc } from "@/lib/campaigns/dnc";
import { createCampaign } from "@/lib/campaigns/create-campaign";
import { startCampaign } from "@/lib/campaigns/start-campaign";
import { tickCampaign } from "@/lib/campaigns/campaign-scheduler";
import { createContact } from "@/lib/contacts/create-contact";
import { listContacts } from "@/lib/contacts/list-contacts";
import { importContacts, previewImport } from "@/lib/csv/import-contacts";
import { createEngine } from "@/lib/engine/engine";
import { createFakeTransport, type FakeTransport } from "@/lib/engine/testing/fake-transport";
import { resetEnvForTests } from "@/lib/env";
import { sqlitePath } from "@/lib/db/migrate";
import { signCallToken } from "@/lib/ivr/token";
import { launchPa } from "@/lib/pa/launch-pa";
import { createWakeUp } from "@/lib/wakeups/create-wakeup";
import type { AuditActor } from "@/lib/audit/record-audit";
import type { Db } from "@/lib/db";
import { usePbxRig } from "./support/pbx-rig";
import { createTestDb, PROVIDERS, type Provider, type TestDb } from "./support/test-db";

const actor: AuditActor = { type: "user", id: null, name: "Olga" };
const SECRET = "destinations-secret-".padEnd(40, "x");
const TYPED = ["101", "PJSIP/101", "+44 20 7946 0000"] as const;
const CANONICAL = ["101", "PJSIP/101", "+442079460000"] as const;
/** What each destination becomes on the Channel line, with the host's default templates. */
const CHANNEL: Record<string, string> = {
  "101": "PJSIP/101",
  "PJSIP/101": "PJSIP/101",
  "+442079460000": "PJSIP/+442079460000@trunk",
};

type Lines = { channel: string; callerId: string; id: string; retries: number; retryTime: number; waitTime: number };

/** The exact text the engine must write for a call in direct IVR mode. */
function directFile(l: Lines, ivrAddress: string, secret = SECRET): string {
  const token = signCallToken(secret, l.id);
  return [
    `Channel: ${l.channel}`,
    `CallerID: ${l.callerId}`,
    "Application: ExternalIVR",
    `Data: ivr://${ivrAddress}(${l.id},${token})`,
    `MaxRetries: ${l.retries}`,
    `RetryTime: ${l.retryTime}`,
    `WaitTime: ${l.waitTime}`,
    `Set: SPOOLCAST_CALL=${l.id}`,
    `Set: SPOOLCAST_TOKEN=${token}`,
    `Set: CDR(userfield)=spoolcast:${l.id}`,
    "Archive: yes",
    "",
  ].join("\n");
}

/** The files a fake-transport engine writes for the queued calls, keyed by call id. */
async function writtenFiles(db: Db, provider: Provider): Promise<Map<string, string>> {
  const fake: FakeTransport = createFakeTransport();
  const engine = createEngine({
    db,
    provider,
    secret: SECRET,
    ivrPublicAddress: "127.0.0.1:2949",
    transportFor: () => fake,
    serialize: serializeCallFile,
    parse: parseCallFile,
    watch: false,
  });
  await engine.runOnce();
  await engine.stop();
  const out = new Map<string, string>();
  for (const [name, file] of fake.outgoing) out.set(/^spoolcast-([a-z0-9]+)-\d+\.call$/.exec(name)![1]!, file.content);
  return out;
}

async function threeContacts(db: Db): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, number] of TYPED.entries()) {
    ids.push((await createContact(db, { input: { name: `Person ${i}`, phones: [{ number }] }, actor })).id);
  }
  return ids;
}

describe.each(PROVIDERS)("extensions, endpoints and numbers on %s", (provider) => {
  let t: TestDb;
  let dir: string;
  let hostId: string;
  let audioId: string;
  beforeAll(async () => {
    t = await createTestDb(provider);
    dir = mkdtempSync(path.join(os.tmpdir(), "spoolcast-destinations-"));
    const host = await t.db.asteriskHost.create({
      data: {
        name: "pbx",
        isDefault: true,
        spoolDir: path.join(dir, "spool"),
        soundsDir: dir,
        defaultCallerId: '"Spoolcast" <1000>',
        ivrPublicAddress: "127.0.0.1:2949",
      },
    });
    hostId = host.id;
    await t.db.setting.create({ data: { key: "defaultCountry", value: JSON.stringify("GB") } });
    const audio = await t.db.audioMessage.create({ data: { name: "Reminder", soundName: "spoolcast/reminder" } });
    audioId = audio.id;
    await t.db.audioDelivery.create({ data: { audioId, hostId, state: "synced", syncedAt: new Date() } });
    // createWakeUp reads the scheduler options (sounds dir for the greeting) from the environment.
    Object.assign(process.env, { ASTERISK_SOUNDS_DIR: dir, SPOOLCAST_DATA_DIR: dir, SPOOLCAST_SECRET: SECRET });
    resetEnvForTests();
  }, 60_000);
  afterAll(async () => {
    for (const k of ["ASTERISK_SOUNDS_DIR", "SPOOLCAST_DATA_DIR", "SPOOLCAST_SECRET"]) Reflect.deleteProperty(process.env, k);
    resetEnvForTests();
    await t.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    // Each test starts from no calls and no contacts.
    await t.db.call.deleteMany({});
    await t.db.campaign.deleteMany({});
    await t.db.wakeUp.deleteMany({});
    await t.db.contact.deleteMany({});
    await t.db.dncEntry.deleteMany({});
  });

  it("creates the three contacts with their kind stored, shows them in plain words and finds them", async () => {
    await threeContacts(t.db);
    const phones = await t.db.contactPhone.findMany({ select: { destination: true, kind: true }, orderBy: { kind: "asc" } });
    expect(phones).toEqual([
      { destination: "PJSIP/101", kind: "endpoint" },
      { destination: "101", kind: "extension" },
      { destination: "+442079460000", kind: "external" },
    ]);
    const byQuery = async (q: string) => (await listContacts(t.db, { q })).rows.map((r) => r.name);
    expect(await byQuery("PJSIP/101")).toEqual(["Person 1"]);
    expect(await byQuery("020 7946 0000")).toEqual(["Person 2"]);
    expect((await byQuery("101")).sort()).toEqual(["Person 0", "Person 1"]);
    // The same extension twice is one person twice: refused on the phone field.
    await expect(createContact(t.db, { input: { name: "Twin", phones: [{ number: "101" }] }, actor })).rejects.toMatchObject({
      field: "phones.0.number",
    });
  });

  it("writes the campaign's call files by kind, and skips the destination on the do-not-call list", async () => {
    await threeContacts(t.db);
    const group = await t.db.contactGroup.create({ data: { name: "Everyone" } });
    for (const c of await t.db.contact.findMany())
      await t.db.groupMember.create({ data: { groupId: group.id, contactId: c.id } });
    // Typed nationally: the list matches the contact's canonical +442079460000.
    await addDncEntry(t.db, { number: "020 7946 0000", reason: "asked" }, actor);
    const now = new Date();
    const { id } = await createCampaign(
      t.db,
      { name: "Kinds", groupIds: [group.id], audioId, startAt: now, maxConcurrent: 5, perMinute: 60, retryCount: 0 },
      actor,
    );
    await startCampaign(t.db, { id }, actor, now);
    const targets = await t.db.campaignTarget.findMany({ where: { campaignId: id }, orderBy: { destination: "asc" } });
    expect(targets.map((x) => [x.destination, x.status, x.reason])).toEqual([
      ["+442079460000", "skipped", "on the do-not-call list"],
      ["101", "pending", ""],
      ["PJSIP/101", "pending", ""],
    ]);
    expect(await tickCampaign(t.db, id, now)).toBe(2);
    const calls = await t.db.call.findMany({ where: { campaignId: id } });
    const files = await writtenFiles(t.db, provider);
    expect(files.size).toBe(2);
    for (const c of calls) {
      expect(c.channel).toBe(CHANNEL[c.destination]);
      expect(files.get(c.id)).toBe(
        directFile(
          { channel: CHANNEL[c.destination]!, callerId: '"Spoolcast" <1000>', id: c.id, retries: 0, retryTime: 60, waitTime: 30 },
          "127.0.0.1:2949",
        ),
      );
    }
  });

  it("rings a wake-up at an extension, an endpoint and a number, each with its own channel", async () => {
    // The current minute still rings today: the calls are due now.
    const local = DateTime.now().setZone("UTC").toFormat("HH:mm");
    const booked = [];
    for (const [i, destination] of TYPED.entries()) {
      const input = { room: i === 0 ? "101" : `Suite ${i}`, localTime: local, timeZone: "UTC", retries: 0 };
      // Room 101 is itself the extension; the others name their destination.
      booked.push(await createWakeUp(t.db, i === 0 ? input : { ...input, destination }, actor, new Date()));
    }
    expect(booked.map((w) => w.destination)).toEqual([...CANONICAL]);
    const calls = await t.db.call.findMany({ where: { kind: "wakeup" } });
    expect(calls.map((c) => c.channel).sort()).toEqual(["PJSIP/+442079460000@trunk", "PJSIP/101", "PJSIP/101"]);
    const files = await writtenFiles(t.db, provider);
    expect(files.size).toBe(3);
    for (const c of calls) {
      expect(files.get(c.id)).toBe(
        directFile(
          {
            channel: CHANNEL[c.destination]!,
            callerId: '"Spoolcast" <1000>',
            id: c.id,
            retries: c.maxRetries,
            retryTime: c.retryTime,
            waitTime: c.waitTime,
          },
          "127.0.0.1:2949",
        ),
      );
    }
    // A room that is no extension and no destination given: the field is named.
    await expect(
      createWakeUp(t.db, { room: "Suite 4B", localTime: local, timeZone: "UTC" }, actor, new Date()),
    ).rejects.toMatchObject({ field: "destination" });
    await expect(
      createWakeUp(t.db, { room: "5", destination: "PJSIP/1&PJSIP/2", localTime: local, timeZone: "UTC" }, actor, new Date()),
    ).rejects.toMatchObject({ field: "destination" });
  });

  it("puts each kind on the do-not-call list in canonical form, by hand and from a CSV", async () => {
    const added = [];
    for (const number of ["101", "pjsip/101", "+44 20 7946 0000"]) added.push(await addDncEntry(t.db, { number }, actor));
    expect(added.map((a) => [a.destination, a.kind])).toEqual([
      ["101", "extension"],
      ["PJSIP/101", "endpoint"],
      ["+442079460000", "external"],
    ]);
    await expect(addDncEntry(t.db, { number: "020 7946 0000" }, actor)).rejects.toMatchObject({
      field: "number",
      message: "+442079460000 is already on the do-not-call list",
    });
    await expect(addDncEntry(t.db, { number: "PJSIP/101\nApplication: System" }, actor)).rejects.toMatchObject({
      field: "number",
    });
    expect((await listDnc(t.db, { q: "PJSIP/1" })).rows.map((r) => r.destination)).toEqual(["PJSIP/101"]);
    await t.db.dncEntry.deleteMany({});
    const r = await importDncCsv(t.db, "extension,reason\n101,x\nPJSIP/101,y\n020 7946 0000,z\nConsole/dsp,bad\n", actor);
    expect(r).toMatchObject({ added: 3, alreadyListed: 0 });
    expect(r.errors.map((e) => [e.row, e.value])).toEqual([[5, "Console/dsp"]]);
    const rows = await t.db.dncEntry.findMany({ select: { destination: true, kind: true }, orderBy: { destination: "asc" } });
    expect(rows).toEqual([
      { destination: "+442079460000", kind: "external" },
      { destination: "101", kind: "extension" },
      { destination: "PJSIP/101", kind: "endpoint" },
    ]);
  });

  it("imports a PBX phonebook's Extension column and says which rows became extensions", async () => {
    const csv = ["Display Name,Extension,Mobile", "Ada,101,", "Bob,PJSIP/102,", "Cy,,+44 20 7946 0001", "Dee,12,"].join("\n");
    const preview = await previewImport(t.db, { text: csv });
    expect(preview.mapping.roles).toEqual(["name", "phone", "phone"]);
    expect(preview.sample.map((s) => [s.name, s.phones, s.errors.join("; ")])).toEqual([
      ["Ada", "101", ""],
      ["Bob", "PJSIP/102", ""],
      ["Cy", "+442079460001", ""],
      ["Dee", "12", 'Extension: Extensions have 3–6 digits; "12" is too short'],
    ]);
    const result = await importContacts(t.db, {
      text: csv,
      actor,
      ...(provider === "sqlite" ? { sqliteFile: sqlitePath(t.url) } : {}),
    });
    expect(result).toMatchObject({
      imported: 3,
      skipped: 1,
      internalCount: 2,
      internalRows: [
        { row: 2, destination: "101", kind: "extension", words: "Extension 101" },
        { row: 3, destination: "PJSIP/102", kind: "endpoint", words: "Phone PJSIP/102" },
      ],
    });
    const phones = await t.db.contactPhone.findMany({ select: { destination: true, kind: true, label: true } });
    expect(phones.sort((a, b) => a.destination.localeCompare(b.destination))).toEqual([
      { destination: "+442079460001", kind: "external", label: "mobile" },
      { destination: "101", kind: "extension", label: "extension" },
      { destination: "PJSIP/102", kind: "endpoint", label: "extension" },
    ]);
  });
});

describe("a PA to an extension, an endpoint and a number through the simulator", () => {
  const pbx = usePbxRig();

  it("dials each by its kind and Asterisk's archive says Completed for all three", async () => {
    const sound = "spoolcast/audio/drill";
    const { db, host, engine, spoolDir, ivrAddress, secret } = await pbx.start({
      ivrMode: "direct",
      hostOverrides: { isDefault: true, retention: "keep", paCallerId: '"PA" <911>', waitTime: 20, maxRetries: 0 },
      prepare: ({ soundsDir }) => {
        mkdirSync(path.join(soundsDir, "spoolcast", "audio"), { recursive: true });
        writeFileSync(path.join(soundsDir, `${sound}.wav`), makeSilentWav(500));
      },
      callees: [
        { exact: "PJSIP/101", behaviour: { kind: "answer", after: 0.2, dtmf: [], hangupAfter: 3 } },
        { prefix: "+44", behaviour: { kind: "answer", after: 0.2, dtmf: [], hangupAfter: 3 } },
      ],
    });
    await db.setting.create({ data: { key: "defaultCountry", value: JSON.stringify("GB") } });
    const audio = await db.audioMessage.create({ data: { name: "Drill", soundName: sound, durationMs: 500 } });
    await db.audioDelivery.create({ data: { audioId: audio.id, hostId: host.id, state: "synced", syncedAt: new Date() } });
    const group = await db.contactGroup.create({ data: { name: "Floor 1" } });
    for (const contactId of await threeContacts(db)) await db.groupMember.create({ data: { groupId: group.id, contactId } });
    const r = await launchPa(db, { groupIds: [group.id], audioId: audio.id, requireAck: false }, actor);
    expect(r.recipients).toBe(3);
    engine.start();
    const deadline = Date.now() + 60_000;
    const open = ["queued", "spooled", "dialling", "retry-wait", "answered"];
    while ((await db.call.count({ where: { state: { in: open } } })) > 0) {
      if (Date.now() > deadline) throw new Error(`calls still open: ${JSON.stringify(await db.call.findMany())}`);
      await new Promise((res) => setTimeout(res, 100));
    }
    await engine.stop();
    const done = path.join(spoolDir, "outgoing_done");
    const calls = await db.call.findMany({ where: { broadcastId: r.broadcastId } });
    expect(calls.map((c) => c.destination).sort()).toEqual([...CANONICAL].sort());
    for (const c of calls) {
      expect(c.state).toBe("completed");
      const name = readdirSync(done).find((n) => n.startsWith(`spoolcast-${c.id}-`))!;
      const archived = readFileSync(path.join(done, name), "latin1");
      const written = directFile(
        {
          channel: CHANNEL[c.destination]!,
          callerId: '"PA" <911>',
          id: c.id,
          retries: 0,
          retryTime: host.retryTime,
          waitTime: 20,
        },
        ivrAddress,
        secret,
      );
      // Asterisk archives the file as written and appends its own lines after it
      // (docs/asterisk.md#attempts-and-retry-lines: a blank line, then StartRetry, then Status).
      expect(archived.slice(0, written.length)).toBe(written);
      expect(archived.slice(written.length)).toMatch(/^\nStartRetry: \d+ 1 \(\d+\)\nStatus: Completed\n$/);
    }
  }, 90_000);
});
