"use client";

import { Ban, Pause, Play, RotateCcw, Rocket } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/actions/authorized-action";
import {
  cancelCampaignAction,
  pauseCampaignAction,
  resumeCampaignAction,
  retryUnreachedAction,
  startCampaignAction,
} from "../actions";

/** Start / pause / resume / cancel / retry unreached, as the campaign's state allows. */
export function CampaignControls({ id, state, unreached }: { id: string; state: string; unreached: number }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const run = <T,>(action: (i: { id: string }) => Promise<ActionResult<T>>, done: (d: T) => string, go?: (d: T) => string) =>
    startTransition(async () => {
      const r = await action({ id });
      if (!r.ok) {
        toast.error(r.error);
        return;
      }
      toast.success(done(r.data));
      if (go) router.push(go(r.data));
      else router.refresh();
    });
  return (
    <div className="flex flex-wrap gap-2">
      {state === "draft" ? (
        <Button
          disabled={pending}
          onClick={() => run(startCampaignAction, (d) => `Started: ${d.targets} to call, ${d.skipped} skipped`)}
        >
          <Rocket aria-hidden /> Start
        </Button>
      ) : null}
      {state === "running" || state === "scheduled" ? (
        <Button
          variant="outline"
          disabled={pending}
          onClick={() => run(pauseCampaignAction, (d) => `Paused; ${d.cancelled} queued calls withdrawn`)}
        >
          <Pause aria-hidden /> Pause
        </Button>
      ) : null}
      {state === "paused" ? (
        <Button disabled={pending} onClick={() => run(resumeCampaignAction, () => "Resumed")}>
          <Play aria-hidden /> Resume
        </Button>
      ) : null}
      {["draft", "scheduled", "running", "paused"].includes(state) ? (
        <Button
          variant="destructive"
          disabled={pending}
          onClick={() => {
            if (window.confirm("Cancel this campaign? Nobody else will be called. This cannot be undone."))
              run(cancelCampaignAction, () => "Campaign cancelled");
          }}
        >
          <Ban aria-hidden /> Cancel campaign
        </Button>
      ) : null}
      {(state === "completed" || state === "cancelled") && unreached > 0 ? (
        <Button
          variant="outline"
          disabled={pending}
          onClick={() =>
            run(
              retryUnreachedAction,
              (d) => `Draft created for ${d.contacts} unreached contacts`,
              (d) => `/campaigns/${d.id}`,
            )
          }
        >
          <RotateCcw aria-hidden /> Retry unreached ({unreached})
        </Button>
      ) : null}
    </div>
  );
}
