"use client";

import { RefreshCw } from "lucide-react";
import { useTransition } from "react";
import { toast } from "sonner";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
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
  const [pending, startTransition] = useTransition();
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
        <AlertDialog>
          <AlertDialogTrigger asChild>
            <Button variant="outline" className="mt-3" disabled={pending}>
              <RefreshCw aria-hidden /> Rotate secret
            </Button>
          </AlertDialogTrigger>
          <AlertDialogContent>
            <AlertDialogHeader>
              <AlertDialogTitle>Rotate the IVR token secret?</AlertDialogTitle>
              <AlertDialogDescription>
                New calls are signed with a new secret. Calls already spooled keep working: the old secret stays valid for 7 days.
              </AlertDialogDescription>
            </AlertDialogHeader>
            <AlertDialogFooter>
              <AlertDialogCancel>Cancel</AlertDialogCancel>
              <AlertDialogAction
                onClick={() =>
                  startTransition(async () => {
                    const r = await rotateIvrSecretAction({});
                    if (r.ok) toast.success("IVR secret rotated");
                    else toast.error(r.error);
                  })
                }
              >
                Rotate
              </AlertDialogAction>
            </AlertDialogFooter>
          </AlertDialogContent>
        </AlertDialog>
      )}
    </Card>
  );
}
