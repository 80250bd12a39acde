import type { Metadata } from "next";
import Link from "next/link";
import { ArrowDown, ArrowUp, BarChart3, ChevronLeft, ChevronRight, Download, Search } from "lucide-react";
import { Button, buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { LocalTime } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireCapability } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { kindLabel, stateFilterOptions } from "@/lib/calls/outcome-words";
import { ACTIVE_STATES, CALL_KINDS, FINAL_STATES } from "@/lib/engine/call-state";
import { callFiltersSchema, callPageSchema, listCalls, type CallSort } from "@/lib/results/list-calls";
import { listGroups } from "@/lib/groups/list-groups";
import { cn } from "@/lib/utils";
import { OutcomeBadge } from "@/components/calls/outcome-badge";
import { filterQuery, filtersFromParams, pageFromParams, type RawParams } from "./search-params";

export const metadata: Metadata = { title: "Results" };

/** Outcome filter: plain labels grouped as on the charts; the value stays the state code. */
const OUTCOME_OPTIONS = stateFilterOptions([...FINAL_STATES, ...ACTIVE_STATES]);

/** A sortable column header: a link that sorts by the column, then flips the direction. */
function SortHead({
  sort,
  current,
  dir,
  href,
  children,
  className,
}: {
  sort: CallSort;
  current: CallSort;
  dir: "asc" | "desc";
  href: string;
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <TableHead className={className} aria-sort={current === sort ? (dir === "asc" ? "ascending" : "descending") : undefined}>
      <Link href={href} className="inline-flex items-center gap-1 hover:underline">
        {children}
        {current === sort ? (
          dir === "asc" ? (
            <ArrowUp className="size-3.5" aria-hidden />
          ) : (
            <ArrowDown className="size-3.5" aria-hidden />
          )
        ) : null}
      </Link>
    </TableHead>
  );
}

export default async function ResultsPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  await requireCapability("calls.view");
  const sp = await searchParams;
  const filters = callFiltersSchema.parse(filtersFromParams(sp));
  const pageParams = callPageSchema.parse(pageFromParams(sp));
  const [page, groups, users, campaign] = await Promise.all([
    listCalls(db(), filtersFromParams(sp), pageFromParams(sp)),
    listGroups(db()),
    db().user.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" }, take: 200 }),
    filters.campaignId ? db().campaign.findUnique({ where: { id: filters.campaignId }, select: { id: true, name: true } }) : null,
  ]);
  const base = filterQuery(sp);
  const withParams = (extra: Record<string, string>) => {
    const q = new URLSearchParams(base);
    if (pageParams.sort !== "createdAt") q.set("sort", pageParams.sort);
    if (pageParams.dir !== "desc") q.set("dir", pageParams.dir);
    if (pageParams.size !== 50) q.set("size", String(pageParams.size));
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    const s = q.toString();
    return s ? `/results?${s}` : "/results";
  };
  const sortHref = (sort: CallSort) => {
    const q = new URLSearchParams(base);
    const dir = pageParams.sort === sort && pageParams.dir === "desc" ? "asc" : "desc";
    if (sort !== "createdAt") q.set("sort", sort);
    if (dir !== "desc") q.set("dir", dir);
    const s = q.toString();
    return s ? `/results?${s}` : "/results";
  };
  const exportHref = `/results/export${base.toString() ? `?${base}` : ""}`;
  const filtered = base.toString() !== "";
  const linkClass = buttonVariants({ variant: "outline", size: "sm" });
  return (
    <>
      <PageHeader
        title="Results"
        description={
          campaign ? (
            <>
              Calls of campaign{" "}
              <Link className="text-blue-700 hover:underline" href={`/campaigns/${campaign.id}`}>
                {campaign.name}
              </Link>
            </>
          ) : (
            "Every call of every kind: outcome, attempts and timeline."
          )
        }
        actions={
          <a className={buttonVariants({ variant: "outline" })} href={exportHref} download data-testid="export-csv">
            <Download aria-hidden /> Export CSV
          </a>
        }
      />
      <search className="mb-4">
        <form method="get" action="/results" className="flex flex-wrap items-end gap-3">
          {filters.campaignId ? <input type="hidden" name="campaign" value={filters.campaignId} /> : null}
          {filters.broadcastId ? <input type="hidden" name="broadcast" value={filters.broadcastId} /> : null}
          <div className="flex min-w-44 flex-1 flex-col gap-1.5">
            <Label htmlFor="r-q">Number or name</Label>
            <Input id="r-q" name="q" type="search" defaultValue={filters.q} placeholder="+4420… or name" />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="r-kind">Kind</Label>
            <Select id="r-kind" name="kind" defaultValue={filters.kind ?? ""} className="w-36">
              <option value="">All kinds</option>
              {CALL_KINDS.map((k) => (
                <option key={k} value={k}>
                  {kindLabel(k)}
                </option>
              ))}
            </Select>
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="r-state">Outcome</Label>
            <Select id="r-state" name="state" defaultValue={filters.state ?? ""} className="w-56">
              <option value="">Any</option>
              {OUTCOME_OPTIONS.map((g) => (
                <optgroup key={g.group} label={g.group}>
                  {g.options.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </optgroup>
              ))}
            </Select>
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="r-from">From</Label>
            <Input
              id="r-from"
              name="from"
              type="date"
              defaultValue={typeof sp.from === "string" ? sp.from : ""}
              className="w-40"
            />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="r-to">Before</Label>
            <Input id="r-to" name="to" type="date" defaultValue={typeof sp.to === "string" ? sp.to : ""} className="w-40" />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="r-user">Placed by</Label>
            <Select id="r-user" name="user" defaultValue={filters.userId ?? ""} className="w-40">
              <option value="">Anyone</option>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </Select>
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="r-group">Group</Label>
            <Select id="r-group" name="group" defaultValue={filters.groupId ?? ""} className="w-40">
              <option value="">All groups</option>
              {groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </Select>
          </div>
          <Button type="submit" variant="secondary">
            <Search aria-hidden /> Filter
          </Button>
          {filtered ? (
            <Link className={buttonVariants({ variant: "ghost" })} href="/results">
              Clear
            </Link>
          ) : null}
        </form>
      </search>
      {page.rows.length === 0 ? (
        <EmptyState
          icon={BarChart3}
          title={filtered ? "No calls match" : "No calls yet"}
          description={
            filtered
              ? "Try a wider date range or fewer filters."
              : "Calls placed by PA, campaigns, wake-ups and click-to-call appear here."
          }
        />
      ) : (
        <>
          <div className="rounded-lg border border-slate-200 bg-white">
            <Table data-testid="results-table">
              <caption className="sr-only">Calls</caption>
              <TableHeader>
                <TableRow>
                  <SortHead sort="createdAt" current={pageParams.sort} dir={pageParams.dir} href={sortHref("createdAt")}>
                    Created
                  </SortHead>
                  <SortHead sort="destination" current={pageParams.sort} dir={pageParams.dir} href={sortHref("destination")}>
                    Number
                  </SortHead>
                  <SortHead sort="state" current={pageParams.sort} dir={pageParams.dir} href={sortHref("state")}>
                    Outcome
                  </SortHead>
                  <SortHead
                    sort="kind"
                    current={pageParams.sort}
                    dir={pageParams.dir}
                    href={sortHref("kind")}
                    className="hidden sm:table-cell"
                  >
                    Kind
                  </SortHead>
                  <TableHead className="hidden md:table-cell">Name</TableHead>
                  <TableHead className="hidden sm:table-cell">Attempts</TableHead>
                  <SortHead
                    sort="endedAt"
                    current={pageParams.sort}
                    dir={pageParams.dir}
                    href={sortHref("endedAt")}
                    className="hidden lg:table-cell"
                  >
                    Ended
                  </SortHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {page.rows.map((r) => (
                  <TableRow key={r.id}>
                    <TableCell className="whitespace-nowrap">
                      <Link className="text-blue-700 hover:underline" href={`/results/${r.id}`}>
                        <LocalTime iso={r.createdAt.toISOString()} relative />
                      </Link>
                    </TableCell>
                    <TableCell className="font-mono text-xs">{r.destination}</TableCell>
                    <TableCell>
                      <OutcomeBadge call={{ ...r, messageMs: r.audio?.durationMs }} detailClassName="hidden xl:inline" />
                    </TableCell>
                    <TableCell className="hidden sm:table-cell">{kindLabel(r.kind)}</TableCell>
                    <TableCell className="hidden md:table-cell">{r.displayName || "—"}</TableCell>
                    <TableCell className="hidden sm:table-cell">{r.attempts}</TableCell>
                    <TableCell className="hidden whitespace-nowrap lg:table-cell">
                      <LocalTime iso={r.endedAt?.toISOString() ?? null} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
          <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 pt-4 text-sm text-slate-600">
            <p data-testid="results-total">
              {page.totalCapped ? `More than ${page.total.toLocaleString("en")}` : page.total.toLocaleString("en")} calls
              {page.page ? ` · page ${page.page}` : ""}
            </p>
            <div className="flex gap-2">
              {page.prevCursor ? (
                <Link className={linkClass} href={withParams({ cursor: page.prevCursor })} rel="prev">
                  <ChevronLeft aria-hidden /> Previous
                </Link>
              ) : (
                <span className={cn(linkClass, "pointer-events-none opacity-50")} aria-disabled="true">
                  <ChevronLeft aria-hidden /> Previous
                </span>
              )}
              {page.nextCursor ? (
                <Link className={linkClass} href={withParams({ cursor: page.nextCursor })} rel="next">
                  Next <ChevronRight aria-hidden />
                </Link>
              ) : (
                <span className={cn(linkClass, "pointer-events-none opacity-50")} aria-disabled="true">
                  Next <ChevronRight aria-hidden />
                </span>
              )}
            </div>
          </nav>
        </>
      )}
    </>
  );
}
