"use client";

import { Ban, Pause, Play, RotateCcw, Rocket } from "lucide-react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { ActionButton } from "@/components/ui/action-button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import type { ActionResult } from "@/lib/actions/authorized-action";
import {
  cancelCampaignAction,
  pauseCampaignAction,
  resumeCampaignAction,
  retryUnreachedAction,
  startCampaignAction,
} from "../actions";

/**
 * Start / pause / resume / cancel / retry unreached, as the campaign's state allows. Starting
 * places calls and cancelling cannot be undone, so both ask first (ConfirmButton); every button
 * runs its action once at a time.
 */
export function CampaignControls({ id, state, unreached }: { id: string; state: string; unreached: number }) {
  const router = useRouter();
  const run = async <T,>(
    action: (i: { id: string }) => Promise<ActionResult<T>>,
    done: (d: T) => string,
    go?: (d: T) => string,
  ) => {
    const r = await action({ id });
    if (!r.ok) {
      toast.error(r.error);
      return;
    }
    toast.success(done(r.data));
    if (go) router.push(go(r.data));
    else router.refresh();
  };
  return (
    <div className="flex flex-wrap gap-2">
      {state === "draft" ? (
        <ConfirmButton
          title="Start this campaign?"
          description="Its contacts are called within the calling window, starting now if the window is open."
          confirmLabel="Start calling"
          pendingLabel="Starting…"
          onConfirm={() => run(startCampaignAction, (d) => `Started: ${d.targets} to call, ${d.skipped} skipped`)}
        >
          <Rocket aria-hidden /> Start
        </ConfirmButton>
      ) : null}
      {state === "running" || state === "scheduled" ? (
        <ActionButton
          variant="outline"
          pendingLabel="Pausing…"
          action={() => run(pauseCampaignAction, (d) => `Paused; ${d.cancelled} queued calls withdrawn`)}
        >
          <Pause aria-hidden /> Pause
        </ActionButton>
      ) : null}
      {state === "paused" ? (
        <ActionButton pendingLabel="Resuming…" action={() => run(resumeCampaignAction, () => "Resumed")}>
          <Play aria-hidden /> Resume
        </ActionButton>
      ) : null}
      {["draft", "scheduled", "running", "paused"].includes(state) ? (
        <ConfirmButton
          variant="destructive"
          destructive
          title="Cancel this campaign?"
          description="Nobody else will be called. This cannot be undone."
          confirmLabel="Cancel campaign"
          pendingLabel="Cancelling…"
          onConfirm={() => run(cancelCampaignAction, () => "Campaign cancelled")}
        >
          <Ban aria-hidden /> Cancel campaign
        </ConfirmButton>
      ) : null}
      {(state === "completed" || state === "cancelled") && unreached > 0 ? (
        <ActionButton
          variant="outline"
          pendingLabel="Creating draft…"
          action={() =>
            run(
              retryUnreachedAction,
              (d) => `Draft created for ${d.contacts} unreached contacts`,
              (d) => `/campaigns/${d.id}`,
            )
          }
        >
          <RotateCcw aria-hidden /> Retry unreached ({unreached})
        </ActionButton>
      ) : null}
    </div>
  );
}
