import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BarChart3 } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { can } from "@/lib/auth/capabilities";
import { requireCapability } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { isUserError } from "@/lib/errors";
import { getCampaignResults } from "@/lib/campaigns/get-campaign-results";
import { retryChoiceLabel } from "@/lib/calls/outcome-words";
import { LiveRefresh } from "@/components/live/live-refresh";
import { CampaignStateBadge } from "../_components/campaign-state-badge";
import { CampaignCharts } from "./campaign-charts";
import { CampaignControls } from "./campaign-controls";
import { EditCampaignDialog } from "./edit-campaign-dialog";

export const metadata: Metadata = { title: "Campaign" };

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const pct = (x: number | null) => (x === null ? "—" : `${Math.round(x * 1000) / 10}%`);

function duration(ms: number | null): string {
  if (ms === null) return "—";
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** A person's place in the campaign (CampaignTarget.status), in the words of the counts line. */
const TARGET_STATUS = {
  pending: { label: "Waiting", variant: "secondary" },
  active: { label: "In progress", variant: "default" },
  done: { label: "Finished", variant: "outline" },
  skipped: { label: "Skipped", variant: "warning" },
  cancelled: { label: "Cancelled", variant: "destructive" },
} as const;

export default async function CampaignPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireCapability("calls.view");
  const { id } = await params;
  let r;
  try {
    r = await getCampaignResults(db(), id);
  } catch (e) {
    if (isUserError(e)) notFound();
    throw e;
  }
  const c = r.campaign;
  const live = c.state === "running" || c.state === "scheduled" || r.counts.active > 0;
  const unreached = r.targets.filter(
    (t) => t.status === "done" && t.outcome !== "acknowledged" && t.outcome !== "completed",
  ).length;
  const base = r.counts.total - r.counts.skipped;
  return (
    <>
      <LiveRefresh queryKey={`campaign-${c.id}`} active={live} />
      <PageHeader
        title={c.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <CampaignStateBadge state={c.state} />
            {c.parentId ? (
              <Link className="text-blue-700 hover:underline" href={`/campaigns/${c.parentId}`}>
                retry of an earlier campaign
              </Link>
            ) : null}
          </span>
        }
        actions={
          <>
            <Link className={buttonVariants({ variant: "outline" })} href={`/results?campaign=${c.id}`}>
              <BarChart3 aria-hidden /> All calls
            </Link>
            {can(user, "campaigns.edit") ? (
              <>
                <EditCampaignDialog
                  campaign={{
                    id: c.id,
                    state: c.state,
                    name: c.name,
                    endAt: c.endAt?.toISOString() ?? null,
                    windowStart: c.windowStart,
                    windowEnd: c.windowEnd,
                    maxConcurrent: c.maxConcurrent,
                    perMinute: c.perMinute,
                    retryCount: c.retryCount,
                    retryIntervalSec: c.retryIntervalSec,
                  }}
                />
                <CampaignControls id={c.id} state={c.state} unreached={unreached} />
              </>
            ) : null}
          </>
        }
      />
      <section aria-label="Summary" className="mb-6 grid grid-cols-2 gap-3 md:grid-cols-5">
        {/* [test id, label, value]: the ids stay when the words change. */}
        {[
          [
            "progress",
            "Progress",
            r.counts.total ? `${r.counts.done + r.counts.skipped + r.counts.cancelled} / ${r.counts.total}` : "not planned",
          ],
          ["reached", "Reached", `${pct(r.summary.reachedPct)}`],
          ["acknowledged", "Confirmed", `${pct(r.summary.acknowledgedPct)}`],
          ["median-time-to-acknowledge", "Median time to confirm", duration(r.summary.medianAckMs)],
          ["calls-placed", "Calls placed", String(r.summary.calls)],
        ].map(([testId, label, value]) => (
          <div key={testId} className="rounded-lg border border-slate-200 bg-white p-3">
            <p className="text-xs text-slate-500">{label}</p>
            <p className="text-xl font-semibold text-slate-900" data-testid={`stat-${testId}`}>
              {value}
            </p>
          </div>
        ))}
      </section>
      <p className="mb-4 text-sm text-slate-600" data-testid="target-counts">
        {r.counts.pending} waiting · {r.counts.active} in progress · {r.counts.done} finished · {r.counts.skipped} skipped
        {r.counts.cancelled ? ` · ${r.counts.cancelled} cancelled` : ""} (of {base} to call)
      </p>
      <CampaignCharts outcomeGroups={r.summary.outcomeGroups} progress={r.summary.progress} />
      <div className="mt-6 grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Settings</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1.5 text-sm">
              <dt className="text-slate-500">Who</dt>
              <dd>
                {[c.groups.map((g) => g.name).join(", "), c.contactCount ? `${c.contactCount} individual contact(s)` : ""]
                  .filter(Boolean)
                  .join(" + ") || "—"}
              </dd>
              <dt className="text-slate-500">Message</dt>
              <dd>
                {c.audio?.name ?? "—"} {c.requireAck ? "(press 1 to acknowledge)" : ""}
              </dd>
              <dt className="text-slate-500">Start</dt>
              <dd>
                <LocalTime iso={c.startAt?.toISOString() ?? null} fallback="when started" />
              </dd>
              <dt className="text-slate-500">End</dt>
              <dd>
                <LocalTime iso={c.endAt?.toISOString() ?? null} fallback="none" />
              </dd>
              <dt className="text-slate-500">Window</dt>
              <dd>
                {c.windowDays.map((d) => DAYS[d - 1]).join(", ")} {c.windowStart}–{c.windowEnd} (callee&apos;s time)
              </dd>
              <dt className="text-slate-500">Pacing</dt>
              <dd>
                {c.maxConcurrent} at once, {c.perMinute} per minute
              </dd>
              <dt className="text-slate-500">Retries</dt>
              <dd>
                {c.retryCount === 0
                  ? "none"
                  : `${c.retryCount} × after ${duration(c.retryIntervalSec * 1000)} on ${c.retryOn.map(retryChoiceLabel).join(", ") || "nothing"}`}
              </dd>
              <dt className="text-slate-500">Caller ID</dt>
              <dd>{c.callerId || "host default"}</dd>
              <dt className="text-slate-500">Host</dt>
              <dd>{c.host?.name ?? "default"}</dd>
            </dl>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Attempts per person</CardTitle>
          </CardHeader>
          <CardContent>
            {r.summary.attempts.length === 0 ? (
              <p className="text-sm text-slate-500">Nobody called yet.</p>
            ) : (
              <ul className="text-sm">
                {r.summary.attempts.map((a) => (
                  <li key={a.attempts}>
                    {a.attempts} call{a.attempts > 1 ? "s" : ""}: {a.targets} {a.targets === 1 ? "person" : "people"}
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
      </div>
      <section className="mt-6" aria-labelledby="skipped-h">
        <h2 id="skipped-h" className="mb-2 text-base font-semibold text-slate-900">
          Skipped ({r.counts.skipped}){r.counts.skipped > r.skipped.length ? `, first ${r.skipped.length} shown` : ""}
        </h2>
        {r.skipped.length === 0 ? (
          <p className="text-sm text-slate-500">Nobody was skipped.</p>
        ) : (
          <div className="rounded-lg border border-slate-200 bg-white">
            <Table data-testid="skipped-table">
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead>Number</TableHead>
                  <TableHead>Reason</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {r.skipped.map((s) => (
                  <TableRow key={s.id}>
                    <TableCell>{s.name}</TableCell>
                    <TableCell className="font-mono text-xs">{s.destination || "—"}</TableCell>
                    <TableCell>{s.reason}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </section>
      <section className="mt-6" aria-labelledby="targets-h">
        <h2 id="targets-h" className="mb-2 text-base font-semibold text-slate-900">
          People {r.counts.total > r.targets.length ? `(first ${r.targets.length} of ${r.counts.total})` : `(${r.counts.total})`}
        </h2>
        <div className="rounded-lg border border-slate-200 bg-white">
          <Table data-testid="targets-table">
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead className="hidden sm:table-cell">Number</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Calls</TableHead>
                <TableHead>Last outcome</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {r.targets.map((t) => (
                <TableRow key={t.id}>
                  <TableCell>{t.displayName}</TableCell>
                  <TableCell className="hidden font-mono text-xs sm:table-cell">{t.destination || "—"}</TableCell>
                  <TableCell>
                    <Badge
                      variant={TARGET_STATUS[t.status as keyof typeof TARGET_STATUS]?.variant ?? "secondary"}
                      data-status={t.status}
                    >
                      {TARGET_STATUS[t.status as keyof typeof TARGET_STATUS]?.label ?? "Unknown"}
                    </Badge>
                    {t.status === "pending" && t.nextAt && t.nextAt > r.now ? (
                      <span className="ml-1 text-xs text-slate-500">
                        retry <LocalTime iso={t.nextAt.toISOString()} />
                      </span>
                    ) : t.status === "pending" && t.outsideWindow ? (
                      <span className="ml-1 text-xs text-slate-500">outside calling window now</span>
                    ) : null}
                  </TableCell>
                  <TableCell>{t.attempts}</TableCell>
                  <TableCell>
                    {t.lastCallId ? (
                      <Link className="text-blue-700 hover:underline" href={`/results/${t.lastCallId}`}>
                        {t.outcomeLabel ?? "In progress"}
                      </Link>
                    ) : (
                      (t.outcomeLabel ?? "—")
                    )}
                    {/* "Could not be placed" or "Lost" alone does not say why: the reason goes under it. */}
                    {t.outcomeDetail && (t.outcome === "failed" || t.outcome === "lost") ? (
                      <div className="mt-0.5 text-xs text-slate-500">{t.outcomeDetail}</div>
                    ) : null}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      </section>
    </>
  );
}
