"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { removeGroupMembersAction } from "../actions";

export type MemberRow = { id: string; name: string; phone: string; timeZone: string | null };

/** The group's members on this page; editors can tick rows and remove them together. */
export function MembersTable({ groupId, members, canEdit }: { groupId: string; members: MemberRow[]; canEdit: boolean }) {
  const router = useRouter();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [pending, startTransition] = useTransition();
  const allSelected = members.length > 0 && members.every((m) => selected.has(m.id));

  function toggle(id: string) {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  }

  function remove() {
    const contactIds = [...selected];
    startTransition(async () => {
      const result = await removeGroupMembersAction({ groupId, contactIds });
      if (result.ok) {
        toast.success(`Removed ${result.data.removed} from the group`);
        setSelected(new Set());
        router.refresh();
      } else toast.error(result.error);
    });
  }

  return (
    <div className="rounded-lg border border-slate-200 bg-white">
      {canEdit ? (
        <div className="flex items-center gap-3 border-b border-slate-200 px-3 py-2 text-sm">
          <span className="text-slate-600">{selected.size} selected</span>
          <Button size="sm" variant="outline" className="text-red-700" disabled={selected.size === 0 || pending} onClick={remove}>
            Remove from group
          </Button>
        </div>
      ) : null}
      <Table>
        <caption className="sr-only">Members</caption>
        <TableHeader>
          <TableRow>
            {canEdit ? (
              <TableHead className="w-10">
                <input
                  type="checkbox"
                  aria-label="Select all on this page"
                  checked={allSelected}
                  onChange={() => setSelected(allSelected ? new Set() : new Set(members.map((m) => m.id)))}
                  className="size-4"
                />
              </TableHead>
            ) : null}
            <TableHead>Name</TableHead>
            <TableHead>Phone</TableHead>
            <TableHead className="hidden md:table-cell">Time zone</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {members.map((m) => (
            <TableRow key={m.id}>
              {canEdit ? (
                <TableCell>
                  <input
                    type="checkbox"
                    aria-label={`Select ${m.name}`}
                    checked={selected.has(m.id)}
                    onChange={() => toggle(m.id)}
                    className="size-4"
                  />
                </TableCell>
              ) : null}
              <TableCell className="font-medium">
                <Link className="text-blue-800 hover:underline" href={`/contacts/${m.id}`}>
                  {m.name}
                </Link>
              </TableCell>
              <TableCell className="font-mono text-[13px] tabular-nums">{m.phone || "—"}</TableCell>
              <TableCell className="hidden text-slate-600 md:table-cell">{m.timeZone ?? "—"}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
