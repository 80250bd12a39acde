"use client";

import { Pencil, Plus, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { createGroupAction, deleteGroupAction, renameGroupAction } from "./actions";

/** "New group" (no `group`) or "Rename" (with `group`) dialog. */
export function GroupNameDialog({ group, compact }: { group?: { id: string; name: string }; compact?: boolean }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string>();

  function change(next: boolean) {
    setOpen(next);
    if (!next) setError(undefined);
  }

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get("name") ?? "");
    const isTest = form.get("isTest") === "on";
    startTransition(async () => {
      const result = group ? await renameGroupAction({ id: group.id, name }) : await createGroupAction({ name, isTest });
      if (result.ok) {
        toast.success(group ? `Renamed to ${name.trim()}` : `Group ${name.trim()} created`);
        change(false);
        if (group) router.refresh();
        else router.push(`/contacts/groups/${result.data.id}`);
      } else setError(result.fieldErrors?.name ?? result.error);
    });
  }

  return (
    <Dialog open={open} onOpenChange={change}>
      <DialogTrigger asChild>
        {group ? (
          <Button variant="outline" size={compact ? "sm" : "default"} aria-label={compact ? `Rename ${group.name}` : undefined}>
            <Pencil aria-hidden /> {compact ? null : "Rename"}
          </Button>
        ) : (
          <Button>
            <Plus aria-hidden /> New group
          </Button>
        )}
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{group ? `Rename ${group.name}` : "New group"}</DialogTitle>
          <DialogDescription>Group names are unique, whatever their capitals.</DialogDescription>
        </DialogHeader>
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
          <FormField label="Group name" error={error} required>
            <Input name="name" defaultValue={group?.name ?? ""} autoComplete="off" maxLength={100} />
          </FormField>
          {group ? null : (
            <label className="flex items-start gap-2 text-sm text-slate-700">
              <input type="checkbox" name="isTest" className="mt-0.5 size-4" />
              <span>
                <span className="font-medium text-slate-900">Test group</span> — the only kind of group a “Test PA” may call. Use
                it for a few phones you own.
              </span>
            </label>
          )}
          <DialogFooter>
            <Button variant="outline" onClick={() => change(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? "Saving…" : group ? "Rename" : "Create group"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

/** Delete with confirmation; a group a campaign uses is refused by the server with the reason. */
export function DeleteGroupButton({
  group,
  compact,
}: {
  group: { id: string; name: string; memberCount: number };
  compact?: boolean;
}) {
  const router = useRouter();
  return (
    <ConfirmButton
      variant="outline"
      size={compact ? "sm" : "default"}
      className="text-red-700"
      aria-label={compact ? `Delete ${group.name}` : undefined}
      title={`Delete group ${group.name}?`}
      description={`The ${group.memberCount} contact(s) in it stay in Contacts; only the group goes.`}
      confirmLabel="Delete group"
      pendingLabel="Deleting…"
      cancelLabel="Keep"
      destructive
      onConfirm={async () => {
        const result = await deleteGroupAction({ id: group.id });
        if (!result.ok) return result.error;
        toast.success(`Group ${group.name} deleted`);
        router.push("/contacts/groups");
        router.refresh();
      }}
    >
      <Trash2 aria-hidden /> {compact ? null : "Delete"}
    </ConfirmButton>
  );
}
