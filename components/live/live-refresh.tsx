"use client";

import { useRouter } from "next/navigation";
import { fetchLive, useLive } from "./use-live";
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
    // A hidden tab re-rendering a whole server page every few seconds is wasted work; it catches up on focus.
    inBackground: false,
    initialData: 0,
    fetcher: async () => {
      await fetchLive("/api/live");
      router.refresh();
      return Date.now();
    },
  });
  return <LiveBanner lost={live.lost} lastUpdatedAt={live.lastUpdatedAt} detail={live.error?.message} />;
}
