/**
 * The master copy of every message: `<dataDir>/audio/<soundName>.wav`. Sound names are
 * generated here and nowhere else (`spoolcast/msg-<id>`), because Asterisk plays any path it
 * is given (docs/asterisk.md#sound-file-lookup): nothing a user typed ever becomes part of a file name.
 */
import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { env } from "@/lib/env";

const SOUND_NAME = /^spoolcast\/msg-[a-z0-9]{20}$/;

/** A new message id and its sound name (no extension: Asterisk refuses names with one). */
export function generateSoundName(): { id: string; soundName: string } {
  const id = randomBytes(10).toString("hex");
  return { id, soundName: `spoolcast/msg-${id}` };
}

/** Throws unless `soundName` is one this module generated: the guard before any path join. */
export function assertSoundName(soundName: string): void {
  if (!SOUND_NAME.test(soundName)) throw new Error(`refusing unexpected sound name ${JSON.stringify(soundName)}`);
}

/** Where the master copy of `soundName` lives. */
export function masterPath(soundName: string, dataDir = env().dataDir): string {
  assertSoundName(soundName);
  return path.join(dataDir, "audio", `${soundName}.wav`);
}

/**
 * Writes `bytes` to `target` so that a reader sees either the old file or the complete new
 * one: temp file in the same directory, fsync, optional chown, then rename.
 */
export async function writeFileAtomic(
  target: string,
  bytes: Uint8Array,
  options: { uid?: number | null; gid?: number | null } = {},
): Promise<void> {
  const dir = path.dirname(target);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const temp = path.join(dir, `.${path.basename(target)}.tmp-${randomBytes(6).toString("hex")}`);
  try {
    const handle = await open(temp, "wx", 0o644);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
      if (options.uid != null) await handle.chown(options.uid, options.gid ?? -1);
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export async function writeMaster(soundName: string, bytes: Uint8Array): Promise<void> {
  await writeFileAtomic(masterPath(soundName), bytes);
}

export async function readMaster(soundName: string): Promise<Buffer> {
  return readFile(masterPath(soundName));
}

export async function removeMaster(soundName: string): Promise<void> {
  await rm(masterPath(soundName), { force: true });
}
