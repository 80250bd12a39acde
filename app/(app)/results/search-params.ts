/** The results page's URL parameters ↔ listCalls filters and page, shared by the page and the export. */
import type { CallFilters, CallPageParams } from "@/lib/results/list-calls";

export type RawParams = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

export function filtersFromParams(sp: RawParams): CallFilters {
  return {
    kind: first(sp.kind) as CallFilters["kind"],
    state: first(sp.state) as CallFilters["state"],
    from: first(sp.from),
    to: first(sp.to),
    userId: first(sp.user),
    groupId: first(sp.group),
    campaignId: first(sp.campaign),
    broadcastId: first(sp.broadcast),
    q: first(sp.q) ?? "",
  };
}

export function pageFromParams(sp: RawParams): CallPageParams {
  return {
    sort: first(sp.sort) as CallPageParams["sort"],
    dir: first(sp.dir) as CallPageParams["dir"],
    cursor: first(sp.cursor),
    page: first(sp.page) as unknown as number,
    size: first(sp.size) as unknown as number,
  };
}

/** The filter part of the query string (what the export link and sort links keep). */
export function filterQuery(sp: RawParams): URLSearchParams {
  const q = new URLSearchParams();
  for (const k of ["kind", "state", "from", "to", "user", "group", "campaign", "broadcast", "q"]) {
    const v = first(sp[k]);
    if (v) q.set(k, v);
  }
  return q;
}
