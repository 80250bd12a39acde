"use client";

import { formatInstant, formatRelative } from "@/lib/time/format-instant";
import { useNow, useViewerClock } from "@/components/ui/viewer-time-zone";

/**
 * An instant, the one way every page shows one: on the viewer's clock (Your account's zone, else
 * the browser's), with the zone named, in the browser's locale. `relative` shows "2 min ago" for
 * the last hour, with the exact time in the tooltip. `zone` pins another clock, e.g. a guest's.
 * Rendered in the browser only (see viewer-time-zone.tsx); the server sends the ISO instant in
 * `dateTime` and a placeholder of the same length class.
 */
export function LocalTime({
  iso,
  fallback = "—",
  seconds = false,
  relative = false,
  zone,
}: {
  iso: string | null;
  fallback?: string;
  seconds?: boolean;
  relative?: boolean;
  zone?: string;
}) {
  const clock = useViewerClock(zone);
  const now = useNow();
  if (!iso) return <span>{fallback}</span>;
  if (!clock) {
    return (
      <time dateTime={iso} className="text-slate-400" aria-busy="true">
        …
      </time>
    );
  }
  const date = new Date(iso);
  const exact = formatInstant(date, clock.zone, clock.locale, { seconds });
  const words = relative && now !== null ? formatRelative(date, now) : null;
  return (
    <time dateTime={iso} title={words ? exact : `${exact} (${clock.zone})`} data-zone={clock.zone}>
      {words ?? exact}
    </time>
  );
}
