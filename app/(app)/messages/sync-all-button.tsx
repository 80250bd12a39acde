"use client";

import { RefreshCw } from "lucide-react";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { syncAllAction } from "./actions";

/** Checks every host's copy of every sound (read back) and copies what is missing or different. */
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
              result.data.copied > 0
                ? `${result.data.copied} files copied; every host now has every message and system prompt (checked on the host)`
                : "Every host already has every message and system prompt (checked on the host)",
            );
        })
      }
    >
      <RefreshCw aria-hidden className={pending ? "animate-spin" : undefined} /> {pending ? "Syncing…" : "Sync hosts"}
    </Button>
  );
}
