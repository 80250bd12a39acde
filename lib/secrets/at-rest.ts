/**
 * Secrets the database must hold (the SFTP private key Spoolcast signs in to the PBX with, the
 * rotated IVR token secrets) are sealed with AES-256-GCM under a key derived from the site
 * secret (SPOOLCAST_SECRET, or data/secret), so a copied database alone reveals none of them.
 *
 * Stored form: `sealed:v1:<iv>.<tag>.<ciphertext>`, base64url parts. A value without the prefix
 * is a plaintext one written before sealing existed: `openSecret` passes it through, and
 * `sealStoredSecrets` rewrites it sealed at start-up.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import type { Db } from "@/lib/db";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

const PREFIX = "sealed:v1:";
/** Part of the key derivation: a key for sealing is never the raw site secret (which also signs IVR tokens). */
const KEY_INFO = "spoolcast/secrets-at-rest/v1";

function keyFor(siteSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", siteSecret, "spoolcast", KEY_INFO, 32));
}

/** True when the stored value is sealed (not a legacy plaintext one). */
export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

export function sealSecret(plain: string, siteSecret: string = env().secret): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFor(siteSecret), iv);
  const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString("base64url"));
  return PREFIX + parts.join(".");
}

/** Raised when a sealed value cannot be opened: the site secret changed, or the value was altered. */
export class SealedSecretError extends Error {
  constructor() {
    super(
      "A secret stored in the database cannot be opened with this SPOOLCAST_SECRET (it was sealed with another one, or altered). Restore the previous SPOOLCAST_SECRET, or enter the SFTP private key again in Settings → Hosts.",
    );
    this.name = "SealedSecretError";
  }
}

export function openSecret(stored: string, siteSecret?: string): string;
export function openSecret(stored: string | null, siteSecret?: string): string | null;
export function openSecret(stored: string | null, siteSecret: string = env().secret): string | null {
  if (stored === null || !isSealed(stored)) return stored;
  const [iv, tag, ciphertext] = stored
    .slice(PREFIX.length)
    .split(".")
    .map((p) => Buffer.from(p, "base64url"));
  if (!iv || !tag || !ciphertext) throw new SealedSecretError();
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyFor(siteSecret), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch {
    throw new SealedSecretError();
  }
}

/** The Setting rows whose value is a secret (see lib/ivr/ivr-secret.ts). */
export const SECRET_SETTING_KEYS = ["ivrSecret"];

/**
 * Seals every secret still stored in plaintext (an install from before sealing). Idempotent;
 * returns how many values it rewrote, for the start-up log.
 */
export async function sealStoredSecrets(db: Db, siteSecret: string = env().secret): Promise<number> {
  let sealed = 0;
  const hosts = await db.asteriskHost.findMany({
    where: { sftpPrivateKey: { not: null } },
    select: { id: true, sftpPrivateKey: true },
  });
  for (const h of hosts) {
    if (!h.sftpPrivateKey || isSealed(h.sftpPrivateKey)) continue;
    // Guarded on the old value: a key saved by someone else meanwhile is not overwritten.
    const r = await db.asteriskHost.updateMany({
      where: { id: h.id, sftpPrivateKey: h.sftpPrivateKey },
      data: { sftpPrivateKey: sealSecret(h.sftpPrivateKey, siteSecret) },
    });
    sealed += r.count;
  }
  const settings = await db.setting.findMany({ where: { key: { in: SECRET_SETTING_KEYS } } });
  for (const s of settings) {
    if (isSealed(s.value)) continue;
    const r = await db.setting.updateMany({
      where: { key: s.key, value: s.value },
      data: { value: sealSecret(s.value, siteSecret) },
    });
    sealed += r.count;
  }
  return sealed;
}

/** Start-up step of every process that opens the database (web server, worker). Never throws. */
export async function sealSecretsAtStartup(db: Db): Promise<void> {
  try {
    const n = await sealStoredSecrets(db);
    if (n > 0) log.info({ sealed: n }, "sealed secrets that were stored in plaintext");
  } catch (err) {
    log.error({ err }, "could not seal the secrets stored in plaintext; will try again at the next start");
  }
}
