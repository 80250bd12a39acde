/**
 * API tokens: created by an admin, shown once, stored only as a SHA-256 hash (a token is
 * 32 random bytes, so a fast hash is enough: there is nothing to brute-force), scoped,
 * optionally expiring, revocable, with the time of last use.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import { UserError } from "@/lib/errors";
import { parseScopes, type ApiScope } from "./scopes";
import { createApiTokenSchema, type CreateApiTokenInput } from "./token.schema";

/** Every token starts with this, so it is recognisable in logs and secret scanners. */
export const TOKEN_PREFIX = "spc_";

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export type ApiTokenView = {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
  status: "active" | "expired" | "revoked";
};

type Ctx = { actor: AuditActor; ip?: string | null; now?: Date };

/** Creates a token; the plain `token` is returned here only and never stored. */
export async function createApiToken(
  db: Db,
  input: CreateApiTokenInput,
  ctx: Ctx,
): Promise<{ token: string; view: ApiTokenView }> {
  const data = createApiTokenSchema.parse(input);
  const now = ctx.now ?? new Date();
  let expiresAt: Date | null = null;
  if (data.expiresOn) {
    // The token works through the whole chosen day (UTC).
    expiresAt = new Date(`${data.expiresOn}T23:59:59.999Z`);
    if (Number.isNaN(expiresAt.getTime())) throw new UserError("Not a real date", { field: "expiresOn" });
    if (expiresAt <= now) throw new UserError("The expiry date must be in the future", { field: "expiresOn" });
  }
  if (await db.apiToken.findUnique({ where: { name: data.name }, select: { id: true } })) {
    throw new UserError("A token with this name already exists", { field: "name" });
  }
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const scopes = [...new Set(data.scopes)];
  const row = await db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        name: data.name,
        tokenHash: hashApiToken(token),
        prefix: token.slice(0, TOKEN_PREFIX.length + 6),
        scopes: scopes.join(" "),
        expiresAt,
        createdById: ctx.actor.type === "user" ? ctx.actor.id : null,
      },
    });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: "apitoken.create",
      targetType: "apitoken",
      targetId: created.id,
      summary: `token "${data.name}" scopes ${scopes.join(", ")}${expiresAt ? `, expires ${data.expiresOn}` : ", no expiry"}`,
      ip: ctx.ip,
    });
    return created;
  });
  return { token, view: toView(row) };
}

export async function revokeApiToken(db: Db, id: string, ctx: Ctx): Promise<ApiTokenView> {
  const now = ctx.now ?? new Date();
  return await db.$transaction(async (tx) => {
    const row = await tx.apiToken.findUnique({ where: { id } });
    if (!row) throw new UserError("No such token", { field: "id" });
    if (row.revokedAt) return toView(row);
    const updated = await tx.apiToken.update({ where: { id }, data: { revokedAt: now } });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: "apitoken.revoke",
      targetType: "apitoken",
      targetId: id,
      summary: `token "${row.name}" revoked`,
      ip: ctx.ip,
    });
    return toView(updated);
  });
}

export async function listApiTokens(db: Db, now = new Date()): Promise<ApiTokenView[]> {
  const rows = await db.apiToken.findMany({ orderBy: [{ revokedAt: { sort: "asc", nulls: "first" } }, { createdAt: "desc" }] });
  return rows.map((r) => toView(r, now));
}

function toView(
  row: {
    id: string;
    name: string;
    prefix: string;
    scopes: string;
    expiresAt: Date | null;
    revokedAt: Date | null;
    lastUsedAt: Date | null;
    createdAt: Date;
  },
  now = new Date(),
): ApiTokenView {
  return {
    status: row.revokedAt ? "revoked" : row.expiresAt && row.expiresAt <= now ? "expired" : "active",
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: parseScopes(row.scopes),
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
    createdAt: row.createdAt,
  };
}

export type AuthenticatedToken = { id: string; name: string; scopes: ApiScope[] };

export type TokenCheck =
  | { ok: true; token: AuthenticatedToken }
  | { ok: false; code: "token_missing" | "token_invalid" | "token_revoked" | "token_expired"; message: string };

/** Looks up a presented token by hash and checks revocation and expiry. */
export async function checkApiToken(db: Db, presented: string | null, now: Date): Promise<TokenCheck> {
  if (!presented) return { ok: false, code: "token_missing", message: "Send the API token as: Authorization: Bearer <token>" };
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashApiToken(presented) },
    select: { id: true, name: true, scopes: true, expiresAt: true, revokedAt: true },
  });
  if (!row) return { ok: false, code: "token_invalid", message: "This API token is not valid" };
  if (row.revokedAt) return { ok: false, code: "token_revoked", message: `The API token "${row.name}" has been revoked` };
  if (row.expiresAt && row.expiresAt <= now)
    return { ok: false, code: "token_expired", message: `The API token "${row.name}" expired on ${row.expiresAt.toISOString()}` };
  return { ok: true, token: { id: row.id, name: row.name, scopes: parseScopes(row.scopes) } };
}
