import type { Metadata } from "next";
import Link from "next/link";
import { History } from "lucide-react";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { LocalTime } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { Select } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { listAuditActions, listAuditEvents } from "@/lib/audit/record-audit";
import { requireCapability } from "@/lib/auth/current-user";
import { db } from "@/lib/db";

export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 50;

// Filters live in the URL so a filtered view can be bookmarked and shared; bad values are
// ignored rather than failing the page.
const filtersSchema = z.object({
  action: z.string().max(100).optional().catch(undefined),
  q: z.string().max(200).optional().catch(undefined),
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .catch(undefined),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .catch(undefined),
  page: z.coerce.number().int().min(1).optional().catch(undefined),
});

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireCapability("audit.view");
  const raw = await searchParams;
  const f = filtersSchema.parse(
    Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v || undefined])),
  );
  const from = f.from ? new Date(`${f.from}T00:00:00Z`) : undefined;
  // "to" is inclusive of the whole day.
  const to = f.to ? new Date(new Date(`${f.to}T00:00:00Z`).getTime() + 86_400_000) : undefined;
  const [result, actions] = await Promise.all([
    listAuditEvents(db(), { action: f.action, query: f.q, from, to }, { page: f.page, pageSize: PAGE_SIZE }),
    listAuditActions(db()),
  ]);
  const isFiltered = Boolean(f.action || f.q || f.from || f.to);

  const hrefFor = (page: number) => {
    const params = new URLSearchParams();
    if (f.action) params.set("action", f.action);
    if (f.q) params.set("q", f.q);
    if (f.from) params.set("from", f.from);
    if (f.to) params.set("to", f.to);
    params.set("page", String(page));
    return `/settings/audit?${params}`;
  };

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change made in Spoolcast: who did it, when, to what, and what changed. Dates in the filter are UTC days; times in the table are on your clock, with the zone named."
      />
      <search aria-label="Filter the audit log">
        <form
          method="get"
          className="mb-4 grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-[1fr_1.4fr_auto_auto_auto] lg:items-end"
        >
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="audit-action">Action</Label>
            <Select id="audit-action" name="action" defaultValue={f.action ?? ""}>
              <option value="">All actions</option>
              {actions.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </Select>
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="audit-q">Search</Label>
            <Input id="audit-q" name="q" defaultValue={f.q ?? ""} placeholder="Name, target or change" />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="audit-from">From</Label>
            <Input id="audit-from" name="from" type="date" defaultValue={f.from ?? ""} />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="audit-to">To</Label>
            <Input id="audit-to" name="to" type="date" defaultValue={f.to ?? ""} />
          </div>
          <div className="flex gap-2">
            <Button type="submit">Filter</Button>
            {isFiltered ? (
              <Button asChild variant="outline">
                <Link href="/settings/audit">Clear</Link>
              </Button>
            ) : null}
          </div>
        </form>
      </search>

      {result.total === 0 ? (
        <EmptyState
          icon={History}
          title={isFiltered ? "No events match these filters" : "Nothing recorded yet"}
          description={
            isFiltered
              ? "Widen the dates or clear the filters."
              : "Changes to users, contacts, groups and calls appear here as they happen."
          }
        />
      ) : (
        <>
          <div className="rounded-lg border border-slate-200 bg-white shadow-sm">
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead className="w-44">When</TableHead>
                  <TableHead className="hidden sm:table-cell">Who</TableHead>
                  <TableHead>Action</TableHead>
                  <TableHead className="hidden sm:table-cell">Change</TableHead>
                  <TableHead className="hidden lg:table-cell">From</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {result.events.map((e) => (
                  <TableRow key={e.id}>
                    <TableCell className="text-slate-600 sm:whitespace-nowrap">
                      <LocalTime iso={e.at.toISOString()} relative />
                      <div className="mt-1 font-medium text-slate-900 sm:hidden">{e.actorName}</div>
                    </TableCell>
                    <TableCell className="hidden sm:table-cell">
                      <div className="font-medium">{e.actorName}</div>
                      {e.actorType !== "user" ? <div className="text-xs text-slate-500">{e.actorType}</div> : null}
                    </TableCell>
                    <TableCell>
                      <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs whitespace-nowrap">{e.action}</code>
                      <div className="mt-1 text-slate-700 sm:hidden">{e.summary}</div>
                    </TableCell>
                    <TableCell className="hidden min-w-56 text-slate-700 sm:table-cell">
                      {e.summary}
                      {e.targetType ? (
                        <div className="text-xs text-slate-500">
                          {e.targetType}
                          {e.targetId ? ` ${e.targetId}` : ""}
                        </div>
                      ) : null}
                    </TableCell>
                    <TableCell className="hidden text-xs text-slate-500 lg:table-cell">{e.ip ?? "—"}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
          <Pagination page={result.page} pageCount={result.pageCount} total={result.total} hrefFor={hrefFor} label="events" />
        </>
      )}
    </>
  );
}
