/**
 * The one way an instant becomes words on a page: in a given IANA zone and locale, with the zone's
 * short name ("Dec 4, 2026, 4:05 PM EST") so a reader never has to guess whose clock it is, and
 * relative words ("2 min ago") for what happened in the last hour. Pure: the caller supplies the
 * zone, the locale and "now", so the same inputs always give the same words (and tests can pin them).
 */

export type InstantStyle = {
  /** Show seconds, for timelines where events a second apart must read apart. */
  seconds?: boolean;
  /** Leave out the zone's name (only where the zone is already stated nearby). */
  hideZone?: boolean;
};

/** True when `zone` is an IANA zone this runtime knows (what Intl accepts as `timeZone`). */
export function isKnownTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone !== "";
  } catch {
    return false;
  }
}

/** The date and time of `date` on the clocks of `zone`, in `locale`'s usual order. */
export function formatInstant(date: Date, zone: string, locale: string | undefined, style: InstantStyle = {}): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: zone,
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    second: style.seconds ? "2-digit" : undefined,
    timeZoneName: style.hideZone ? undefined : "short",
  }).format(date);
}

/** The time of day only ("4:05:09 PM"), for chart axes whose date is the chart's own. */
export function formatClock(date: Date, zone: string, locale: string | undefined): string {
  return new Intl.DateTimeFormat(locale, { timeZone: zone, hour: "numeric", minute: "2-digit", second: "2-digit" }).format(date);
}

/** Up to this far from now an instant reads as relative words; beyond it, as a date and time. */
export const RELATIVE_LIMIT_MS = 60 * 60 * 1000;

/**
 * "just now", "2 min ago", "in 5 min" within RELATIVE_LIMIT_MS of `now`; null beyond it, where
 * relative words would make the reader do arithmetic.
 */
export function formatRelative(date: Date, now: number): string | null {
  const diff = date.getTime() - now;
  const abs = Math.abs(diff);
  if (abs >= RELATIVE_LIMIT_MS) return null;
  if (abs < 60_000) return diff <= 0 ? "just now" : "in under a minute";
  const minutes = Math.floor(abs / 60_000);
  return diff < 0 ? `${minutes} min ago` : `in ${minutes} min`;
}
