import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { LiveRefresh } from "@/components/live/live-refresh";
import { requireCapability } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { transportFromDb } from "@/lib/engine/host-transport";
import { getEngineStatus } from "@/lib/engine/status";
import { privateDataHealth } from "@/lib/private-data-health";
import { runningIvrServer } from "@/lib/ivr/running";

export const metadata: Metadata = { title: "Engine status" };
export const dynamic = "force-dynamic";

export default async function EngineStatusPage() {
  await requireCapability("settings.edit");
  const status = await getEngineStatus(db(), { transportFor: transportFromDb(db()) });
  const privateData = privateDataHealth();
  const ivr = runningIvrServer();
  return (
    <>
      <PageHeader
        title="Engine status"
        description="Per Asterisk host: what is waiting, what is on the line, and whether the spool is reachable. Refreshes every 10 seconds."
        actions={<Badge variant={status.ok ? "success" : "destructive"}>{status.ok ? "all healthy" : "needs attention"}</Badge>}
      />
      {/* 10 s, not faster: each render checks every host's spool transport. */}
      <LiveRefresh queryKey="engine-status" active intervalMs={10_000} />
      {privateData.ok ? null : (
        <Card role="alert" className="mb-4 border-red-200 bg-red-50 p-5 text-sm text-red-900">
          <h2 className="mb-2 font-semibold">Other users on this server can read Spoolcast&apos;s private data</h2>
          <ul className="list-disc space-y-1 pl-5">
            {privateData.problems.map((p) => (
              <li key={p} className="break-all">
                {p}
              </li>
            ))}
          </ul>
        </Card>
      )}
      <Card className="mb-4 p-5" aria-labelledby="ivr-server-heading">
        <h2 id="ivr-server-heading" className="mb-3 font-semibold text-slate-900">
          IVR server
        </h2>
        {ivr ? (
          <>
            <p className="mb-3 text-sm text-slate-600">
              Listening on <code>{ivr.address}</code>. Up to {ivr.stats.limits.maxConnections} calls served at once; connections
              that have not proved a call yet are limited to {ivr.stats.limits.maxUnauthenticatedPerSource} per address and{" "}
              {ivr.stats.limits.maxUnauthenticated} in all, the oldest closed first. Counts since the server started.
            </p>
            <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-3">
              <Stat label="Calls being served" value={ivr.stats.authenticated} />
              <Stat label="Connections not yet proved" value={ivr.stats.unauthenticated} />
              <Stat label="Refused: all call slots busy" value={ivr.stats.refused} warn={ivr.stats.refused > 0} />
              <Stat
                label="Closed: too many from one address"
                value={ivr.stats.evictedPerSource}
                warn={ivr.stats.evictedPerSource > 0}
              />
              <Stat
                label="Closed: too many in all"
                value={ivr.stats.evictedUnauthenticated}
                warn={ivr.stats.evictedUnauthenticated > 0}
              />
              <Stat label="Sessions refused (bad token, replay, no slot)" value={ivr.stats.outcomes["auth-failed"] ?? 0} />
            </dl>
          </>
        ) : (
          <p className="text-sm text-slate-600">
            The IVR server does not run in this web process (a separate worker serves it, or it is turned off), so its counters
            are not available here.
          </p>
        )}
      </Card>
      {status.hosts.length === 0 ? <p className="text-sm text-slate-600">No Asterisk host is configured.</p> : null}
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        {status.hosts.map((h) => (
          <Card key={h.hostId} className="min-w-0 p-5">
            <div className="mb-3 flex flex-wrap items-center gap-2">
              <Link
                href={`/settings/hosts/${h.hostId}`}
                className="font-semibold text-slate-900 underline-offset-2 hover:underline"
              >
                {h.name}
              </Link>
              {!h.enabled ? <Badge variant="secondary">disabled</Badge> : null}
              {h.transport ? (
                <Badge variant={h.transport.ok ? "success" : "destructive"}>
                  {h.transport.ok ? "spool reachable" : "spool problem"}
                </Badge>
              ) : null}
            </div>
            <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-3">
              <Stat label="Queued" value={h.queued} />
              <Stat label="Due now" value={h.due} />
              <Stat label="In flight" value={h.inFlight} />
              <Stat label="Lost" value={h.lost} warn={h.lost > 0} />
              <div className="col-span-2">
                <dt className="text-slate-500">Oldest waiting since</dt>
                <dd className="text-slate-900">
                  <LocalTime iso={h.oldestWaitingSince?.toISOString() ?? null} fallback="nothing waiting" />
                </dd>
              </div>
              <div className="col-span-2 sm:col-span-3">
                <dt className="text-slate-500">Worker</dt>
                <dd className="break-all text-slate-900">
                  {h.leaseOwner ? (
                    <>
                      {h.leaseOwner}, last reconcile <LocalTime iso={h.lastReconcileAt?.toISOString() ?? null} relative seconds />
                    </>
                  ) : (
                    "no worker holds this host"
                  )}
                </dd>
              </div>
            </dl>
            {h.playbackError ? (
              <p role="alert" className="mt-3 text-sm text-red-800">
                <span className="font-medium">No audio</span>: {h.playbackError.message} (a call ended “playback not confirmed” at{" "}
                <LocalTime iso={h.playbackError.since.toISOString()} />, and none has played since)
              </p>
            ) : null}
            {h.missingMessages.length > 0 ? (
              <div role="alert" className="mt-3 text-sm text-red-800">
                <p className="font-medium">Messages missing on this PBX (callees answered and heard nothing):</p>
                <ul className="mt-1 flex list-disc flex-col gap-1 pl-5">
                  {h.missingMessages.map((m) => (
                    <li key={m.audioId}>
                      <Link href={`/results/${m.callId}`} className="underline underline-offset-2">
                        “{m.name}”
                      </Link>{" "}
                      was not played at <LocalTime iso={m.since.toISOString()} />: sync it on the{" "}
                      <Link href="/messages" className="underline underline-offset-2">
                        Messages
                      </Link>{" "}
                      page
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            {h.transport && !h.transport.ok ? (
              <ul className="mt-3 flex flex-col gap-1 text-sm text-red-800">
                {"error" in h.transport ? <li>{h.transport.error}</li> : null}
                {h.transport.checks
                  .filter((c) => !c.ok)
                  .map((c) => (
                    <li key={c.name}>
                      <span className="font-medium">{c.name}</span>: {c.detail}
                    </li>
                  ))}
              </ul>
            ) : null}
          </Card>
        ))}
      </div>
    </>
  );
}

function Stat({ label, value, warn = false }: { label: string; value: number; warn?: boolean }) {
  return (
    <div>
      <dt className="text-slate-500">{label}</dt>
      <dd className={`text-lg font-semibold tabular-nums ${warn ? "text-red-700" : "text-slate-900"}`}>{value}</dd>
    </div>
  );
}
