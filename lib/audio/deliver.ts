/**
 * Delivery of every sound Spoolcast makes (library messages, the IVR's system prompts, spoken
 * wake-up greetings) from the sound store (lib/audio/store.ts) to each Asterisk host's
 * **sounds root**, the directory holding `en/` and Asterisk's own sounds: `spoolcast/msg-<id>`
 * lands in `<root>/spoolcast/msg-<id>.wav`, and Asterisk is asked for `spoolcast/msg-<id>`
 * (docs/asterisk.md#sound-file-lookup). One path, local or SFTP, for all three kinds.
 *
 * "synced" is evidence, not an assumption: after writing, the file is read back from the host
 * and its size and SHA-256 compared with the stored master; a sync first reads what the host
 * has and copies only what is missing or different. A message's per-host state is an
 * `AudioDelivery` row (pending | synced | failed, with the error); system prompts and wake-up
 * sounds have no rows, their outcomes are returned and logged.
 *
 * A file appears on a host only complete, like a call file: written under a temp name in the
 * same directory, then renamed over the final name (locally `rename(2)`, over SFTP the OpenSSH
 * posix-rename extension, which replaces atomically). SFTP connections require a pinned host key
 * (`AsteriskHost.sftpHostKey`, "SHA256:…"); an unpinned or changed key is refused.
 *
 * Why not lib/spool's SFTP transport: it is built around a spool dir (outgoing/, its own temp
 * dir, never overwriting a name), while a sound is re-delivered over its old copy on re-sync.
 * The fingerprint function and the sshd test harness are shared.
 */
import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import SftpClient from "ssh2-sftp-client";
import type { Db } from "@/lib/db";
import { assertStoredSoundName, readStoredSound, soundStoreDir, writeFileAtomic } from "@/lib/audio/store";
import { log } from "@/lib/log";
import { fingerprintSha256 } from "@/lib/spool/sftp";
import { openSecret } from "@/lib/secrets/at-rest";

/** The host columns delivery needs, private key included (it is omitted by default). */
export type DeliveryHost = {
  id: string;
  name: string;
  enabled: boolean;
  transport: string;
  soundsDir: string;
  sftpHost: string | null;
  sftpPort: number | null;
  sftpUser: string | null;
  sftpPrivateKey: string | null;
  sftpHostKey: string | null;
  fileUid: number | null;
  fileGid: number | null;
};

export type DeliveryAudio = { id: string; soundName: string };

export type DeliveryOutcome = { audioId: string; hostId: string; state: "synced" | "failed"; error: string | null };

const HOST_SELECT = {
  id: true,
  name: true,
  enabled: true,
  transport: true,
  soundsDir: true,
  sftpHost: true,
  sftpPort: true,
  sftpUser: true,
  sftpPrivateKey: true,
  sftpHostKey: true,
  fileUid: true,
  fileGid: true,
} as const;

const SFTP_READY_TIMEOUT_MS = 15_000;
const ERROR_MAX = 500;

/** A host's sounds root; reads, writes and removes `<root>/<soundName>.wav`. */
export type SoundSink = {
  put(soundName: string, bytes: Uint8Array): Promise<void>;
  /** The file's bytes as the host has them, or null when there is no such file. */
  read(soundName: string): Promise<Buffer | null>;
  remove(soundName: string): Promise<void>;
  close(): Promise<void>;
};

function openLocalSink(host: DeliveryHost): SoundSink {
  const target = (soundName: string) => {
    assertStoredSoundName(soundName);
    return path.join(host.soundsDir, ...soundName.split("/")) + ".wav";
  };
  return {
    put: (soundName, bytes) => writeFileAtomic(target(soundName), bytes, { uid: host.fileUid, gid: host.fileGid }),
    async read(soundName) {
      try {
        return await readFile(target(soundName));
      } catch (error) {
        // Missing, or a file where a directory of the path should be: the sound is not there.
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT" || code === "ENOTDIR") return null;
        throw error;
      }
    },
    remove: (soundName) => rm(target(soundName), { force: true }),
    close: async () => {},
  };
}

async function openSftpSink(host: DeliveryHost): Promise<SoundSink> {
  if (!host.sftpHost || !host.sftpUser || !host.sftpPrivateKey) {
    throw new Error(`host "${host.name}" uses SFTP but has no SFTP address, user or private key`);
  }
  const pinned = host.sftpHostKey?.trim();
  if (!pinned) throw new Error(`host "${host.name}" has no pinned SSH host key; refusing to connect`);
  const client = new SftpClient(`spoolcast-sounds-${host.name}`);
  let presented = "";
  try {
    await client.connect({
      host: host.sftpHost,
      port: host.sftpPort ?? 22,
      username: host.sftpUser,
      privateKey: openSecret(host.sftpPrivateKey),
      readyTimeout: SFTP_READY_TIMEOUT_MS,
      hostVerifier: (key: Buffer) => {
        presented = fingerprintSha256(key);
        return presented === pinned;
      },
    });
  } catch (error) {
    await client.end().catch(() => {});
    if (presented && presented !== pinned) {
      throw new Error(`SSH host key of ${host.sftpHost} is ${presented}, not the pinned ${pinned}; refusing to connect`, {
        cause: error,
      });
    }
    throw error;
  }
  const target = (soundName: string) => {
    assertStoredSoundName(soundName);
    return path.posix.join(host.soundsDir, `${soundName}.wav`);
  };
  return {
    async put(soundName, bytes) {
      const final = target(soundName);
      const dir = path.posix.dirname(final);
      const temp = path.posix.join(dir, `.${path.posix.basename(final)}.tmp-${randomBytes(6).toString("hex")}`);
      await client.mkdir(dir, true);
      try {
        await client.put(Buffer.from(bytes), temp, { writeStreamOptions: { flags: "w", mode: 0o644 } });
        if (host.fileUid != null) {
          const sftp = (
            client as unknown as { sftp: { chown(p: string, uid: number, gid: number, cb: (e?: Error | null) => void): void } }
          ).sftp;
          await new Promise<void>((resolve, reject) =>
            sftp.chown(temp, host.fileUid!, host.fileGid ?? host.fileUid!, (e) => (e ? reject(e) : resolve())),
          );
        }
        await client.posixRename(temp, final);
      } catch (error) {
        await client.delete(temp, true).catch(() => {});
        throw error;
      }
    },
    async read(soundName) {
      const file = target(soundName);
      // exists() says "-" for a regular file; a directory or a missing path is not the sound.
      if ((await client.exists(file)) !== "-") return null;
      const bytes = await client.get(file);
      return Buffer.isBuffer(bytes) ? bytes : null;
    },
    async remove(soundName) {
      await client.delete(target(soundName), true);
    },
    async close() {
      await client.end();
    },
  };
}

async function openSink(host: DeliveryHost): Promise<SoundSink> {
  if (host.transport === "sftp") return openSftpSink(host);
  if (host.transport === "local") return openLocalSink(host);
  throw new Error(`host "${host.name}" has unknown transport "${host.transport}"`);
}

function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/[\r\n]+/g, " ").slice(0, ERROR_MAX);
}

async function record(db: Db, outcome: DeliveryOutcome): Promise<void> {
  const data = { state: outcome.state, error: outcome.error, syncedAt: outcome.state === "synced" ? new Date() : null };
  await db.audioDelivery.upsert({
    where: { audioId_hostId: { audioId: outcome.audioId, hostId: outcome.hostId } },
    create: { audioId: outcome.audioId, hostId: outcome.hostId, ...data },
    update: outcome.state === "synced" ? data : { state: data.state, error: data.error },
  });
}

/** What happened to one sound on one host. `copied` is false when the host already had it, byte for byte. */
export type SoundOutcome = { soundName: string; state: "synced" | "failed"; copied: boolean; error: string | null };

type Fingerprint = { size: number; sha256: string };

function fingerprintOf(bytes: Uint8Array): Fingerprint {
  return { size: bytes.byteLength, sha256: createHash("sha256").update(bytes).digest("hex") };
}

function sameFile(a: Fingerprint, b: Fingerprint): boolean {
  return a.size === b.size && a.sha256 === b.sha256;
}

/**
 * Puts one sound on a host unless the host already has exactly these bytes (or with `force`),
 * then reads it back: only a copy whose size and SHA-256 match the master counts as synced.
 */
export async function putVerified(
  sink: SoundSink,
  host: Pick<DeliveryHost, "name" | "soundsDir">,
  soundName: string,
  bytes: Buffer,
  force: boolean,
): Promise<SoundOutcome> {
  const want = fingerprintOf(bytes);
  if (!force) {
    const present = await sink.read(soundName);
    if (present && sameFile(fingerprintOf(present), want)) return { soundName, state: "synced", copied: false, error: null };
  }
  await sink.put(soundName, bytes);
  const back = await sink.read(soundName);
  if (!back) throw new Error(`${soundName}.wav is not in ${host.soundsDir} on "${host.name}" after copying it there`);
  const got = fingerprintOf(back);
  if (!sameFile(got, want)) {
    throw new Error(
      `the copy of ${soundName}.wav read back from "${host.name}" is ${got.size} bytes (SHA-256 ${got.sha256.slice(0, 12)}…), ` +
        `not the ${want.size} bytes (SHA-256 ${want.sha256.slice(0, 12)}…) that were sent`,
    );
  }
  return { soundName, state: "synced", copied: true, error: null };
}

/**
 * Delivers stored sounds to one host over one connection, verified. Never throws for a
 * delivery problem: a host that cannot be reached marks every sound failed with why.
 */
async function deliverSoundsToHost(
  host: DeliveryHost,
  soundNames: string[],
  options: { force?: boolean; storeDir?: string } = {},
): Promise<SoundOutcome[]> {
  if (soundNames.length === 0) return [];
  let sink: SoundSink;
  try {
    sink = await openSink(host);
  } catch (error) {
    const message = describeError(error);
    log.warn({ hostId: host.id, err: error }, "sound delivery: cannot reach host");
    return soundNames.map((soundName) => ({ soundName, state: "failed", copied: false, error: message }));
  }
  const outcomes: SoundOutcome[] = [];
  try {
    for (const soundName of soundNames) {
      try {
        const bytes = await readStoredSound(soundName, options.storeDir);
        outcomes.push(await putVerified(sink, host, soundName, bytes, options.force ?? false));
      } catch (error) {
        log.warn({ hostId: host.id, soundName, err: error }, "sound delivery failed");
        outcomes.push({ soundName, state: "failed", copied: false, error: describeError(error) });
      }
    }
  } finally {
    await sink.close().catch((error: unknown) => log.warn({ hostId: host.id, err: error }, "sound delivery: close failed"));
  }
  return outcomes;
}

/**
 * Delivers `audios` (library messages) to one host over one connection, verified, and records
 * each outcome as the message's AudioDelivery row for the host.
 */
export async function deliverManyToHost(
  db: Db,
  audios: DeliveryAudio[],
  host: DeliveryHost,
  options: { force?: boolean } = {},
): Promise<DeliveryOutcome[]> {
  const sounds = await deliverSoundsToHost(
    host,
    audios.map((a) => a.soundName),
    options,
  );
  const outcomes = audios.map((audio, i): DeliveryOutcome => {
    const o = sounds[i]!;
    return { audioId: audio.id, hostId: host.id, state: o.state, error: o.error };
  });
  for (const outcome of outcomes) await record(db, outcome);
  return outcomes;
}

/** Delivers one message to one host and records the outcome. */
export async function deliverToHost(db: Db, audio: DeliveryAudio, host: DeliveryHost): Promise<DeliveryOutcome> {
  const [outcome] = await deliverManyToHost(db, [audio], host);
  return outcome!;
}

/** The enabled hosts, with what delivery needs. */
export async function listDeliveryHosts(db: Db, where: { id?: string } = {}): Promise<DeliveryHost[]> {
  return db.asteriskHost.findMany({
    where: { enabled: true, ...where },
    // Selecting sftpPrivateKey explicitly overrides the client-wide omit (lib/db.ts).
    select: HOST_SELECT,
    orderBy: { name: "asc" },
  }) as Promise<DeliveryHost[]>;
}

/** Delivers one message to every enabled host (after an upload or a re-sync request). */
export async function deliverToAllHosts(db: Db, audio: DeliveryAudio): Promise<DeliveryOutcome[]> {
  const outcomes: DeliveryOutcome[] = [];
  for (const host of await listDeliveryHosts(db)) outcomes.push(await deliverToHost(db, audio, host));
  return outcomes;
}

/** Generated sounds (system prompts, wake-up greetings) present in the store; temp files are skipped. */
export async function listGeneratedSounds(storeDir = soundStoreDir()): Promise<string[]> {
  const names: string[] = [];
  for (const kind of ["system", "wakeup"]) {
    let files: string[];
    try {
      files = await readdir(path.join(storeDir, "spoolcast", kind));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw error;
    }
    for (const file of files.sort()) {
      if (!file.endsWith(".wav") || file.startsWith(".") || file.includes(".tmp")) continue;
      const name = `spoolcast/${kind}/${file.slice(0, -".wav".length)}`;
      try {
        assertStoredSoundName(name);
        names.push(name);
      } catch {
        // Not a name Spoolcast generates (someone put a file there): never delivered.
      }
    }
  }
  return names;
}

/**
 * Delivers generated sounds (system prompts at start-up, a wake-up greeting before its call) to
 * every enabled host, verified. Returns each host's outcomes.
 */
export async function deliverGeneratedSounds(
  db: Db,
  soundNames: string[],
  options: { storeDir?: string } = {},
): Promise<Map<string, SoundOutcome[]>> {
  const byHost = new Map<string, SoundOutcome[]>();
  for (const host of await listDeliveryHosts(db)) byHost.set(host.id, await deliverSoundsToHost(host, soundNames, options));
  return byHost;
}

export type SyncResult = {
  /** Sounds verified on a host (already there, or copied and read back). */
  synced: number;
  /** Of those, how many had to be copied because the host's file was missing or different. */
  copied: number;
  failed: number;
};

/**
 * Brings every enabled host (or one) up to date: every message, system prompt and wake-up sound
 * is read back from the host and copied when missing or different (all copied with `force`).
 * Message rows are recorded from what was verified, so "synced" means the host has the file.
 */
export async function syncAll(
  db: Db,
  options: { force?: boolean; hostId?: string; storeDir?: string } = {},
): Promise<SyncResult> {
  const hosts = await listDeliveryHosts(db, options.hostId ? { id: options.hostId } : {});
  const generated = await listGeneratedSounds(options.storeDir);
  const result: SyncResult = { synced: 0, copied: 0, failed: 0 };
  const count = (o: { state: string; copied?: boolean }) => {
    if (o.state === "synced") result.synced++;
    else result.failed++;
    if (o.copied) result.copied++;
  };
  for (const host of hosts) {
    const audios = await db.audioMessage.findMany({ select: { id: true, soundName: true }, orderBy: { createdAt: "asc" } });
    const sounds = await deliverSoundsToHost(host, [...audios.map((a) => a.soundName), ...generated], options);
    for (const [i, audio] of audios.entries()) {
      const o = sounds[i]!;
      await record(db, { audioId: audio.id, hostId: host.id, state: o.state, error: o.error });
    }
    for (const o of sounds) count(o);
    const failedGenerated = sounds.slice(audios.length).filter((o) => o.state === "failed");
    if (failedGenerated.length > 0) {
      log.warn(
        { hostId: host.id, sounds: failedGenerated.map((o) => o.soundName), error: failedGenerated[0]!.error },
        "system prompts or wake-up sounds are not on this host",
      );
    }
  }
  return result;
}

/** Removes a message's file from every enabled host; failures are logged, not thrown (orphans are harmless). */
export async function removeFromHosts(db: Db, audio: DeliveryAudio): Promise<void> {
  for (const host of await listDeliveryHosts(db)) {
    try {
      const sink = await openSink(host);
      try {
        await sink.remove(audio.soundName);
      } finally {
        await sink.close();
      }
    } catch (error) {
      log.warn({ hostId: host.id, audioId: audio.id, err: error }, "could not remove a deleted message from a host");
    }
  }
}
