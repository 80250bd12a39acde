"use client";

import { useRouter } from "next/navigation";
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
import { cancelWakeUpAction } from "../actions";

/** Cancels one call (occurrenceId) or the whole series, after a confirmation. */
export function CancelWakeUpButton({
  wakeUpId,
  occurrenceId,
  label,
}: {
  wakeUpId: string;
  occurrenceId?: string;
  label: string;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const series = !occurrenceId;
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button
          variant="outline"
          size="sm"
          className="text-red-700"
          aria-label={series ? `Cancel series ${label}` : `Cancel ${label}`}
        >
          {series ? "Cancel series" : "Cancel"}
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>{series ? `Cancel every wake-up of ${label}?` : `Cancel the wake-up ${label}?`}</AlertDialogTitle>
          <AlertDialogDescription>
            {series
              ? "No more calls are made for this booking. A call already ringing finishes."
              : "Only this call is cancelled; a recurring booking keeps its other days."}
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Keep</AlertDialogCancel>
          <AlertDialogAction
            destructive
            disabled={pending}
            onClick={(event) => {
              event.preventDefault();
              startTransition(async () => {
                const result = await cancelWakeUpAction({ id: wakeUpId, occurrenceId });
                if (result.ok) {
                  toast.success(series ? `Series cancelled (${result.data.cancelled} call(s))` : "Wake-up call cancelled");
                  router.refresh();
                } else toast.error(result.error);
              });
            }}
          >
            {pending ? "Cancelling…" : series ? "Cancel series" : "Cancel call"}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
