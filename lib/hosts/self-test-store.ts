/**
 * The last self-test result of each host, shown as "last self-test" on the host page: a
 * `Setting` row `selfTest:<hostId>` holding the result as JSON. A key-value row rather than
 * host columns, so a result never travels with the host's settings form.
 */
import { z } from "zod";
import type { Db } from "@/lib/db";
import type { SelfTestLine } from "./self-test-checklist";

export type SelfTestResult = {
  hostId: string;
  hostName: string;
  ivrMode: "direct" | "dialplan";
  /** ISO timestamps. */
  startedAt: string;
  finishedAt: string;
  /** Every line passed (skipped ones aside). */
  ok: boolean;
  /** The test calls, for their timelines on the results page. */
  callIds: string[];
  lines: SelfTestLine[];
};

/** The stored (and API) shape of a result; the API documents it as SelfTestResult. */
export const selfTestLineSchema = z.object({
  id: z.enum(["picked-up", "archived", "answered", "ivr-reached", "token", "system-prompt", "message", "failed-leg"]),
  label: z.string(),
  status: z.enum(["passed", "failed", "warning", "skipped"]),
  detail: z.string(),
  fix: z.string().optional(),
});
export const selfTestResultSchema = z.object({
  hostId: z.string(),
  hostName: z.string(),
  ivrMode: z.enum(["direct", "dialplan"]),
  startedAt: z.string(),
  finishedAt: z.string(),
  ok: z.boolean(),
  callIds: z.array(z.string()),
  lines: z.array(selfTestLineSchema),
});

/** The Setting row holding a host's last self-test. */
export const selfTestSettingKey = (hostId: string) => `selfTest:${hostId}`;

export async function saveSelfTestResult(db: Db, result: SelfTestResult): Promise<void> {
  const value = JSON.stringify(result);
  await db.setting.upsert({
    where: { key: selfTestSettingKey(result.hostId) },
    create: { key: selfTestSettingKey(result.hostId), value },
    update: { value },
  });
}

/** The host's last stored result, or null (never run, or a row this version cannot read). */
export async function getLastSelfTest(db: Db, hostId: string): Promise<SelfTestResult | null> {
  const row = await db.setting.findUnique({ where: { key: selfTestSettingKey(hostId) }, select: { value: true } });
  if (!row) return null;
  try {
    const parsed = selfTestResultSchema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
