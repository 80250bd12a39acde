/**
 * The one way a Settings form's values are stored: each value upserted into its Setting row
 * (the caller gives the stored text: the site defaults keep JSON, the call windows bare numbers,
 * as their readers expect), and one `settings.update` audit line naming what changed, in the
 * same transaction, so a change is never stored without its audit or audited without being stored.
 */
import type { Tx } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";

export async function writeSettingsAudited<T extends Record<string, string | number>>(
  tx: Tx,
  input: {
    /** Setting key → the text to store, for each value written. */
    rows: ReadonlyArray<readonly [key: string, stored: string]>;
    before: T;
    after: T;
    /** Appended to each value in the audit summary, e.g. " min". */
    unit?: string;
    ctx: { actor: AuditActor; ip?: string | null };
  },
): Promise<void> {
  for (const [key, value] of input.rows) {
    await tx.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
  }
  const unit = input.unit ?? "";
  const changes = (Object.keys(input.before) as (keyof T & string)[])
    .filter((k) => input.before[k] !== input.after[k])
    .map((k) => `${k}: ${input.before[k]} → ${input.after[k]}${unit}`);
  await recordAudit(tx, {
    actor: input.ctx.actor,
    action: "settings.update",
    targetType: "setting",
    summary: changes.join("; ") || "no change",
    ip: input.ctx.ip,
  });
}
