"use client";

import { RefreshCw } from "lucide-react";
import { toast } from "sonner";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Card } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { rotateIvrSecretAction } from "./actions";

export function RotateSecretCard({
  envManaged,
  rotatedAt,
  previousUntil,
}: {
  envManaged: boolean;
  rotatedAt: string | null;
  previousUntil: string | null;
}) {
  return (
    <Card className="max-w-xl p-5">
      <h2 className="font-semibold text-slate-900">IVR token secret</h2>
      <p className="mt-1 text-sm text-slate-600">
        Each call file carries a token signed with this secret; the IVR server refuses calls without a valid one. Rotate it if a
        call file may have leaked.
      </p>
      <p className="mt-2 text-sm text-slate-700">
        Last rotated: <LocalTime iso={rotatedAt} fallback="never (the site secret is used)" />
        {previousUntil ? (
          <>
            . The previous secret is still accepted until <LocalTime iso={previousUntil} /> for calls spooled before the rotation.
          </>
        ) : null}
      </p>
      {envManaged ? (
        <p className="mt-3 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          SPOOLCAST_SECRET is set in the environment, so the secret is managed there: set a new value and restart Spoolcast, when
          no calls are waiting.
        </p>
      ) : (
        <ConfirmButton
          variant="outline"
          className="mt-3"
          title="Rotate the IVR token secret?"
          description="New calls are signed with a new secret. Calls already spooled keep working: the old secret stays valid for 7 days."
          confirmLabel="Rotate"
          pendingLabel="Rotating…"
          onConfirm={async () => {
            const r = await rotateIvrSecretAction({});
            if (!r.ok) return r.error;
            toast.success("IVR secret rotated");
          }}
        >
          <RefreshCw aria-hidden /> Rotate secret
        </ConfirmButton>
      )}
    </Card>
  );
}
