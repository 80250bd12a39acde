"use client";

import { useQuery, type QueryKey } from "@tanstack/react-query";

export type Live<T> = {
  data: T;
  /** True while the latest fetch failed: what is on screen is no longer fresh. */
  lost: boolean;
  /** When the data on screen was last fetched successfully (ms epoch; 0 = never). */
  lastUpdatedAt: number;
  /** Why the latest fetch failed, for the banner's detail. */
  error: Error | null;
};

/**
 * The one live-update mechanism for every live view (PA board, campaign progress, engine status):
 * polls `fetcher` every `intervalMs` and says plainly when it cannot. networkMode "always" makes
 * an offline browser try and fail (TanStack's default would silently pause the query, and the
 * view would look fresh while it is not); retry is off because the interval itself is the retry,
 * so the banner appears at the first failure and disappears at the first success.
 */
export function useLive<T>({
  queryKey,
  fetcher,
  intervalMs,
  initialData,
  enabled = true,
  inBackground = true,
}: {
  queryKey: QueryKey;
  fetcher: () => Promise<T>;
  /** A number, or a function of the current data (e.g. slower once a PA has finished). */
  intervalMs: number | ((data: T | undefined) => number | false);
  initialData: T;
  enabled?: boolean;
  /** Keep polling while the tab is hidden (the PA board: a Stop needs current figures on return). */
  inBackground?: boolean;
}): Live<T> {
  const q = useQuery({
    queryKey,
    queryFn: fetcher,
    initialData,
    // The server-rendered data is fresh at mount; the first poll comes one interval later.
    initialDataUpdatedAt: () => Date.now(),
    refetchInterval: enabled ? (query) => (typeof intervalMs === "function" ? intervalMs(query.state.data) : intervalMs) : false,
    refetchIntervalInBackground: inBackground,
    refetchOnWindowFocus: enabled,
    refetchOnReconnect: enabled,
    networkMode: "always",
    retry: false,
  });
  return { data: q.data ?? initialData, lost: q.isError, lastUpdatedAt: q.dataUpdatedAt, error: q.error };
}

/**
 * fetch for live views: a network failure becomes plain words (the browser's own, "Failed to fetch",
 * means nothing to a user), and an answer other than 2xx is an error with the route's own `error`
 * message when it sent one (e.g. "Sign in to watch this PA."), else the status.
 */
export async function fetchLive(url: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { cache: "no-store" });
  } catch {
    throw new Error("no answer from the server");
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: unknown } | null;
    throw new Error(typeof body?.error === "string" ? body.error : `the server answered ${res.status}`);
  }
  return res;
}
