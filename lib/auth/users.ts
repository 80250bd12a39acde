/**
 * User administration: create, change role, disable/enable, reset password. Each change is
 * audited in the same transaction. Guards keep the site manageable: the last active admin can
 * be neither demoted nor disabled, and nobody can disable their own account.
 */
import { type Db, type Tx, isUniqueViolation } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit/record-audit";
import type { Role } from "@/lib/auth/capabilities";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { createUserSchema, type CreateUserInput } from "@/lib/auth/user.schema";
import { UserError } from "@/lib/errors";
import { parseDestination } from "@/lib/destinations/destination";
import { getDestinationRules } from "@/lib/destinations/destination-rules";

/** Who is making the change, for the audit log. */
export type MutationContext = { actor: AuditActor; ip?: string | null };

/** A user as the admin page shows it. */
export type UserSummary = {
  id: string;
  email: string;
  name: string;
  role: string;
  disabled: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
};

const SUMMARY_SELECT = {
  id: true,
  email: true,
  name: true,
  role: true,
  disabled: true,
  lastLoginAt: true,
  createdAt: true,
} as const;

/** Every user, admins first, then by name. */
export async function listUsers(db: Db): Promise<UserSummary[]> {
  const users = await db.user.findMany({ select: SUMMARY_SELECT, orderBy: { name: "asc" } });
  const rank: Record<string, number> = { admin: 0, operator: 1, viewer: 2 };
  return users.sort((a, b) => (rank[a.role] ?? 3) - (rank[b.role] ?? 3));
}

async function findUserOrThrow(tx: Tx, userId: string): Promise<UserSummary> {
  const user = await tx.user.findUnique({ where: { id: userId }, select: SUMMARY_SELECT });
  if (!user) throw new UserError("This user no longer exists. Reload the page.");
  return user;
}

async function countOtherActiveAdmins(tx: Tx, userId: string): Promise<number> {
  return tx.user.count({ where: { role: "admin", disabled: false, id: { not: userId } } });
}

/** Creates an account with an initial password the admin hands over. */
export async function createUser(db: Db, raw: CreateUserInput, ctx: MutationContext): Promise<UserSummary> {
  // Parsed here as well as in the action: the service is the last door before the database.
  const input = createUserSchema.parse(raw);
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email: input.email, name: input.name, role: input.role, passwordHash },
        select: SUMMARY_SELECT,
      });
      await recordAudit(tx, {
        actor: ctx.actor,
        action: "user.create",
        targetType: "user",
        targetId: user.id,
        summary: `Created ${user.name} <${user.email}> as ${user.role}`,
        ip: ctx.ip,
      });
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new UserError("A user with this email already exists.", { field: "email" });
    throw error;
  }
}

/** Changes a user's role; refuses to leave the site without an active admin. */
export async function changeUserRole(db: Db, input: { userId: string; role: Role }, ctx: MutationContext): Promise<UserSummary> {
  // One transaction: the last-admin check and the update must see the same admins.
  return db.$transaction(async (tx) => {
    const user = await findUserOrThrow(tx, input.userId);
    if (user.role === input.role) return user;
    if (user.role === "admin" && !user.disabled && (await countOtherActiveAdmins(tx, user.id)) === 0) {
      throw new UserError("This is the last active administrator. Make someone else an administrator first.", {
        field: "role",
      });
    }
    const updated = await tx.user.update({ where: { id: user.id }, data: { role: input.role }, select: SUMMARY_SELECT });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: "user.role.change",
      targetType: "user",
      targetId: user.id,
      summary: `${user.name} <${user.email}>: role ${user.role} → ${input.role}`,
      ip: ctx.ip,
    });
    return updated;
  });
}

/** Disables (signing the user out everywhere) or re-enables an account. */
export async function setUserDisabled(
  db: Db,
  input: { userId: string; disabled: boolean },
  ctx: MutationContext,
): Promise<UserSummary> {
  return db.$transaction(async (tx) => {
    const user = await findUserOrThrow(tx, input.userId);
    if (user.disabled === input.disabled) return user;
    if (input.disabled) {
      if (ctx.actor.type === "user" && ctx.actor.id === user.id) {
        throw new UserError("You cannot disable your own account.");
      }
      if (user.role === "admin" && (await countOtherActiveAdmins(tx, user.id)) === 0) {
        throw new UserError("This is the last active administrator and cannot be disabled.");
      }
    }
    const updated = await tx.user.update({
      where: { id: user.id },
      data: { disabled: input.disabled },
      select: SUMMARY_SELECT,
    });
    if (input.disabled) await tx.session.deleteMany({ where: { userId: user.id } });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: input.disabled ? "user.disable" : "user.enable",
      targetType: "user",
      targetId: user.id,
      summary: `${input.disabled ? "Disabled" : "Re-enabled"} ${user.name} <${user.email}>`,
      ip: ctx.ip,
    });
    return updated;
  });
}

/** Sets a new password chosen by an admin and signs the user out everywhere. */
export async function resetUserPassword(
  db: Db,
  input: { userId: string; password: string },
  ctx: MutationContext,
): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  await db.$transaction(async (tx) => {
    const user = await findUserOrThrow(tx, input.userId);
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await tx.session.deleteMany({ where: { userId: user.id } });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: "user.password.reset",
      targetType: "user",
      targetId: user.id,
      summary: `Password of ${user.name} <${user.email}> reset; their sessions were ended`,
      ip: ctx.ip,
    });
  });
}

/**
 * A user changes their own password: the current one must match. Every other session of
 * theirs ends (a stolen session dies with the old password); `keepSessionId` stays.
 */
export async function changeOwnPassword(
  db: Db,
  input: { userId: string; currentPassword: string; newPassword: string; keepSessionId?: string },
  ctx: MutationContext,
): Promise<void> {
  const user = await db.user.findUnique({
    where: { id: input.userId },
    select: { id: true, name: true, email: true, passwordHash: true },
  });
  if (!user) throw new UserError("This user no longer exists.");
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new UserError("The current password is not correct.", { field: "currentPassword" });
  }
  if (input.currentPassword === input.newPassword) {
    throw new UserError("Choose a password different from the current one.", { field: "newPassword" });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await tx.session.deleteMany({
      where: { userId: user.id, ...(input.keepSessionId ? { id: { not: input.keepSessionId } } : {}) },
    });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: "user.password.change",
      targetType: "user",
      targetId: user.id,
      summary: `${user.name} <${user.email}> changed their password; their other sessions were ended`,
      ip: ctx.ip,
    });
  });
}

/** Sets (or, with "", clears) the desk phone rung first when this user clicks to call. */
export async function setDeskEndpoint(
  db: Db,
  input: { userId: string; deskEndpoint: string },
  ctx: MutationContext,
): Promise<{ deskEndpoint: string | null }> {
  let deskEndpoint: string | null = null;
  if (input.deskEndpoint !== "") {
    const parsed = parseDestination(input.deskEndpoint, await getDestinationRules(db));
    if (!parsed.ok) throw new UserError(parsed.error, { field: "deskEndpoint" });
    deskEndpoint = parsed.value;
  }
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { id: true, name: true, deskEndpoint: true } });
    if (!user) throw new UserError("This user no longer exists.");
    if (user.deskEndpoint === deskEndpoint) return { deskEndpoint };
    await tx.user.update({ where: { id: user.id }, data: { deskEndpoint } });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: "user.desk-phone.change",
      targetType: "user",
      targetId: user.id,
      summary: `Desk phone of ${user.name}: ${user.deskEndpoint ?? "none"} → ${deskEndpoint ?? "none"}`,
      ip: ctx.ip,
    });
    return { deskEndpoint };
  });
}
