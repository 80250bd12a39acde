/**
 * Per-token fixed-window rate limit kept in the database (Setting row `api-rate:<tokenId>`
 * holding `<windowStartMs>:<count>`), so it holds across processes and restarts. Updates
 * are compare-and-swap on the stored value, so concurrent requests never lose a count.
 */
import type { Db } from "@/lib/db";

export type RateLimit = { limit: number; windowMs: number };
export const DEFAULT_RATE_LIMIT: RateLimit = { limit: 120, windowMs: 60_000 };

export type RateDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: string }).code === "P2002";
}

export async function takeRateToken(
  db: Db,
  tokenId: string,
  now: Date,
  rate: RateLimit = DEFAULT_RATE_LIMIT,
): Promise<RateDecision> {
  const key = `api-rate:${tokenId}`;
  const window = Math.floor(now.getTime() / rate.windowMs) * rate.windowMs;
  for (let attempt = 0; attempt < 50; attempt++) {
    const row = await db.setting.findUnique({ where: { key } });
    if (!row) {
      try {
        await db.setting.create({ data: { key, value: `${window}:1` } });
        return { allowed: true, remaining: rate.limit - 1 };
      } catch (e) {
        if (isUniqueViolation(e)) continue;
        throw e;
      }
    }
    const [startText, countText] = row.value.split(":");
    const sameWindow = Number(startText) === window;
    const count = sameWindow ? Number(countText) || 0 : 0;
    if (count >= rate.limit) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window + rate.windowMs - now.getTime()) / 1000)) };
    }
    const swapped = await db.setting.updateMany({ where: { key, value: row.value }, data: { value: `${window}:${count + 1}` } });
    if (swapped.count === 1) return { allowed: true, remaining: rate.limit - count - 1 };
  }
  // Fifty lost races in a row means extreme contention: refuse rather than let it through.
  return { allowed: false, retryAfterSeconds: 1 };
}
