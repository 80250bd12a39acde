import type { Metadata } from "next";
import { UsersRound } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/capabilities";
import { requireCapability } from "@/lib/auth/current-user";
import { listUsers } from "@/lib/auth/users";
import { db } from "@/lib/db";
import { CreateUserDialog } from "./create-user-dialog";
import { UsersTable } from "./users-table";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const user = await requireCapability("users.view");
  const canManage = can(user, "users.manage");
  const users = await listUsers(db());
  return (
    <>
      <PageHeader
        title="Users"
        description={
          canManage
            ? "Create accounts, set roles, and disable people who should no longer sign in."
            : "Who can sign in to Spoolcast. Only administrators can change accounts."
        }
        actions={canManage ? <CreateUserDialog /> : null}
      />
      <dl className="mb-4 grid grid-cols-1 gap-2 text-sm text-slate-600 sm:grid-cols-3">
        <div>
          <dt className="inline font-medium text-slate-800">Admin</dt>{" "}
          <dd className="inline">— everything, including users, hosts and the audit log.</dd>
        </div>
        <div>
          <dt className="inline font-medium text-slate-800">Operator</dt>{" "}
          <dd className="inline">— contacts, PA, campaigns, wake-ups and calls.</dd>
        </div>
        <div>
          <dt className="inline font-medium text-slate-800">Viewer</dt>{" "}
          <dd className="inline">— sees everything, changes nothing.</dd>
        </div>
      </dl>
      {users.length === 0 ? (
        <EmptyState icon={UsersRound} title="No users" />
      ) : (
        <UsersTable
          users={users.map((u) => ({
            ...u,
            lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
            createdAt: u.createdAt.toISOString(),
          }))}
          canManage={canManage}
          currentUserId={user.id}
        />
      )}
    </>
  );
}
