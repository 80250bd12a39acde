"use client";

import { toast } from "sonner";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { revokeApiTokenAction } from "./actions";

export function RevokeTokenButton({ id, name }: { id: string; name: string }) {
  return (
    <ConfirmButton
      variant="outline"
      size="sm"
      destructive
      title={`Revoke “${name}”?`}
      description="Requests with this token are refused from now on. This cannot be undone; create a new token if needed."
      confirmLabel="Revoke token"
      pendingLabel="Revoking…"
      onConfirm={async () => {
        const result = await revokeApiTokenAction({ id });
        if (result.ok) toast.success(`Token “${result.data.name}” revoked`);
        else return result.error;
      }}
    >
      Revoke
    </ConfirmButton>
  );
}
