"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/**
 * Live progress: re-renders the server page every `intervalMs` while `active` (the campaign
 * still has calls to place), so counts, charts and buttons follow the scheduler.
 */
export function AutoRefresh({ active, intervalMs = 2000 }: { active: boolean; intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, router]);
  return null;
}
