import type { Metadata } from "next";
import Link from "next/link";
import { Megaphone } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { listAudio } from "@/lib/audio/list-audio";
import { undeliveredNotes } from "@/lib/audio/delivery-check";
import { isTtsAvailable } from "@/lib/audio/tts";
import { can } from "@/lib/auth/capabilities";
import { requireCapability } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { listGroups } from "@/lib/groups/list-groups";
import { listRecentPas } from "@/lib/pa/list-pas";
import { listPaTemplates } from "@/lib/pa/pa-templates";
import { PaForm } from "./pa-form";

export const metadata: Metadata = { title: "PA" };

/** `?template=<id>` (the home page's template buttons) opens the form with that template chosen. */
export default async function PAPage({ searchParams }: { searchParams: Promise<{ template?: string | string[] }> }) {
  const user = await requireCapability("calls.view");
  const { template: wanted } = await searchParams;
  const canLaunch = can(user, "pa.launch");
  const [recent, groups, templates, audio, contactsWithPhone, tts] = await Promise.all([
    listRecentPas(db()),
    canLaunch ? listGroups(db()) : Promise.resolve([]),
    canLaunch ? listPaTemplates(db()) : Promise.resolve([]),
    canLaunch ? listAudio(db()) : Promise.resolve([]),
    canLaunch ? db().contact.count({ where: { phones: { some: {} } } }) : Promise.resolve(0),
    canLaunch ? isTtsAvailable() : Promise.resolve(false),
  ]);
  // No silent PA: messages not on the Asterisk host are flagged next to the field before review.
  const notOnHost = canLaunch ? await undeliveredNotes(db(), audio) : new Map<string, string>();
  const speakable = new Set(audio.filter((a) => a.text?.trim()).map((a) => a.id));
  return (
    <>
      <PageHeader
        title="PA"
        description="Emergency and PA announcements: every phone in the chosen groups rings at once, ahead of every other call."
        actions={
          can(user, "pa.templates.edit") ? (
            <Button asChild variant="outline">
              <Link href="/pa/templates">Templates</Link>
            </Button>
          ) : null
        }
      />
      {canLaunch ? (
        <PaForm
          groups={groups.map((g) => ({ id: g.id, name: g.name, isTest: g.isTest, memberCount: g.memberCount }))}
          templates={templates.map((t) => ({
            id: t.id,
            name: t.name,
            requireAck: t.requireAck,
            repeat: t.repeat,
            audioName: t.audioName,
            notOnHost: notOnHost.get(t.audioId) ?? null,
            speakable: speakable.has(t.audioId),
          }))}
          messages={audio.map((a) => ({
            id: a.id,
            name: a.name,
            notOnHost: notOnHost.get(a.id) ?? null,
            speakable: speakable.has(a.id),
          }))}
          initialTemplateId={templates.find((t) => t.id === wanted)?.id}
          everyoneCount={contactsWithPhone}
          ttsAvailable={tts}
        />
      ) : (
        <p className="mb-6 rounded-md border border-slate-200 bg-white p-4 text-sm text-slate-700">
          You can watch PA announcements here. Sending one needs the operator role.
        </p>
      )}
      <Card className="mt-8">
        <CardHeader>
          <CardTitle>Recent announcements</CardTitle>
        </CardHeader>
        <CardContent>
          {recent.length === 0 ? (
            <EmptyState
              icon={Megaphone}
              title="No PA sent yet"
              description="Announcements appear here with a link to their live board."
            />
          ) : (
            <ul className="divide-y divide-slate-100">
              {recent.map((p) => (
                <li key={p.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 text-sm">
                  <Link href={`/pa/${p.id}`} className="font-medium text-blue-700 hover:underline">
                    {p.audioName}
                  </Link>
                  {p.isTest ? <Badge variant="secondary">Test</Badge> : null}
                  {p.parentId ? <Badge variant="outline">Re-call</Badge> : null}
                  {p.active > 0 ? <Badge variant="warning">{p.active} in progress</Badge> : null}
                  {p.state === "stopped" ? <Badge variant="destructive">Stopped</Badge> : null}
                  <span className="text-slate-600">
                    {p.calls} phone{p.calls === 1 ? "" : "s"} · {p.createdBy} ·{" "}
                    <LocalTime iso={p.createdAt.toISOString()} relative />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
    </>
  );
}
