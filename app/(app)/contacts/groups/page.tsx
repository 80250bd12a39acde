import type { Metadata } from "next";
import Link from "next/link";
import { FolderOpen } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { can } from "@/lib/auth/capabilities";
import { requireCapability } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { listGroups } from "@/lib/groups/list-groups";
import { ContactsNav } from "../_components/contacts-nav";
import { DeleteGroupButton, GroupNameDialog } from "./group-dialogs";

export const metadata: Metadata = { title: "Groups" };

export default async function GroupsPage() {
  const user = await requireCapability("contacts.view");
  const canEdit = can(user, "groups.edit");
  const groups = await listGroups(db());
  return (
    <>
      <PageHeader
        title="Contacts"
        description="Groups are who a PA announcement or campaign calls. A contact can be in many groups."
        actions={canEdit ? <GroupNameDialog /> : null}
      />
      <ContactsNav current="/contacts/groups" />
      {groups.length === 0 ? (
        <EmptyState
          icon={FolderOpen}
          title="No groups yet"
          description="Create a group such as “Floor 2” or “Night staff”, then add contacts to it."
          action={canEdit ? <GroupNameDialog /> : null}
        />
      ) : (
        <div className="rounded-lg border border-slate-200 bg-white">
          <Table>
            <caption className="sr-only">Contact groups</caption>
            <TableHeader>
              <TableRow>
                <TableHead>Group</TableHead>
                <TableHead className="text-right">Members</TableHead>
                <TableHead>Used by</TableHead>
                {canEdit ? <TableHead className="text-right">Actions</TableHead> : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {groups.map((g) => (
                <TableRow key={g.id}>
                  <TableCell className="font-medium">
                    <Link className="text-blue-800 hover:underline" href={`/contacts/groups/${g.id}`}>
                      {g.name}
                    </Link>
                    {g.isTest ? (
                      <Badge variant="warning" className="ml-2">
                        test
                      </Badge>
                    ) : null}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{g.memberCount.toLocaleString("en")}</TableCell>
                  <TableCell className="text-slate-600">{g.campaignCount > 0 ? `${g.campaignCount} campaign(s)` : "—"}</TableCell>
                  {canEdit ? (
                    <TableCell>
                      <div className="flex justify-end gap-2">
                        <GroupNameDialog group={g} compact />
                        <DeleteGroupButton group={g} compact />
                      </div>
                    </TableCell>
                  ) : null}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </>
  );
}
