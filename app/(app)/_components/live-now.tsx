import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { toneVariant } from "@/components/calls/outcome-badge";
import type { HostHealth } from "@/lib/dashboard/host-health";
import type { LivePa, ProblemCall, RunningCampaign, WakeUpDue } from "@/lib/dashboard/live-now";
import { cn } from "@/lib/utils";

/** Dates travel to the page as ISO text (LocalTime renders them on the viewer's clock). */
type Iso<T, K extends keyof T> = Omit<T, K> & Record<K, string>;

const linkClass = "font-medium text-blue-700 hover:underline";

function Block({ title, empty, children }: { title: string; empty: string; children: React.ReactNode[] }) {
  return (
    <div className="flex flex-col gap-2">
      <h3 className="text-sm font-semibold text-slate-900">{title}</h3>
      {children.length === 0 ? (
        <p className="text-sm text-slate-600">{empty}</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm">{children}</ul>
      )}
    </div>
  );
}

/** What is happening now and what needs a look: every row links to the page that has the detail. */
export function LiveNow({
  pas,
  campaigns,
  wakeUps,
  problems,
  className,
}: {
  pas: Iso<LivePa, "createdAt">[];
  campaigns: RunningCampaign[];
  wakeUps: Iso<WakeUpDue, "occursAt">[];
  problems: Iso<ProblemCall, "endedAt">[];
  className?: string;
}) {
  return (
    <Card aria-labelledby="live-now-title" className={className}>
      <CardHeader>
        <CardTitle id="live-now-title">Live now</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-6 md:grid-cols-2">
        <Block title="PA announcements in progress" empty="No PA is in progress.">
          {pas.map((p) => (
            <li key={p.id} className="flex flex-wrap items-center gap-x-2 gap-y-1 py-2">
              <Link href={`/pa/${p.id}`} className={linkClass}>
                {p.audioName}
              </Link>
              {p.isTest ? <Badge variant="secondary">Test</Badge> : null}
              <Badge variant="warning">
                {p.active} of {p.calls} still in progress
              </Badge>
              <span className="text-slate-600">
                sent <LocalTime iso={p.createdAt} relative />
              </span>
            </li>
          ))}
        </Block>
        <Block title="Running campaigns" empty="No campaign is running.">
          {campaigns.map((c) => (
            <li key={c.id} className="flex flex-col gap-1 py-2">
              <div className="flex flex-wrap items-center gap-x-2">
                <Link href={`/campaigns/${c.id}`} className={linkClass}>
                  {c.name}
                </Link>
                <span className="text-slate-600">
                  {c.finished} of {c.total} done{c.inProgress ? `, ${c.inProgress} being called` : ""}
                </span>
              </div>
              <progress
                className="h-2 w-full accent-blue-700"
                max={Math.max(c.total, 1)}
                value={c.finished}
                aria-label={`${c.name}: ${c.finished} of ${c.total} done`}
              />
            </li>
          ))}
        </Block>
        <Block title="Wake-up calls in the next hour" empty="No wake-up call is due in the next hour.">
          {wakeUps.map((w) => (
            <li key={`${w.wakeUpId}-${w.occursAt}`} className="flex flex-wrap items-center gap-x-2 py-2">
              <Link href="/wakeups" className={linkClass}>
                Room {w.room}
              </Link>
              {w.guestName ? <span className="text-slate-700">{w.guestName}</span> : null}
              <span className="text-slate-600">
                at <LocalTime iso={w.occursAt} zone={w.timeZone} />
              </span>
            </li>
          ))}
        </Block>
        <Block title="Not reached in the last 24 hours" empty="Every call of the last 24 hours reached its person.">
          {problems.map((c) => (
            <li key={c.id} className="flex flex-wrap items-center gap-x-2 gap-y-1 py-2">
              <Link href={`/results/${c.id}`} className={linkClass}>
                {c.who}
              </Link>
              <span className="text-slate-600">{c.kind}</span>
              <Badge variant={toneVariant(c.words.tone)}>{c.words.label}</Badge>
              <span className="text-slate-600">
                <LocalTime iso={c.endedAt} relative />
              </span>
            </li>
          ))}
        </Block>
      </CardContent>
    </Card>
  );
}

/**
 * Each enabled host with its last self-test: passed or failed, and when (the host page runs a new
 * one). Only those who may open the host page (settings.edit) get a link to it and the advice.
 */
export function HostHealthCard({ hosts, canManage }: { hosts: HostHealth[]; canManage: boolean }) {
  return (
    <Card aria-labelledby="host-health-title">
      <CardHeader>
        <CardTitle id="host-health-title">Asterisk hosts</CardTitle>
      </CardHeader>
      <CardContent>
        {hosts.length === 0 ? (
          <p className="text-sm text-slate-600">No Asterisk host is set up.</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm">
            {hosts.map((h) => (
              <li key={h.id} className="flex flex-col gap-1 py-2">
                <div className="flex flex-wrap items-center gap-x-2">
                  {canManage ? (
                    <Link href={`/settings/hosts/${h.id}`} className={linkClass}>
                      {h.name}
                    </Link>
                  ) : (
                    <span className="font-medium text-slate-900">{h.name}</span>
                  )}
                  {h.isDefault ? <Badge variant="outline">Default</Badge> : null}
                </div>
                {h.lastSelfTest ? (
                  <p className={cn(h.lastSelfTest.ok ? "text-green-800" : "text-red-800")}>
                    <Badge variant={h.lastSelfTest.ok ? "success" : "destructive"}>
                      {h.lastSelfTest.ok ? "Self-test passed" : "Self-test failed"}
                    </Badge>{" "}
                    <LocalTime iso={h.lastSelfTest.finishedAt} relative />
                    {h.lastSelfTest.failed.length ? (
                      <span className="block text-xs">Failed: {h.lastSelfTest.failed.join("; ")}</span>
                    ) : null}
                  </p>
                ) : (
                  <p className="text-slate-600">
                    {canManage ? "Never self-tested. Run “Test the PBX” on the host page." : "Never self-tested."}
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
