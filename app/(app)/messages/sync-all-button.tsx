"use client";

import { RefreshCw } from "lucide-react";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { syncAllAction } from "./actions";

/** Sends every message a host is missing (or failed to get) to that host. */
export function SyncAllButton() {
  const [pending, startTransition] = useTransition();
  return (
    <Button
      variant="outline"
      disabled={pending}
      onClick={() =>
        startTransition(async () => {
          const result = await syncAllAction({});
          if (!result.ok) toast.error(result.error);
          else if (result.data.failed > 0) toast.error(`${result.data.failed} deliveries failed; see the hosts column for why.`);
          else
            toast.success(
              result.data.synced > 0 ? `${result.data.synced} deliveries completed` : "Every host already has every message",
            );
        })
      }
    >
      <RefreshCw aria-hidden className={pending ? "animate-spin" : undefined} /> {pending ? "Syncing…" : "Sync hosts"}
    </Button>
  );
}
