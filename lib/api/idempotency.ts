/**
 * `Idempotency-Key` for POST requests, so a retrying client (a fire panel that lost the
 * response) never triggers the same PA twice.
 *
 * - The first request with a key inserts an `IdempotencyKey` row (primary key token+key)
 *   before running; the database's uniqueness decides the winner among concurrent copies.
 * - A copy arriving while the first still runs waits (polling, bounded) for its stored
 *   response, else gets 409 `idempotency_in_progress`.
 * - A retry after success gets the stored status and body again (header `Idempotent-Replayed: true`).
 * - The same key with a different request (method, path or body) gets 422.
 * - A request that fails (error, 4xx from the service) deletes its row: nothing was done,
 *   so a retry with the same key runs again.
 * Keys are kept 24 hours.
 */
import { createHash } from "node:crypto";
import { type Db, isUniqueViolation } from "@/lib/db";
import { ApiError } from "./errors";

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

export function checkIdempotencyKey(key: string | null): string {
  if (!key) {
    throw new ApiError(
      400,
      "idempotency_key_required",
      "Every POST needs an Idempotency-Key header (a unique value per logical request, e.g. a UUID)",
      "Idempotency-Key",
    );
  }
  if (!KEY_PATTERN.test(key)) {
    throw new ApiError(
      400,
      "idempotency_key_invalid",
      "Idempotency-Key must be 1-200 printable ASCII characters without spaces",
      "Idempotency-Key",
    );
  }
  return key;
}

/** Stable JSON (sorted keys) so the same body with reordered keys hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function hashRequest(method: string, path: string, body: unknown): string {
  return createHash("sha256")
    .update(`${method} ${path}\n${canonical(body)}`)
    .digest("hex");
}

export type StoredResponse = { status: number; body: unknown };

/**
 * Runs `execute` at most once per (token, key). `execute` returns the response to store
 * (2xx only are stored) or throws.
 */
export async function runIdempotent(
  db: Db,
  args: { tokenId: string; key: string; requestHash: string; now: Date; waitMs?: number; pollMs?: number },
  execute: () => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  const { tokenId, key, requestHash, now } = args;
  await db.idempotencyKey.deleteMany({ where: { tokenId, createdAt: { lt: new Date(now.getTime() - IDEMPOTENCY_TTL_MS) } } });
  let inserted = false;
  try {
    await db.idempotencyKey.create({ data: { tokenId, key, requestHash, createdAt: now } });
    inserted = true;
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
  }
  if (!inserted) return await awaitStored(db, args);
  let result: StoredResponse;
  try {
    result = await execute();
  } catch (e) {
    await db.idempotencyKey.deleteMany({ where: { tokenId, key, status: null } });
    throw e;
  }
  if (result.status >= 200 && result.status < 300) {
    await db.idempotencyKey.update({
      where: { tokenId_key: { tokenId, key } },
      data: { status: result.status, response: JSON.stringify(result.body) },
    });
  } else {
    await db.idempotencyKey.deleteMany({ where: { tokenId, key, status: null } });
  }
  return { ...result, replayed: false };
}

async function awaitStored(
  db: Db,
  args: { tokenId: string; key: string; requestHash: string; waitMs?: number; pollMs?: number },
): Promise<StoredResponse & { replayed: boolean }> {
  const deadline = Date.now() + (args.waitMs ?? 10_000);
  for (;;) {
    const row = await db.idempotencyKey.findUnique({ where: { tokenId_key: { tokenId: args.tokenId, key: args.key } } });
    if (row && row.requestHash !== args.requestHash) {
      throw new ApiError(
        422,
        "idempotency_key_reused",
        "This Idempotency-Key was already used with a different request; use a new key for a new request",
        "Idempotency-Key",
      );
    }
    if (row?.status != null) return { status: row.status, body: JSON.parse(row.response ?? "null"), replayed: true };
    if (!row) {
      // The first request failed and released the key: this copy may run, but the caller
      // decides that by retrying; tell it so rather than running a second code path here.
      throw new ApiError(
        409,
        "idempotency_retry",
        "The first request with this Idempotency-Key failed; retry the request",
        "Idempotency-Key",
        { "Retry-After": "1" },
      );
    }
    if (Date.now() >= deadline) {
      throw new ApiError(
        409,
        "idempotency_in_progress",
        "A request with this Idempotency-Key is still being processed; retry shortly",
        "Idempotency-Key",
        { "Retry-After": "1" },
      );
    }
    await new Promise((r) => setTimeout(r, args.pollMs ?? 50));
  }
}
