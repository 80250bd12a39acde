"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";

/**
 * A thin bar at the top of the window while a page navigation is under way, so a slow server
 * never looks like an ignored click. It starts when an in-app link is clicked (Next gives no
 * "navigation started" event to the App Router) and ends when the URL has changed, i.e. when
 * the new page is shown. A link to the page already shown, a new tab or a download does not start it.
 */
export function NavigationProgress() {
  const here = `${usePathname()}?${useSearchParams().toString()}`;
  // The URL the click was made from: the bar shows while the URL is still that one, so it
  // disappears by itself once the new page is shown.
  const [from, setFrom] = useState<string | null>(null);

  useEffect(() => {
    function onClick(e: MouseEvent) {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element | null)?.closest?.("a[href]");
      if (!(a instanceof HTMLAnchorElement) || a.target === "_blank" || a.hasAttribute("download")) return;
      const to = new URL(a.href, location.href);
      if (to.origin !== location.origin) return;
      if (to.pathname === location.pathname && to.search === location.search) return;
      setFrom(`${location.pathname}?${new URLSearchParams(location.search).toString()}`);
    }
    document.addEventListener("click", onClick);
    return () => document.removeEventListener("click", onClick);
  }, []);

  // Once the URL has moved on, forget the click (set during render, React's pattern for state
  // derived from a change), so coming Back to that URL later does not show a stale bar.
  if (from !== null && from !== here) setFrom(null);
  if (from !== here) return null;
  // Decorative: each section's loading.tsx announces "Loading …" to screen readers.
  return (
    <div
      aria-hidden
      data-testid="navigation-progress"
      className="pointer-events-none fixed inset-x-0 top-0 z-50 h-0.5 overflow-hidden bg-blue-100"
    >
      <div className="h-full w-1/3 animate-[nav-progress_1.2s_ease-in-out_infinite] bg-blue-600 motion-reduce:w-full motion-reduce:animate-none" />
    </div>
  );
}
