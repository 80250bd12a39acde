/**
 * First run: the first administrator is created in the browser, never from a default
 * password. Setup is open only while the database has no user at all; two browsers racing
 * through the form produce exactly one admin (see `createFirstAdmin`).
 */
import { type Db, isUniqueViolation } from "@/lib/db";
import { recordAudit } from "@/lib/audit/record-audit";
import { hashPassword } from "@/lib/auth/password";
import { setupSchema, type SetupInput } from "@/lib/auth/user.schema";
import { UserError } from "@/lib/errors";

/** Setting key written in the same transaction as the first admin. */
export const SETUP_MARKER_KEY = "setup.firstAdmin";

const ALREADY_DONE = "Spoolcast already has an administrator. Sign in instead.";

/** True while no user exists, i.e. the setup page should be shown. */
export async function isSetupRequired(db: Db): Promise<boolean> {
  return (await db.user.count()) === 0;
}

/**
 * Creates the first admin. The user count is checked and a marker row with a fixed primary
 * key inserted in one transaction: a concurrent setup either sees the user, or blocks on
 * (PostgreSQL) / is serialized behind (SQLite) the marker insert and fails on its key. So
 * "zero users" can never be seen by two winners, whatever the isolation level.
 */
export async function createFirstAdmin(
  db: Db,
  raw: SetupInput & { ip?: string | null },
): Promise<{ id: string; email: string; name: string; role: string }> {
  // Parsed here as well as in the action: the service is the last door before the database.
  const input = { ...setupSchema.parse(raw), ip: raw.ip };
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      if ((await tx.user.count()) > 0) throw new UserError(ALREADY_DONE);
      const user = await tx.user.create({
        data: { email: input.email, name: input.name, passwordHash, role: "admin" },
        select: { id: true, email: true, name: true, role: true },
      });
      await tx.setting.create({ data: { key: SETUP_MARKER_KEY, value: JSON.stringify({ userId: user.id }) } });
      await recordAudit(tx, {
        actor: { type: "user", id: user.id, name: user.name },
        action: "user.create",
        targetType: "user",
        targetId: user.id,
        summary: `First administrator ${user.name} <${user.email}> created at setup`,
        ip: input.ip,
      });
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new UserError(ALREADY_DONE);
    throw error;
  }
}
