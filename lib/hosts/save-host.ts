/**
 * Create or update an Asterisk host (Settings). Validates against Asterisk's rules
 * (check-host.ts), keeps the stored SFTP private key when the form leaves it empty, keeps
 * exactly one default host, audits the change (never the key), and afterwards brings the host's
 * sounds root up to date (lib/audio `syncAll`: messages, system prompts, wake-up sounds, each
 * read back from the host). When the sounds root or the way to reach it changed, the host's
 * message deliveries are set back to "pending" in the same transaction: the old "synced" was
 * about another directory, and only the sync's read-back may say "synced" again.
 */
import type { Db } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { syncAll } from "@/lib/audio/deliver";
import { UserError } from "@/lib/errors";
import { log } from "@/lib/log";
import { checkHostSettings } from "./check-host";
import { hostInputSchema, type HostInput } from "./host.schema";
import { selfTestSettingKey } from "./self-test-store";
import { openSecret, sealSecret } from "@/lib/secrets/at-rest";

type Ctx = { actor: AuditActor; ip?: string | null };
type HostSync = (db: Db, options: { hostId: string }) => Promise<{ synced: number; failed: number }>;

/** Fields that decide which directory, on which machine, a host's sounds are in. */
const SOUNDS_LOCATION_FIELDS = ["transport", "soundsDir", "sftpHost", "sftpPort", "sftpUser"] as const;

const AUDITED_FIELDS = [
  "name",
  "enabled",
  "isDefault",
  "transport",
  "spoolDir",
  "soundsDir",
  "sftpHost",
  "sftpPort",
  "sftpUser",
  "sftpHostKey",
  "fileUid",
  "fileGid",
  "maxConcurrent",
  "maxPerSecond",
  "channelTemplate",
  "internalTemplate",
  "extensionMinDigits",
  "extensionMaxDigits",
  "allowFeatureCodes",
  "outboundContext",
  "ivrMode",
  "ivrContext",
  "ivrPublicAddress",
  "paCallerId",
  "defaultCallerId",
  "paVariables",
  "retention",
  "maxRetries",
  "retryTime",
  "waitTime",
] as const;

export type SaveHostResult = { id: string; name: string; sync: { synced: number; failed: number } | { error: string } };

export async function saveHost(db: Db, input: HostInput, ctx: Ctx, opts: { sync?: HostSync } = {}): Promise<SaveHostResult> {
  const data = hostInputSchema.parse(input);
  checkHostSettings(data);
  const existing = data.id ? await db.asteriskHost.findUnique({ where: { id: data.id }, omit: { sftpPrivateKey: false } }) : null;
  if (data.id && !existing) throw new UserError("This host no longer exists", { field: "name" });
  const clash = await db.asteriskHost.findUnique({ where: { name: data.name }, select: { id: true } });
  if (clash && clash.id !== data.id) throw new UserError("Another host already has this name", { field: "name" });
  // A pasted key is stored sealed (lib/secrets/at-rest.ts); an empty field keeps the stored one.
  const pastedKey = data.sftpPrivateKey.trim() ? data.sftpPrivateKey.trim() + "\n" : null;
  const privateKey = pastedKey ? sealSecret(pastedKey) : (existing?.sftpPrivateKey ?? null);
  if (data.transport === "sftp" && !privateKey)
    throw new UserError("Paste the private key Spoolcast signs in with", { field: "sftpPrivateKey" });
  if (existing?.isDefault && !data.isDefault) {
    throw new UserError("Make another host the default instead; one host must stay the default", { field: "isDefault" });
  }

  const values = {
    name: data.name,
    enabled: data.enabled,
    isDefault: data.isDefault,
    transport: data.transport,
    spoolDir: data.spoolDir,
    soundsDir: data.soundsDir,
    sftpHost: data.transport === "sftp" ? data.sftpHost : null,
    sftpPort: data.transport === "sftp" ? (data.sftpPort ?? 22) : null,
    sftpUser: data.transport === "sftp" ? data.sftpUser : null,
    sftpPrivateKey: data.transport === "sftp" ? privateKey : null,
    sftpHostKey: data.transport === "sftp" ? data.sftpHostKey : null,
    fileUid: data.fileUid ?? null,
    fileGid: data.fileGid ?? null,
    maxConcurrent: data.maxConcurrent,
    maxPerSecond: data.maxPerSecond,
    channelTemplate: data.channelTemplate,
    internalTemplate: data.internalTemplate,
    extensionMinDigits: data.extensionMinDigits,
    extensionMaxDigits: data.extensionMaxDigits,
    allowFeatureCodes: data.allowFeatureCodes,
    outboundContext: data.outboundContext,
    ivrMode: data.ivrMode,
    ivrContext: data.ivrContext,
    ivrPublicAddress: data.ivrPublicAddress || null,
    paCallerId: data.paCallerId,
    defaultCallerId: data.defaultCallerId,
    paVariables: data.paVariables.replace(/\r\n/g, "\n").trim(),
    retention: data.retention,
    maxRetries: data.maxRetries,
    retryTime: data.retryTime,
    waitTime: data.waitTime,
  };

  const saved = await db.$transaction(async (tx) => {
    const isFirst = !existing && (await tx.asteriskHost.count()) === 0;
    const makeDefault = values.isDefault || isFirst;
    if (makeDefault)
      await tx.asteriskHost.updateMany({
        where: { isDefault: true, ...(existing ? { id: { not: existing.id } } : {}) },
        data: { isDefault: false },
      });
    const row = existing
      ? await tx.asteriskHost.update({ where: { id: existing.id }, data: { ...values, isDefault: makeDefault } })
      : await tx.asteriskHost.create({ data: { ...values, isDefault: makeDefault } });
    const changes = existing
      ? AUDITED_FIELDS.filter((f) => String(existing[f] ?? "") !== String(values[f] ?? "")).map(
          (f) => `${f}: ${String(existing[f] ?? "") || "—"} → ${String(values[f] ?? "") || "—"}`,
        )
      : [];
    if (existing && SOUNDS_LOCATION_FIELDS.some((f) => String(existing[f] ?? "") !== String(values[f] ?? ""))) {
      await tx.audioDelivery.updateMany({ where: { hostId: existing.id }, data: { state: "pending", error: null } });
    }
    const keyChanged = existing && pastedKey !== null && !sameStoredSecret(existing.sftpPrivateKey, pastedKey);
    await recordAudit(tx, {
      actor: ctx.actor,
      action: existing ? "host.update" : "host.create",
      targetType: "host",
      targetId: row.id,
      summary: existing
        ? `host "${row.name}": ${[...changes, ...(keyChanged ? ["SFTP private key replaced"] : [])].join("; ") || "no change"}`
        : `host "${row.name}" (${row.transport}, spool ${row.spoolDir})`,
      ip: ctx.ip,
    });
    return row;
  });

  let sync: SaveHostResult["sync"];
  if (!saved.enabled) sync = { synced: 0, failed: 0 };
  else {
    try {
      sync = await (opts.sync ?? syncAll)(db, { hostId: saved.id });
    } catch (e) {
      log.warn({ err: e, hostId: saved.id }, "message sync after saving host failed");
      sync = { error: e instanceof Error ? e.message : String(e) };
    }
  }
  return { id: saved.id, name: saved.name, sync };
}

/**
 * Deletes a host that has never placed a call for anyone (calls keep their host for history).
 * Its self-test calls (kind "test", lib/hosts/self-test.ts) are checks of the PBX, not history:
 * they go with the host, so a wrong host that was tested can still be removed. The audit log
 * keeps each self-test (host.self_test) and this deletion.
 */
export async function deleteHost(db: Db, id: string, ctx: Ctx): Promise<void> {
  await db.$transaction(async (tx) => {
    const host = await tx.asteriskHost.findUnique({ where: { id }, select: { id: true, name: true, isDefault: true } });
    if (!host) throw new UserError("This host no longer exists", { field: "id" });
    if (host.isDefault) throw new UserError("Make another host the default before deleting this one", { field: "id" });
    const calls = await tx.call.count({ where: { hostId: id, kind: { not: "test" } } });
    if (calls > 0) throw new UserError(`This host has ${calls} calls in its history; disable it instead`, { field: "id" });
    const selfTests = await tx.call.deleteMany({ where: { hostId: id, kind: "test" } });
    await tx.setting.deleteMany({ where: { key: selfTestSettingKey(id) } });
    await tx.campaign.updateMany({ where: { hostId: id }, data: { hostId: null } });
    await tx.asteriskHost.delete({ where: { id } });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: "host.delete",
      targetType: "host",
      targetId: id,
      summary: `host "${host.name}" deleted` + (selfTests.count ? ` with its ${selfTests.count} self-test call(s)` : ""),
      ip: ctx.ip,
    });
  });
}

/** Whether the stored (possibly sealed) secret is `plain`; one that no longer opens counts as different. */
function sameStoredSecret(stored: string | null, plain: string): boolean {
  try {
    return openSecret(stored) === plain;
  } catch {
    return false;
  }
}
