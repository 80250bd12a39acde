import type { Metadata } from "next";
import Link from "next/link";
import { Ban, Plus, Send } from "lucide-react";
import { buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { can } from "@/lib/auth/capabilities";
import { requireCapability } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { listCampaigns } from "@/lib/campaigns/list-campaigns";
import { LiveRefresh } from "@/components/live/live-refresh";
import { CampaignStateBadge } from "./_components/campaign-state-badge";

export const metadata: Metadata = { title: "Campaigns" };

export default async function CampaignsPage() {
  const user = await requireCapability("calls.view");
  const canEdit = can(user, "campaigns.edit");
  const campaigns = await listCampaigns(db());
  const live = campaigns.some((c) => c.state === "running" || c.state === "scheduled");
  return (
    <>
      <LiveRefresh queryKey="campaigns" active={live} intervalMs={4000} />
      <PageHeader
        title="Campaigns"
        description="Message campaigns to groups: schedule, calling window in each callee's time zone, pacing, retries and acknowledgement."
        actions={
          <>
            <Link className={buttonVariants({ variant: "outline" })} href="/campaigns/dnc">
              <Ban aria-hidden /> Do-not-call list
            </Link>
            {canEdit ? (
              <Link className={buttonVariants()} href="/campaigns/new">
                <Plus aria-hidden /> New campaign
              </Link>
            ) : null}
          </>
        }
      />
      {campaigns.length === 0 ? (
        <EmptyState
          icon={Send}
          title="No campaigns yet"
          description="A campaign calls the people in one or more groups with a recorded message and asks them to press 1 to confirm."
          action={
            canEdit ? (
              <Link className={buttonVariants()} href="/campaigns/new">
                <Plus aria-hidden /> New campaign
              </Link>
            ) : null
          }
        />
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <Table>
            <caption className="sr-only">Campaigns, newest first</caption>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>State</TableHead>
                <TableHead>Progress</TableHead>
                <TableHead className="hidden sm:table-cell">Starts</TableHead>
                <TableHead className="hidden md:table-cell">Created</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {campaigns.map((c) => {
                const pct = c.total > 0 ? Math.round((c.finished / c.total) * 100) : 0;
                return (
                  <TableRow key={c.id}>
                    <TableCell className="font-medium">
                      <Link className="text-blue-700 hover:underline" href={`/campaigns/${c.id}`}>
                        {c.name}
                      </Link>
                    </TableCell>
                    <TableCell>
                      <CampaignStateBadge state={c.state} />
                    </TableCell>
                    <TableCell>
                      {c.total > 0 ? (
                        <div className="flex min-w-32 items-center gap-2">
                          <progress
                            className="h-2 w-24 accent-blue-600"
                            max={c.total}
                            value={c.finished}
                            aria-label={`${c.name}: ${c.finished} of ${c.total} finished`}
                          />
                          <span className="text-xs whitespace-nowrap text-slate-600">
                            {c.finished}/{c.total} ({pct}%)
                          </span>
                        </div>
                      ) : (
                        <span className="text-xs text-slate-500">not planned yet</span>
                      )}
                    </TableCell>
                    <TableCell className="hidden sm:table-cell">
                      <LocalTime iso={c.startAt?.toISOString() ?? null} fallback="when started" />
                    </TableCell>
                    <TableCell className="hidden md:table-cell">
                      <LocalTime iso={c.createdAt.toISOString()} />
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </div>
      )}
    </>
  );
}
