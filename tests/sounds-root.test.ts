/**
 * One sounds root per host: everything Spoolcast makes (library messages, the IVR's system
 * prompts, spoken wake-up sounds) goes from the sound store to `<root>/spoolcast/…` on each host
 * through one delivery path, and changing a host's root re-delivers all of it there, on a local
 * host and over SFTP (a real loopback sshd). "synced" follows what was read back from the new root.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { importUpload } from "@/lib/audio/import-audio";
import { env, resetEnvForTests } from "@/lib/env";
import { storedSoundPath, writeFileAtomic } from "@/lib/audio/store";
import { hostInputSchema, type HostInput } from "@/lib/hosts/host.schema";
import { saveHost } from "@/lib/hosts/save-host";
import { SYSTEM_SOUNDS } from "@/lib/ivr/system-prompts";
import { createTestDb, type TestDb } from "./support/test-db";
import { startSshd, type SshdServer } from "./support/sshd-server";
import { ACTOR, listFiles, toneWav, useTempDataDir } from "./support/audio-fixtures";

const ctx = { actor: ACTOR, ip: null };
const GREETING = "spoolcast/wakeup/greeting-0700";

function hostInput(over: Partial<HostInput>): HostInput {
  return {
    name: "pbx",
    isDefault: true,
    enabled: true,
    transport: "local",
    spoolDir: "/var/spool/asterisk",
    soundsDir: "/var/lib/asterisk/sounds",
    maxConcurrent: 20,
    maxPerSecond: 10,
    channelTemplate: "PJSIP/{number}@trunk",
    outboundContext: "from-internal",
    ivrMode: "direct",
    ivrContext: "spoolcast",
    retention: "archive",
    maxRetries: 2,
    retryTime: 60,
    waitTime: 30,
    paCallerId: '"PA" <911>',
    defaultCallerId: '"Spoolcast" <1000>',
    ...over,
  };
}

/** Generated sounds in the store, as the IVR server and the wake-up scheduler leave them (tones stand in for speech). */
async function storeGeneratedSounds(): Promise<string[]> {
  const names = [...Object.values(SYSTEM_SOUNDS), GREETING];
  for (const [i, name] of names.entries()) await writeFileAtomic(storedSoundPath(name), toneWav(0.2 + i / 100));
  return names;
}

/** Every stored sound is in `root` as `<root>/<name>.wav`, byte for byte. */
function expectAllIn(root: string, names: string[]) {
  expect(listFiles(root).sort()).toEqual(names.map((n) => `${n}.wav`).sort());
  for (const name of names)
    expect(readFileSync(path.join(root, `${name}.wav`)).equals(readFileSync(storedSoundPath(name)))).toBe(true);
}

describe("changing a host's sounds root", () => {
  let t: TestDb;
  let sshd: SshdServer;
  let data: ReturnType<typeof useTempDataDir>;

  beforeAll(async () => {
    [t, sshd] = await Promise.all([createTestDb("sqlite"), startSshd()]);
  });
  afterAll(async () => {
    await Promise.all([t?.drop(), sshd?.stop()]);
  });
  beforeEach(() => {
    data = useTempDataDir();
  });
  afterEach(async () => {
    await t.db.audioMessage.deleteMany();
    await t.db.asteriskHost.deleteMany();
    data.cleanup();
  });

  async function library() {
    const generated = await storeGeneratedSounds();
    const a = await importUpload(t.db, { name: "Fire", bytes: toneWav(0.5), actor: ACTOR });
    const b = await importUpload(t.db, { name: "All clear", bytes: toneWav(0.6), actor: ACTOR });
    return { generated, messages: [a, b], all: [...generated, a.soundName, b.soundName] };
  }

  async function deliveries(hostId: string) {
    return (await t.db.audioDelivery.findMany({ where: { hostId }, select: { state: true, error: true } })).map((d) => d.state);
  }

  it("re-delivers messages, system prompts and wake-up sounds to the new root of a local host", async () => {
    const oldRoot = path.join(data.dir, "pbx-sounds-old");
    const newRoot = path.join(data.dir, "pbx-sounds-new");
    const spoolDir = path.join(data.dir, "spool");
    const created = await saveHost(t.db, hostInput({ spoolDir, soundsDir: oldRoot }), ctx);
    const lib = await library();
    // Messages arrived on upload; "Sync hosts" (also run when a host is saved) brings the rest.
    const first = await saveHost(t.db, hostInput({ id: created.id, spoolDir, soundsDir: oldRoot }), ctx);
    expect(first.sync).toEqual({ synced: lib.all.length, copied: lib.generated.length, failed: 0 });
    expectAllIn(oldRoot, lib.all);

    const moved = await saveHost(t.db, hostInput({ id: created.id, spoolDir, soundsDir: newRoot }), ctx);
    expect(moved.sync).toEqual({ synced: lib.all.length, copied: lib.all.length, failed: 0 });
    expectAllIn(newRoot, lib.all);
    expect(await deliveries(created.id)).toEqual(["synced", "synced"]);
  });

  it("does not keep saying synced when the new root cannot be written", async () => {
    const spoolDir = path.join(data.dir, "spool");
    const oldRoot = path.join(data.dir, "sounds-ok");
    const created = await saveHost(t.db, hostInput({ spoolDir, soundsDir: oldRoot }), ctx);
    await library();
    expect(await deliveries(created.id)).toEqual(["synced", "synced"]);
    // A file where the new root's spoolcast/ directory would be: nothing can be copied there.
    const blocked = path.join(data.dir, "sounds-blocked");
    mkdirSync(blocked);
    writeFileSync(path.join(blocked, "spoolcast"), "in the way");
    const moved = await saveHost(t.db, hostInput({ id: created.id, spoolDir, soundsDir: blocked }), ctx);
    expect(moved.sync).toMatchObject({ synced: 0, copied: 0 });
    expect(await deliveries(created.id)).toEqual(["failed", "failed"]);
  });

  it("re-delivers everything to the new root of an SFTP host, read back over SFTP", async () => {
    const spoolDir = path.join(sshd.root, "spool");
    const oldRoot = path.join(sshd.root, "sounds-a");
    const newRoot = path.join(sshd.root, "sounds-b");
    const sftp = {
      transport: "sftp" as const,
      spoolDir,
      sftpHost: sshd.host,
      sftpPort: sshd.port,
      sftpUser: sshd.username,
      sftpPrivateKey: sshd.privateKey,
      sftpHostKey: sshd.hostKeySha256,
    };
    const created = await saveHost(t.db, hostInput({ ...sftp, name: "remote", soundsDir: oldRoot }), ctx);
    const lib = await library();
    const first = await saveHost(
      t.db,
      hostInput({ ...sftp, id: created.id, name: "remote", soundsDir: oldRoot, sftpPrivateKey: "" }),
      ctx,
    );
    expect(first.sync).toEqual({ synced: lib.all.length, copied: lib.generated.length, failed: 0 });
    expectAllIn(oldRoot, lib.all);

    const moved = await saveHost(
      t.db,
      hostInput({ ...sftp, id: created.id, name: "remote", soundsDir: newRoot, sftpPrivateKey: "" }),
      ctx,
    );
    expect(moved.sync).toEqual({ synced: lib.all.length, copied: lib.all.length, failed: 0 });
    expectAllIn(newRoot, lib.all);
    expect(await deliveries(created.id)).toEqual(["synced", "synced"]);
  });
});

describe("the sounds root field", () => {
  it("refuses the spoolcast folder in place of the root, naming the field", () => {
    for (const soundsDir of ["/var/lib/asterisk/sounds/spoolcast", "/var/lib/asterisk/sounds/spoolcast/"]) {
      const r = hostInputSchema.safeParse(hostInput({ soundsDir }));
      expect(r.success).toBe(false);
      expect(r.error?.issues).toMatchObject([
        { path: ["soundsDir"], message: expect.stringMatching(/^Give Asterisk's sounds root/) },
      ]);
    }
    expect(hostInputSchema.safeParse(hostInput({ soundsDir: "/var/lib/asterisk/sounds" })).success).toBe(true);
  });
});

describe("ASTERISK_SOUNDS_DIR", () => {
  afterEach(() => {
    delete process.env.ASTERISK_SOUNDS_DIR;
    resetEnvForTests();
  });

  it("is refused when it names the spoolcast folder instead of the sounds root", () => {
    process.env.ASTERISK_SOUNDS_DIR = "/var/lib/asterisk/sounds/spoolcast";
    resetEnvForTests();
    expect(() => env()).toThrow(/ASTERISK_SOUNDS_DIR: must be Asterisk's sounds root/);
    process.env.ASTERISK_SOUNDS_DIR = "/var/lib/asterisk/sounds";
    resetEnvForTests();
    expect(env().soundsDir).toBe("/var/lib/asterisk/sounds");
  });
});
