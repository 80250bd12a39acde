/**
 * Delivery of messages to each Asterisk host's sounds directory, and the per-host sync state
 * (`AudioDelivery`: pending | synced | failed, with the error). A sound file appears on a
 * host only complete, like a call file: written under a temp name in the same directory,
 * then renamed over the final name (locally `rename(2)`, over SFTP the OpenSSH
 * posix-rename extension, which replaces atomically). SFTP connections require a pinned
 * host key (`AsteriskHost.sftpHostKey`, "SHA256:…"); an unpinned or changed key is refused.
 *
 * Why not lib/spool's SFTP transport: it is built around a spool dir (outgoing/, its own temp
 * dir, never overwriting a name), while a sound is re-delivered over its old copy on re-sync.
 * The fingerprint function and the sshd test harness are shared.
 */
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import SftpClient from "ssh2-sftp-client";
import type { Db } from "@/lib/db";
import { assertSoundName, readMaster, writeFileAtomic } from "@/lib/audio/store";
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

/** Where a host plays messages from; writes and removes `<soundsDir>/<soundName>.wav`. */
type SoundSink = {
  put(soundName: string, bytes: Uint8Array): Promise<void>;
  remove(soundName: string): Promise<void>;
  close(): Promise<void>;
};

function openLocalSink(host: DeliveryHost): SoundSink {
  const target = (soundName: string) => {
    assertSoundName(soundName);
    return path.join(host.soundsDir, `${soundName}.wav`);
  };
  return {
    put: (soundName, bytes) => writeFileAtomic(target(soundName), bytes, { uid: host.fileUid, gid: host.fileGid }),
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
    assertSoundName(soundName);
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

/**
 * Delivers `audios` to one host over one connection and records each outcome. Never throws
 * for a delivery problem: a host that cannot be reached marks every message failed with why.
 */
export async function deliverManyToHost(db: Db, audios: DeliveryAudio[], host: DeliveryHost): Promise<DeliveryOutcome[]> {
  if (audios.length === 0) return [];
  const outcomes: DeliveryOutcome[] = [];
  let sink: SoundSink | undefined;
  try {
    sink = await openSink(host);
  } catch (error) {
    const message = describeError(error);
    log.warn({ hostId: host.id, err: error }, "sound delivery: cannot reach host");
    for (const audio of audios) outcomes.push({ audioId: audio.id, hostId: host.id, state: "failed", error: message });
  }
  if (sink) {
    try {
      for (const audio of audios) {
        try {
          await sink.put(audio.soundName, await readMaster(audio.soundName));
          outcomes.push({ audioId: audio.id, hostId: host.id, state: "synced", error: null });
        } catch (error) {
          log.warn({ hostId: host.id, audioId: audio.id, err: error }, "sound delivery failed");
          outcomes.push({ audioId: audio.id, hostId: host.id, state: "failed", error: describeError(error) });
        }
      }
    } finally {
      await sink.close().catch((error: unknown) => log.warn({ hostId: host.id, err: error }, "sound delivery: close failed"));
    }
  }
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

/**
 * Brings every enabled host up to date: each message not yet synced there (or all of them
 * with `force`) is delivered. Returns the counts for the UI and the log.
 */
export async function syncAll(
  db: Db,
  options: { force?: boolean; hostId?: string } = {},
): Promise<{ synced: number; failed: number }> {
  const hosts = await listDeliveryHosts(db, options.hostId ? { id: options.hostId } : {});
  let synced = 0;
  let failed = 0;
  for (const host of hosts) {
    const audios = await db.audioMessage.findMany({
      where: options.force ? {} : { deliveries: { none: { hostId: host.id, state: "synced" } } },
      select: { id: true, soundName: true },
      orderBy: { createdAt: "asc" },
    });
    for (const outcome of await deliverManyToHost(db, audios, host)) {
      if (outcome.state === "synced") synced++;
      else failed++;
    }
  }
  return { synced, failed };
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
