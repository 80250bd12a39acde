import type { Metadata } from "next";
import { Ban } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { LocalTime } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { can } from "@/lib/auth/capabilities";
import { requireCapability } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { listDnc } from "@/lib/campaigns/dnc";
import { describeStored } from "@/lib/destinations/describe-stored";
import { DncForms, RemoveDncButton } from "./dnc-forms";

export const metadata: Metadata = { title: "Do-not-call list" };

export default async function DncPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireCapability("calls.view");
  const canEdit = can(user, "dnc.edit");
  const sp = await searchParams;
  const q = typeof sp.q === "string" ? sp.q.slice(0, 40) : "";
  const { rows, total } = await listDnc(db(), { q });
  return (
    <>
      <PageHeader
        title="Do-not-call list"
        description="Campaigns never call these numbers: checked when a campaign is planned and again right before each call. Skipped people are listed on the campaign with the reason."
      />
      {canEdit ? <DncForms /> : <p className="mb-4 text-sm text-slate-600">Only administrators can change this list.</p>}
      <search className="mb-3 block max-w-sm">
        <form method="get" className="flex gap-2">
          <Input name="q" type="search" defaultValue={q} aria-label="Find a number" placeholder="Find a number" />
        </form>
      </search>
      {total === 0 ? (
        <EmptyState
          icon={Ban}
          title={q ? "No listed number matches" : "The list is empty"}
          description="Add numbers of people who asked not to be called."
        />
      ) : (
        <div className="rounded-lg border border-slate-200 bg-white">
          <Table>
            <caption className="sr-only">Numbers on the do-not-call list, newest first</caption>
            <TableHeader>
              <TableRow>
                <TableHead>Destination</TableHead>
                <TableHead>Reason</TableHead>
                <TableHead className="hidden sm:table-cell">Added</TableHead>
                {canEdit ? (
                  <TableHead>
                    <span className="sr-only">Actions</span>
                  </TableHead>
                ) : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((r) => (
                <TableRow key={r.id}>
                  <TableCell className="font-mono text-xs">{describeStored(r)}</TableCell>
                  <TableCell>{r.reason || "—"}</TableCell>
                  <TableCell className="hidden sm:table-cell">
                    <LocalTime iso={r.createdAt.toISOString()} />
                  </TableCell>
                  {canEdit ? (
                    <TableCell className="text-right">
                      <RemoveDncButton id={r.id} destination={r.destination} />
                    </TableCell>
                  ) : null}
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {total > rows.length ? (
            <p className="p-3 text-xs text-slate-500">
              Showing {rows.length} of {total}; search to find others.
            </p>
          ) : null}
        </div>
      )}
    </>
  );
}
