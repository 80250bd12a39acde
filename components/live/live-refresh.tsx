"use client";

import { useRouter } from "next/navigation";
import { useLive } from "./use-live";
import { LiveBanner } from "./live-banner";

/**
 * Live updates for a server-rendered page (campaign progress, engine status): through useLive, it
 * asks the server's ping route whether it can be reached and, when it can, re-renders the page
 * (router.refresh). router.refresh reports no failure itself, so without the ping an offline
 * page would freeze silently; with it, the banner says the figures are stale.
 */
export function LiveRefresh({ queryKey, active, intervalMs = 2000 }: { queryKey: string; active: boolean; intervalMs?: number }) {
  const router = useRouter();
  const live = useLive({
    queryKey: ["live-refresh", queryKey],
    intervalMs,
    enabled: active,
    initialData: 0,
    fetcher: async () => {
      const res = await fetch("/api/live", { cache: "no-store" });
      if (!res.ok) throw new Error(`The server answered ${res.status}`);
      router.refresh();
      return Date.now();
    },
  });
  return <LiveBanner lost={live.lost} lastUpdatedAt={live.lastUpdatedAt} detail={live.error?.message} />;
}
