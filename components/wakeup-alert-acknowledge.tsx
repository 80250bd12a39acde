"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/actions/authorized-action";

/** The server action that acknowledges an alert (app/(app)/wakeups/actions.ts), passed in by the page. */
export type AcknowledgeAlert = (input: { occurrenceId: string }) => Promise<ActionResult<unknown>>;

/** "Acknowledge" on one front-desk alert: the user has taken it in hand; it leaves the banner. */
export function AcknowledgeAlertButton({
  occurrenceId,
  label,
  acknowledge,
}: {
  occurrenceId: string;
  label: string;
  acknowledge: AcknowledgeAlert;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <Button
      type="button"
      size="sm"
      variant="outline"
      disabled={pending}
      aria-label={`Acknowledge the alert for ${label}`}
      onClick={() =>
        startTransition(async () => {
          const r = await acknowledge({ occurrenceId });
          if (!r.ok) {
            toast.error(r.error);
            return;
          }
          toast.success(`Alert for ${label} acknowledged`);
          router.refresh();
        })
      }
    >
      {pending ? "Acknowledging…" : "Acknowledge"}
    </Button>
  );
}
