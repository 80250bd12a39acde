"use client";

import { Search, UserPlus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { addGroupMembersAction, searchContactsAction } from "../actions";

type Found = { id: string; name: string; phone: string };

/** Search contacts by name or number and add them to the group, one by one or all shown. */
export function AddMembers({ groupId, groupName }: { groupId: string; groupName: string }) {
  const router = useRouter();
  const [found, setFound] = useState<Found[] | null>(null);
  const [pending, startTransition] = useTransition();

  function onSearch(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const q = String(new FormData(event.currentTarget).get("q") ?? "");
    startTransition(async () => {
      const result = await searchContactsAction({ q });
      if (result.ok) setFound(result.data);
      else toast.error(result.error);
    });
  }

  function add(contactIds: string[]) {
    startTransition(async () => {
      const result = await addGroupMembersAction({ groupId, contactIds });
      if (result.ok) {
        toast.success(result.data.added === 0 ? "Already in the group" : `Added ${result.data.added} to ${groupName}`);
        setFound((list) => list?.filter((f) => !contactIds.includes(f.id)) ?? null);
        router.refresh();
      } else toast.error(result.error);
    });
  }

  return (
    <section aria-labelledby="add-members-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="add-members-title" className="mb-3 text-base font-semibold">
        Add members
      </h2>
      <search>
        <form onSubmit={onSearch} className="flex items-end gap-2">
          <div className="flex flex-1 flex-col gap-1.5">
            <Label htmlFor="member-search">Find contacts</Label>
            <Input id="member-search" name="q" type="search" placeholder="Name or phone number" />
          </div>
          <Button type="submit" variant="secondary" disabled={pending}>
            <Search aria-hidden /> Search
          </Button>
        </form>
      </search>
      {found !== null ? (
        found.length === 0 ? (
          <p className="mt-3 text-sm text-slate-600">No contacts to add for that search.</p>
        ) : (
          <>
            <ul className="mt-3 divide-y divide-slate-100" aria-label="Search results">
              {found.map((f) => (
                <li key={f.id} className="flex items-center justify-between gap-2 py-2 text-sm">
                  <span>
                    <span className="font-medium">{f.name}</span> <span className="font-mono text-slate-600">{f.phone}</span>
                  </span>
                  <Button size="sm" variant="outline" disabled={pending} onClick={() => add([f.id])} aria-label={`Add ${f.name}`}>
                    <UserPlus aria-hidden /> Add
                  </Button>
                </li>
              ))}
            </ul>
            {found.length > 1 ? (
              <Button className="mt-2" size="sm" disabled={pending} onClick={() => add(found.map((f) => f.id))}>
                Add all {found.length} shown
              </Button>
            ) : null}
          </>
        )
      ) : null}
    </section>
  );
}
