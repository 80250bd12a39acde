import type { Metadata } from "next";
import Link from "next/link";
import { Layers, PhoneCall, Server, Upload, Users } from "lucide-react";
import { NAV_ITEMS } from "@/components/app-shell/nav-items";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireCapability } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/capabilities";
import { getDashboardCounts } from "@/lib/dashboard/get-dashboard-counts";
import { db } from "@/lib/db";
import { WakeUpAlerts } from "@/components/wakeup-alerts";
import { listWakeUpAlerts } from "@/lib/wakeups/list-wakeups";
import { listHostHealth } from "@/lib/dashboard/host-health";
import { listLivePas, listRecentProblemCalls, listRunningCampaigns, listWakeUpsDueSoon } from "@/lib/dashboard/live-now";
import { listPaTemplates } from "@/lib/pa/pa-templates";
import { EmergencyPa } from "./_components/emergency-pa";
import { HostHealthCard, LiveNow } from "./_components/live-now";
import { acknowledgeWakeUpAlertAction } from "./wakeups/actions";

export const metadata: Metadata = { title: "Dashboard" };

function Stat({ label, value, icon: Icon, hint }: { label: string; value: number; icon: typeof Users; hint?: string }) {
  return (
    <Card className="p-5">
      <div className="flex items-start justify-between gap-3">
        <div>
          <p className="text-sm font-medium text-slate-600">{label}</p>
          <p className="mt-1 text-3xl font-semibold text-slate-900 tabular-nums">{value.toLocaleString("en")}</p>
          {hint ? <p className="mt-1 text-xs text-slate-500">{hint}</p> : null}
        </div>
        <span className="flex size-10 items-center justify-center rounded-full bg-blue-50 text-blue-700">
          <Icon aria-hidden className="size-5" />
        </span>
      </div>
    </Card>
  );
}

export default async function DashboardPage() {
  const user = await requireCapability("dashboard.view");
  const canLaunch = can(user, "pa.launch");
  const [counts, wakeUpAlerts, templates, pas, campaigns, wakeUps, problems, hosts] = await Promise.all([
    getDashboardCounts(db()),
    listWakeUpAlerts(db()),
    canLaunch ? listPaTemplates(db()) : Promise.resolve([]),
    listLivePas(db()),
    listRunningCampaigns(db()),
    listWakeUpsDueSoon(db()),
    listRecentProblemCalls(db()),
    listHostHealth(db()),
  ]);
  return (
    <>
      <PageHeader title="Dashboard" description={`Signed in as ${user.name}. Here is what Spoolcast knows today.`} />
      {/* Viewers get no send button (the server refuses them anyway): they watch the same blocks. */}
      {canLaunch ? (
        <EmergencyPa templates={templates.map((t) => ({ id: t.id, name: t.name }))} />
      ) : (
        <p className="mb-6 rounded-md border border-slate-200 bg-white p-4 text-sm text-slate-700">
          You can watch what is happening here. Sending a PA needs the operator role.
        </p>
      )}
      <WakeUpAlerts
        alerts={wakeUpAlerts}
        linkToPage
        acknowledge={can(user, "wakeups.edit") ? acknowledgeWakeUpAlertAction : undefined}
      />
      <div className="mb-6 grid grid-cols-1 gap-4 xl:grid-cols-3">
        <LiveNow
          className="xl:col-span-2"
          pas={pas.map((p) => ({ ...p, createdAt: p.createdAt.toISOString() }))}
          campaigns={campaigns}
          wakeUps={wakeUps.map((w) => ({ ...w, occursAt: w.occursAt.toISOString() }))}
          problems={problems.map((c) => ({ ...c, endedAt: c.endedAt.toISOString() }))}
        />
        <HostHealthCard hosts={hosts} canManage={can(user, "settings.edit")} />
      </div>
      <section aria-label="Figures" className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <Stat label="Contacts" value={counts.contacts} icon={Users} />
        <Stat label="Groups" value={counts.groups} icon={Layers} />
        <Stat label="Calls today" value={counts.callsToday} icon={PhoneCall} hint={`${counts.answeredToday} answered`} />
        <Stat
          label="Asterisk hosts"
          value={counts.hosts}
          icon={Server}
          hint={`${counts.audioMessages} audio message${counts.audioMessages === 1 ? "" : "s"}`}
        />
      </section>

      {counts.contacts === 0 ? (
        <EmptyState
          className="mt-6"
          icon={Upload}
          title="No contacts yet"
          description="Add the people Spoolcast should call, one by one or from a CSV file, and put them in groups for PA announcements and campaigns."
          action={
            <Link href="/contacts" className={buttonVariants()}>
              Go to Contacts
            </Link>
          }
        />
      ) : null}
      {counts.hosts === 0 ? (
        <EmptyState
          className="mt-6"
          icon={Server}
          title="No Asterisk host configured"
          description="Spoolcast needs an Asterisk spool directory to write call files into. Run `npm run demo` for the bundled one, or set ASTERISK_SPOOL_DIR."
        />
      ) : null}

      <h2 className="mt-8 mb-3 text-lg font-semibold text-slate-900">Sections</h2>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-3">
        {NAV_ITEMS.filter((item) => item.href !== "/").map((item) => {
          const Icon = item.icon;
          return (
            <Link
              key={item.href}
              href={item.href}
              className="group rounded-lg focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:ring-offset-2 focus-visible:outline-none"
            >
              <Card className="h-full pb-2 transition-colors group-hover:border-blue-300">
                <CardHeader>
                  <CardTitle className="flex items-center gap-2">
                    <Icon aria-hidden className="size-4 text-blue-700" /> {item.label}
                  </CardTitle>
                  <CardDescription>{item.description}</CardDescription>
                </CardHeader>
              </Card>
            </Link>
          );
        })}
      </div>
    </>
  );
}
