import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft, Download, Users } from "lucide-react";
import { buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { can } from "@/lib/auth/capabilities";
import { requireCapability } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { listContacts } from "@/lib/contacts/list-contacts";
import { getGroup } from "@/lib/groups/list-groups";
import { DeleteGroupButton, GroupNameDialog } from "../group-dialogs";
import { AddMembers } from "./add-members";
import { MembersTable } from "./members-table";

export const metadata: Metadata = { title: "Group" };

export default async function GroupPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ page?: string }>;
}) {
  const user = await requireCapability("contacts.view");
  const canEdit = can(user, "groups.edit");
  const { id } = await params;
  const group = await getGroup(db(), id);
  if (!group) notFound();
  const { page } = await searchParams;
  const members = await listContacts(db(), { groupId: id, page: Number(page) || 1, pageSize: 50 });

  return (
    <>
      <Link href="/contacts/groups" className="mb-3 inline-flex items-center gap-1 text-sm text-slate-600 hover:text-slate-900">
        <ArrowLeft aria-hidden className="size-4" /> All groups
      </Link>
      <PageHeader
        title={group.name}
        description={`${group.isTest ? "Test group · " : ""}${group.memberCount.toLocaleString("en")} member(s)${group.campaignCount > 0 ? ` · used by ${group.campaignCount} campaign(s), so it cannot be deleted` : ""}`}
        actions={
          <>
            <a
              className={buttonVariants({ variant: "outline" })}
              href={`/contacts/export?group=${encodeURIComponent(group.id)}`}
              download
            >
              <Download aria-hidden /> Export CSV
            </a>
            {canEdit ? (
              <>
                <GroupNameDialog group={group} />
                <DeleteGroupButton group={group} />
              </>
            ) : null}
          </>
        }
      />
      <div className="flex flex-col gap-6">
        {canEdit ? <AddMembers groupId={group.id} groupName={group.name} /> : null}
        {members.total === 0 ? (
          <EmptyState
            icon={Users}
            title="Nobody in this group yet"
            description={
              canEdit ? (
                <>
                  Search above to add contacts, or{" "}
                  <Link className="text-blue-800 underline" href={`/contacts/import?group=${encodeURIComponent(group.id)}`}>
                    import a CSV file straight into this group
                  </Link>
                  .
                </>
              ) : undefined
            }
          />
        ) : (
          <div>
            <MembersTable
              groupId={group.id}
              canEdit={canEdit}
              members={members.rows.map((r) => ({
                id: r.id,
                name: r.name,
                phone: r.phones[0]?.destination ?? "",
                timeZone: r.timeZone,
              }))}
            />
            <Pagination
              page={members.page}
              pageCount={members.pageCount}
              total={members.total}
              label="members"
              hrefFor={(p) => `/contacts/groups/${group.id}${p > 1 ? `?page=${p}` : ""}`}
            />
          </div>
        )}
      </div>
    </>
  );
}
