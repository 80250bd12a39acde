/**
 * The IVR token secret and its rotation. Call files carry an HMAC of the call id signed
 * with the *current* secret; the IVR server accepts a token made with the current secret
 * or, during a grace period after a rotation, the *previous* one, so calls already spooled
 * (and their retries, which reuse the file) still authenticate after a rotation.
 *
 * Without a rotation the secret is the site secret (data/secret or SPOOLCAST_SECRET). A
 * rotation stores `{ current, previous, previousUntil }` as JSON in Setting `ivrSecret`.
 * When SPOOLCAST_SECRET is set in the environment the operator manages secrets there, so
 * rotation from the UI is refused with that explanation.
 *
 * Engine and IVR server read the secrets synchronously from a source that refreshes from
 * the database every few seconds (`createIvrSecretSource`).
 */
import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { UserError } from "@/lib/errors";
import { openSecret, sealSecret } from "@/lib/secrets/at-rest";

export const IVR_SECRET_KEY = "ivrSecret";
/** Longer than any retry schedule a host allows in practice (retries × retry time), so a spooled call finishes first. */
export const ROTATION_GRACE_MS = 7 * 24 * 60 * 60 * 1000;

type Stored = { current: string; previous: string | null; previousUntil: string | null; rotatedAt: string };

async function readStored(db: Db, siteSecret: string): Promise<Stored | null> {
  const row = await db.setting.findUnique({ where: { key: IVR_SECRET_KEY }, select: { value: true } });
  if (!row) return null;
  // Sealed at rest (lib/secrets/at-rest.ts); a value that does not open fails loudly, not as "no rotation".
  const json = openSecret(row.value, siteSecret);
  try {
    const v = JSON.parse(json) as Stored;
    return typeof v.current === "string" && v.current.length >= 32 ? v : null;
  } catch {
    return null;
  }
}

export type IvrSecrets = { signing: string; verifying: string[]; rotatedAt: Date | null; previousUntil: Date | null };

/** The secret to sign with and the secrets to accept, at `now`. */
export async function loadIvrSecrets(db: Db, siteSecret: string, now = new Date()): Promise<IvrSecrets> {
  const s = await readStored(db, siteSecret);
  if (!s) return { signing: siteSecret, verifying: [siteSecret], rotatedAt: null, previousUntil: null };
  const until = s.previousUntil ? new Date(s.previousUntil) : null;
  const graceOpen = s.previous && until && until > now;
  return {
    signing: s.current,
    verifying: graceOpen ? [s.current, s.previous!] : [s.current],
    rotatedAt: new Date(s.rotatedAt),
    previousUntil: graceOpen ? until : null,
  };
}

/**
 * Makes a new signing secret; the old one stays valid for verification for `graceMs`.
 * Refused when SPOOLCAST_SECRET comes from the environment (`envManaged`).
 */
export async function rotateIvrSecret(
  db: Db,
  ctx: { actor: AuditActor; ip?: string | null; siteSecret: string; envManaged: boolean; now?: Date; graceMs?: number },
): Promise<{ rotatedAt: Date; previousUntil: Date }> {
  if (ctx.envManaged) {
    throw new UserError(
      "SPOOLCAST_SECRET is set in the environment, so secrets are managed there: set a new value and restart Spoolcast. Calls spooled before the change will then fail to authenticate, so change it when no calls are waiting.",
    );
  }
  const now = ctx.now ?? new Date();
  const before = await loadIvrSecrets(db, ctx.siteSecret, now);
  const previousUntil = new Date(now.getTime() + (ctx.graceMs ?? ROTATION_GRACE_MS));
  const value: Stored = {
    current: randomBytes(32).toString("base64url"),
    previous: before.signing,
    previousUntil: previousUntil.toISOString(),
    rotatedAt: now.toISOString(),
  };
  await db.$transaction(async (tx) => {
    await tx.setting.upsert({
      where: { key: IVR_SECRET_KEY },
      create: { key: IVR_SECRET_KEY, value: sealSecret(JSON.stringify(value), ctx.siteSecret) },
      update: { value: sealSecret(JSON.stringify(value), ctx.siteSecret) },
    });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: "ivrsecret.rotate",
      targetType: "setting",
      targetId: IVR_SECRET_KEY,
      summary: `IVR token secret rotated; the previous secret is accepted until ${previousUntil.toISOString()}`,
      ip: ctx.ip,
    });
  });
  return { rotatedAt: now, previousUntil };
}

export type IvrSecretSource = {
  signing(): string;
  verifying(): string[];
  refresh(): Promise<void>;
  stop(): void;
};

/** A synchronous view of the secrets, refreshed from the database every `intervalMs`. */
export async function createIvrSecretSource(
  db: Db,
  siteSecret: string,
  opts: { intervalMs?: number } = {},
): Promise<IvrSecretSource> {
  let current = await loadIvrSecrets(db, siteSecret);
  const refresh = async () => {
    current = await loadIvrSecrets(db, siteSecret);
  };
  const timer = setInterval(() => {
    // A failed read keeps the last known secrets; the next tick tries again.
    refresh().catch(() => undefined);
  }, opts.intervalMs ?? 5000);
  timer.unref();
  return {
    signing: () => current.signing,
    verifying: () => current.verifying,
    refresh,
    stop: () => clearInterval(timer),
  };
}
