"use client";

import { Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { deleteContactAction } from "../actions";

export function DeleteContactButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  return (
    <ConfirmButton
      variant="outline"
      className="text-red-700"
      title={`Delete ${name}?`}
      description="Their numbers and group memberships are removed. Past calls stay in the results with the number that was dialled."
      confirmLabel="Delete contact"
      pendingLabel="Deleting…"
      cancelLabel="Keep"
      destructive
      onConfirm={async () => {
        const result = await deleteContactAction({ id });
        if (!result.ok) return result.error;
        toast.success(`${result.data.name} deleted`);
        router.push("/contacts");
      }}
    >
      <Trash2 aria-hidden /> Delete
    </ConfirmButton>
  );
}
