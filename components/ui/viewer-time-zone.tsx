"use client";

import { createContext, useContext, useSyncExternalStore } from "react";

/**
 * Whose clock times are shown on: the zone the user chose in Your account, else the browser's
 * own. The server cannot know the browser's zone, so it renders no time at all (the snapshot is
 * null there and during hydration) and the browser fills it in: a New York browser never sees UTC.
 */
const ChosenZone = createContext<string | null>(null);

export function ViewerTimeZoneProvider({ chosen, children }: { chosen: string | null; children?: React.ReactNode }) {
  return <ChosenZone.Provider value={chosen}>{children}</ChosenZone.Provider>;
}

// The browser's zone and locale do not change under a page; nothing to subscribe to.
const noSubscription = () => () => {};
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const browserLocale = () => navigator.language;
const onServer = () => null;

/** The browser's own zone; null until the page runs in the browser. */
export function useBrowserZone(): string | null {
  return useSyncExternalStore(noSubscription, browserZone, onServer);
}

/** The zone and locale to show times in; null until the page runs in the browser. */
export function useViewerClock(explicitZone?: string): { zone: string; locale: string } | null {
  const chosen = useContext(ChosenZone);
  const zone = useBrowserZone();
  const locale = useSyncExternalStore(noSubscription, browserLocale, onServer);
  if (zone === null || locale === null) return null;
  return { zone: explicitZone ?? chosen ?? zone, locale };
}

// One shared ticking clock for every relative time on a page, instead of a timer per time.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;
function subscribeNow(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 15_000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** "Now" in ms, refreshed every 15 s while some component shows a relative time; null on the server. */
export function useNow(): number | null {
  return useSyncExternalStore(subscribeNow, () => now, onServer);
}
