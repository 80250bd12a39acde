/**
 * How late a call may still be dialled, as the site sets it in Settings → Site defaults
 * (lib/engine/valid-until.ts explains the windows and why a stale call is never dialled):
 * - `wakeupToleranceMinutes` (Setting of that key, default 15): a wake-up is dialled up to this
 *   long after its time; a booking may set its own (WakeUp.toleranceMinutes) instead.
 * - `paValidMinutes` (default 10): a PA or test call is dialled up to this long after launch.
 * Click-to-call (2 min) and campaigns (their calling window and end) are not settings: the
 * first is a person waiting at a desk, the second is set per campaign.
 *
 * The bounds are why: under a minute a call waiting a moment behind the host's pacing would
 * already be stale; a wake-up two hours late or a PA an hour late does the harm this exists
 * to prevent.
 */
import type { z } from "zod";
import type { Db, Tx } from "@/lib/db";
import type { CallKind } from "@/lib/calls/call-state-machine";
import type { AuditActor } from "@/lib/audit/record-audit";
import { writeSettingsAudited } from "@/lib/settings/write-settings";
import { PA_VALID_MS, VALID_FOR_MS, WAKEUP_TOLERANCE_MS } from "@/lib/engine/valid-until";
import {
  PA_VALID_RANGE,
  WAKEUP_TOLERANCE_RANGE,
  callWindowSettingsSchema,
  type CallWindowSettings,
} from "@/lib/settings/call-window-fields";

const MINUTE = 60_000;

export const WAKEUP_TOLERANCE_KEY = "wakeupToleranceMinutes";
export const PA_VALID_KEY = "paValidMinutes";
const DEFAULTS: CallWindowSettings = {
  wakeupToleranceMinutes: WAKEUP_TOLERANCE_MS / MINUTE,
  paValidMinutes: PA_VALID_MS / MINUTE,
};

/** A stored value, or the default when it is missing or not a valid number of minutes (a hand edit). */
function storedMinutes(raw: string | undefined, range: { min: number; max: number }, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  return Number.isInteger(n) && n >= range.min && n <= range.max ? n : fallback;
}

export async function getCallWindowSettings(client: Db | Tx): Promise<CallWindowSettings> {
  const rows = await client.setting.findMany({
    where: { key: { in: [WAKEUP_TOLERANCE_KEY, PA_VALID_KEY] } },
    select: { key: true, value: true },
  });
  const byKey = new Map(rows.map((r) => [r.key, r.value]));
  return {
    wakeupToleranceMinutes: storedMinutes(
      byKey.get(WAKEUP_TOLERANCE_KEY),
      WAKEUP_TOLERANCE_RANGE,
      DEFAULTS.wakeupToleranceMinutes,
    ),
    paValidMinutes: storedMinutes(byKey.get(PA_VALID_KEY), PA_VALID_RANGE, DEFAULTS.paValidMinutes),
  };
}

/** Each kind's window past its scheduled start, with the site's settings applied. */
export async function getCallWindows(client: Db | Tx): Promise<Record<CallKind, number>> {
  const s = await getCallWindowSettings(client);
  return {
    ...VALID_FOR_MS,
    wakeup: s.wakeupToleranceMinutes * MINUTE,
    pa: s.paValidMinutes * MINUTE,
    test: s.paValidMinutes * MINUTE,
  };
}

/** Saves both settings; applies to calls queued from now on (a queued call keeps its valid-until). */
export async function saveCallWindowSettings(
  db: Db,
  input: z.input<typeof callWindowSettingsSchema>,
  ctx: { actor: AuditActor; ip?: string | null },
): Promise<CallWindowSettings> {
  const data = callWindowSettingsSchema.parse(input);
  await db.$transaction(async (tx) => {
    const before = await getCallWindowSettings(tx);
    await writeSettingsAudited(tx, {
      rows: [
        [WAKEUP_TOLERANCE_KEY, String(data.wakeupToleranceMinutes)],
        [PA_VALID_KEY, String(data.paValidMinutes)],
      ],
      before,
      after: data,
      unit: " min",
      ctx,
    });
  });
  return data;
}
