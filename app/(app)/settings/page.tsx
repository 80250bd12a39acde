import type { Metadata } from "next";
import Link from "next/link";
import { Activity, ChevronRight, Globe, History, KeyRound, Plus, Server, UsersRound } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/capabilities";
import { requireUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { getDemoDataStatus } from "@/lib/demo/demo-manifest";
import { DemoDataCard } from "./demo-data/demo-data-card";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireUser();
  const hosts = await db().asteriskHost.findMany({
    select: { id: true, name: true, transport: true, spoolDir: true, isDefault: true, enabled: true },
    orderBy: [{ isDefault: "desc" }, { name: "asc" }],
  });
  const sections = [
    {
      href: "/settings/users",
      title: "Users and roles",
      description: "Who can sign in, and what they may do.",
      icon: UsersRound,
      visible: can(user, "users.view"),
    },
    {
      href: "/settings/audit",
      title: "Audit log",
      description: "Every change: who, what, when, to what.",
      icon: History,
      visible: can(user, "audit.view"),
    },
    {
      href: "/settings/api",
      title: "API tokens",
      description: "Let other systems trigger PAs and calls over the REST API.",
      icon: KeyRound,
      visible: can(user, "tokens.manage"),
    },
    {
      href: "/settings/site",
      title: "Site defaults",
      description: "Default country for phone numbers and default time zone.",
      icon: Globe,
      visible: can(user, "settings.edit"),
    },
    {
      href: "/settings/engine",
      title: "Engine status",
      description: "Queues, calls in flight and spool health per host.",
      icon: Activity,
      visible: can(user, "settings.edit"),
    },
  ].filter((s) => s.visible);
  const canEdit = can(user, "settings.edit");
  const demo = await getDemoDataStatus(db());
  return (
    <>
      <PageHeader title="Settings" description="Accounts, the audit trail and the Asterisk hosts Spoolcast calls through." />
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        {sections.map((s) => (
          <Link
            key={s.href}
            href={s.href}
            className="group rounded-lg focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:ring-offset-2 focus-visible:outline-none"
          >
            <Card className="flex h-full items-center gap-4 p-5 transition-colors group-hover:border-blue-300">
              <span className="flex size-10 shrink-0 items-center justify-center rounded-full bg-blue-50 text-blue-700">
                <s.icon aria-hidden className="size-5" />
              </span>
              <span className="min-w-0 flex-1">
                <span className="block font-semibold text-slate-900">{s.title}</span>
                <span className="block text-sm text-slate-600">{s.description}</span>
              </span>
              <ChevronRight aria-hidden className="size-4 text-slate-400" />
            </Card>
          </Link>
        ))}
      </div>

      <div className="mt-8 mb-3 flex items-center justify-between gap-2">
        <h2 className="flex items-center gap-2 text-lg font-semibold text-slate-900">
          <Server aria-hidden className="size-5 text-slate-500" /> Asterisk hosts
        </h2>
        {canEdit ? (
          <Button asChild size="sm">
            <Link href="/settings/hosts/new">
              <Plus aria-hidden /> Add host
            </Link>
          </Button>
        ) : null}
      </div>
      <Card className="p-5">
        {hosts.length === 0 ? (
          <p className="text-sm text-slate-600">
            No host yet. The default host is created from <code className="rounded bg-slate-100 px-1">ASTERISK_SPOOL_DIR</code>{" "}
            when the engine starts
            {canEdit ? ", or add one now" : ""}.
          </p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {hosts.map((h) => (
              <li key={h.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 first:pt-0 last:pb-0">
                {canEdit ? (
                  <Link href={`/settings/hosts/${h.id}`} className="font-medium text-blue-700 underline-offset-2 hover:underline">
                    {h.name}
                  </Link>
                ) : (
                  <span className="font-medium text-slate-900">{h.name}</span>
                )}
                {h.isDefault ? <Badge>default</Badge> : null}
                <Badge variant={h.enabled ? "success" : "secondary"}>{h.enabled ? "enabled" : "disabled"}</Badge>
                <span className="w-full truncate text-sm text-slate-600 sm:w-auto">
                  {h.transport} · <code className="text-xs">{h.spoolDir}</code>
                </span>
              </li>
            ))}
          </ul>
        )}
        {canEdit ? null : <p className="mt-3 text-xs text-slate-500">Only administrators can change hosts.</p>}
      </Card>
      {demo.present ? <DemoDataCard counts={demo} canEdit={canEdit} /> : null}
    </>
  );
}
