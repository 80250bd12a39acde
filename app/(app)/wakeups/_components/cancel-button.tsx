"use client";

import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { ConfirmButton } from "@/components/ui/confirm-button";
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
  const series = !occurrenceId;
  return (
    <ConfirmButton
      variant="outline"
      size="sm"
      className="text-red-700"
      aria-label={series ? `Cancel series ${label}` : `Cancel ${label}`}
      title={series ? `Cancel every wake-up of ${label}?` : `Cancel the wake-up ${label}?`}
      description={
        series
          ? "No more calls are made for this booking. A call already ringing finishes."
          : "Only this call is cancelled; a recurring booking keeps its other days."
      }
      confirmLabel={series ? "Cancel series" : "Cancel call"}
      pendingLabel="Cancelling…"
      cancelLabel="Keep"
      destructive
      onConfirm={async () => {
        const result = await cancelWakeUpAction({ id: wakeUpId, occurrenceId });
        if (!result.ok) return result.error;
        toast.success(series ? `Series cancelled (${result.data.cancelled} call(s))` : "Wake-up call cancelled");
        router.refresh();
      }}
    >
      {series ? "Cancel series" : "Cancel"}
    </ConfirmButton>
  );
}
