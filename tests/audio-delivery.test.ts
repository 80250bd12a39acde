import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deliverToHost, listDeliveryHosts, putVerified, syncAll } from "@/lib/audio/deliver";
import { importUpload } from "@/lib/audio/import-audio";
import { masterPath } from "@/lib/audio/store";
import { createTestDb, type TestDb } from "./support/test-db";
import { startSshd, type SshdServer } from "./support/sshd-server";
import { ACTOR, createLocalHost, listFiles, toneWav, useTempDataDir } from "./support/audio-fixtures";

const isRoot = process.getuid?.() === 0;

describe("sound delivery", () => {
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
    await t.db.auditEvent.deleteMany();
    data.cleanup();
  });

  function sftpHost(input: { name: string; soundsDir: string; hostKey?: string | null; fileUid?: number }) {
    return t.db.asteriskHost.create({
      data: {
        name: input.name,
        transport: "sftp",
        spoolDir: path.join(sshd.root, "spool"),
        soundsDir: input.soundsDir,
        sftpHost: sshd.host,
        sftpPort: sshd.port,
        sftpUser: sshd.username,
        sftpPrivateKey: sshd.privateKey,
        sftpHostKey: input.hostKey === undefined ? sshd.hostKeySha256 : input.hostKey,
        fileUid: input.fileUid ?? null,
        fileGid: input.fileUid ?? null,
      },
    });
  }

  it("delivers a message over SFTP to the real sshd, complete, with no temp file left", async () => {
    const soundsDir = path.join(sshd.root, "sounds-a");
    await sftpHost({ name: "remote", soundsDir });
    const audio = await importUpload(t.db, { name: "Remote", bytes: toneWav(1), actor: ACTOR });

    expect(audio.deliveries).toEqual([{ audioId: audio.id, hostId: expect.any(String), state: "synced", error: null }]);
    expect(listFiles(soundsDir)).toEqual([`spoolcast/msg-${audio.id}.wav`]);
    const remote = readFileSync(path.join(soundsDir, `${audio.soundName}.wav`));
    expect(remote.equals(readFileSync(masterPath(audio.soundName)))).toBe(true);
    expect(statSync(path.join(soundsDir, `${audio.soundName}.wav`)).mode & 0o777).toBe(0o644);
    const row = await t.db.audioDelivery.findFirstOrThrow({ where: { audioId: audio.id } });
    expect(row.state).toBe("synced");
    expect(row.syncedAt).toBeInstanceOf(Date);
  });

  it.skipIf(!isRoot)("gives the delivered file the Asterisk user's ownership over SFTP", async () => {
    const soundsDir = path.join(sshd.root, "sounds-owner");
    await sftpHost({ name: "remote-owner", soundsDir, fileUid: 4321 });
    const audio = await importUpload(t.db, { name: "Owned", bytes: toneWav(0.5), actor: ACTOR });
    const stat = statSync(path.join(soundsDir, `${audio.soundName}.wav`));
    expect([stat.uid, stat.gid]).toEqual([4321, 4321]);
  });

  it("refuses a host whose SSH host key differs from the pinned one, and one with no pin", async () => {
    const soundsDir = path.join(sshd.root, "sounds-b");
    await sftpHost({ name: "impostor", soundsDir, hostKey: "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" });
    await sftpHost({ name: "unpinned", soundsDir, hostKey: null });
    const audio = await importUpload(t.db, { name: "Secret", bytes: toneWav(0.5), actor: ACTOR });

    const byHost = Object.fromEntries(
      (await t.db.audioDelivery.findMany({ where: { audioId: audio.id }, include: { host: true } })).map((d) => [d.host.name, d]),
    );
    expect(byHost.impostor).toMatchObject({ state: "failed" });
    expect(byHost.impostor!.error).toContain(`is ${sshd.hostKeySha256}, not the pinned SHA256:AAAA`);
    expect(byHost.unpinned).toMatchObject({ state: "failed" });
    expect(byHost.unpinned!.error).toMatch(/no pinned SSH host key/);
    expect(listFiles(soundsDir)).toEqual([]);
  });

  it("records a failed delivery and re-syncs it once the host is fixed", async () => {
    const soundsDir = path.join(sshd.root, "sounds-c");
    // A file where the directory should be: the SFTP mkdir fails.
    writeFileSync(soundsDir, "in the way");
    await sftpHost({ name: "flaky", soundsDir });
    const audio = await importUpload(t.db, { name: "Retry me", bytes: toneWav(0.5), actor: ACTOR });
    expect(audio.deliveries[0]!.state).toBe("failed");

    // While the host is still broken the failure is kept.
    expect(await syncAll(t.db)).toEqual({ synced: 0, copied: 0, failed: 1 });

    rmSync(soundsDir);
    expect(await syncAll(t.db)).toEqual({ synced: 1, copied: 1, failed: 0 });
    expect(await t.db.audioDelivery.findFirstOrThrow({ where: { audioId: audio.id } })).toMatchObject({
      state: "synced",
      error: null,
    });
    expect(listFiles(soundsDir)).toEqual([`spoolcast/msg-${audio.id}.wav`]);

    // Already there, byte for byte (read back over SFTP): nothing copied unless forced.
    expect(await syncAll(t.db)).toEqual({ synced: 1, copied: 0, failed: 0 });
    expect(await syncAll(t.db, { force: true })).toEqual({ synced: 1, copied: 1, failed: 0 });

    // Read back from the host: a file removed or changed there is found and copied again.
    const onHost = path.join(soundsDir, `${audio.soundName}.wav`);
    rmSync(onHost);
    expect(await syncAll(t.db)).toEqual({ synced: 1, copied: 1, failed: 0 });
    const changed = readFileSync(onHost);
    changed.writeUInt8(changed.readUInt8(changed.length - 1) ^ 0xff, changed.length - 1); // same size, other bytes
    writeFileSync(onHost, changed);
    expect(await syncAll(t.db)).toEqual({ synced: 1, copied: 1, failed: 0 });
    expect(readFileSync(onHost).equals(readFileSync(masterPath(audio.soundName)))).toBe(true);
  });

  it("finds a message removed or changed on a local host, and copies only that one", async () => {
    const soundsDir = path.join(data.dir, "checked-sounds");
    await createLocalHost(t.db, { name: "checked", soundsDir });
    const a = await importUpload(t.db, { name: "A", bytes: toneWav(0.5), actor: ACTOR });
    const b = await importUpload(t.db, { name: "B", bytes: toneWav(0.7), actor: ACTOR });
    expect(await syncAll(t.db)).toEqual({ synced: 2, copied: 0, failed: 0 });

    rmSync(path.join(soundsDir, `${a.soundName}.wav`));
    writeFileSync(path.join(soundsDir, `${b.soundName}.wav`), "truncated");
    expect(await syncAll(t.db)).toEqual({ synced: 2, copied: 2, failed: 0 });
    for (const m of [a, b]) {
      expect(readFileSync(path.join(soundsDir, `${m.soundName}.wav`)).equals(readFileSync(masterPath(m.soundName)))).toBe(true);
    }
  });

  it("does not call a copy synced when what is read back differs from what was sent", async () => {
    const stored = new Map<string, Buffer>();
    // A host that mangles what it stores: the write "succeeds", the read-back tells the truth.
    const mangling = {
      put: async (name: string, bytes: Uint8Array) => void stored.set(name, Buffer.from(bytes).subarray(1)),
      read: async (name: string) => stored.get(name) ?? null,
      remove: async () => {},
      close: async () => {},
    };
    const host = { name: "mangler", soundsDir: "/var/lib/asterisk/sounds" };
    await expect(putVerified(mangling, host, "spoolcast/system/goodbye", Buffer.from("RIFF-data"), false)).rejects.toThrow(
      /read back from "mangler" is 8 bytes .* not the 9 bytes/,
    );
    const vanishing = { ...mangling, read: async () => null };
    await expect(putVerified(vanishing, host, "spoolcast/system/goodbye", Buffer.from("RIFF"), false)).rejects.toThrow(
      /is not in \/var\/lib\/asterisk\/sounds on "mangler" after copying/,
    );
  });

  it("re-delivers a message a host lost, replacing nothing else", async () => {
    const soundsDir = path.join(data.dir, "local-sounds");
    await createLocalHost(t.db, { name: "local", soundsDir });
    const a = await importUpload(t.db, { name: "A", bytes: toneWav(0.5), actor: ACTOR });
    const b = await importUpload(t.db, { name: "B", bytes: toneWav(0.7), actor: ACTOR });
    rmSync(path.join(soundsDir, `${a.soundName}.wav`));

    const [host] = await listDeliveryHosts(t.db);
    expect(await deliverToHost(t.db, a, host!)).toMatchObject({ state: "synced" });
    expect(listFiles(soundsDir).sort()).toEqual([`spoolcast/msg-${a.id}.wav`, `spoolcast/msg-${b.id}.wav`].sort());
    expect(readFileSync(path.join(soundsDir, `${a.soundName}.wav`)).equals(readFileSync(masterPath(a.soundName)))).toBe(true);
  });

  it.skipIf(!isRoot)("gives a locally delivered file the Asterisk user's ownership", async () => {
    const soundsDir = path.join(data.dir, "owned-sounds");
    await t.db.asteriskHost.create({
      data: { name: "local-owned", spoolDir: data.dir, soundsDir, fileUid: 1234, fileGid: 5678 },
    });
    const audio = await importUpload(t.db, { name: "Mine", bytes: toneWav(0.5), actor: ACTOR });
    const stat = statSync(path.join(soundsDir, `${audio.soundName}.wav`));
    expect([stat.uid, stat.gid, stat.mode & 0o777]).toEqual([1234, 5678, 0o644]);
  });

  it.skipIf(isRoot)("records a local permission error as a failed delivery", async () => {
    const soundsDir = path.join(data.dir, "readonly");
    mkdirSync(soundsDir);
    chmodSync(soundsDir, 0o555);
    await createLocalHost(t.db, { name: "ro", soundsDir });
    const audio = await importUpload(t.db, { name: "Denied", bytes: toneWav(0.5), actor: ACTOR });
    expect(audio.deliveries[0]).toMatchObject({ state: "failed", error: expect.stringMatching(/EACCES/) });
  });

  it("does not deliver to disabled hosts", async () => {
    const soundsDir = path.join(data.dir, "disabled-sounds");
    await createLocalHost(t.db, { name: "off", soundsDir, enabled: false });
    const audio = await importUpload(t.db, { name: "Quiet", bytes: toneWav(0.5), actor: ACTOR });
    expect(audio.deliveries).toEqual([]);
    expect(listFiles(soundsDir)).toEqual([]);
  });
});
