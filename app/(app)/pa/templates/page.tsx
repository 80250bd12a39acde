import type { Metadata } from "next";
import Link from "next/link";
import { ArrowLeft, FileAudio } from "lucide-react";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { listAudio } from "@/lib/audio/list-audio";
import { requireCapability } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { listPaTemplates } from "@/lib/pa/pa-templates";
import { DeleteTemplateButton, TemplateForm } from "./template-form";

export const metadata: Metadata = { title: "PA templates" };

export default async function PaTemplatesPage() {
  await requireCapability("pa.templates.edit");
  const [templates, audio] = await Promise.all([listPaTemplates(db()), listAudio(db())]);
  const messages = audio.map((a) => ({ id: a.id, name: a.name }));
  return (
    <>
      <div className="mb-4">
        <Link href="/pa" className="inline-flex items-center gap-1 text-sm text-blue-700 hover:underline">
          <ArrowLeft aria-hidden className="size-4" /> PA
        </Link>
      </div>
      <PageHeader
        title="PA templates"
        description="Ready-made announcements (fire, lockdown, weather, all clear) that operators send in two key presses."
      />
      <Card className="mb-6">
        <CardHeader>
          <CardTitle>New template</CardTitle>
        </CardHeader>
        <CardContent>
          {messages.length === 0 ? (
            <p className="text-sm text-slate-600">
              Add a recording or text-to-speech message in{" "}
              <Link href="/messages" className="text-blue-700 hover:underline">
                Messages
              </Link>{" "}
              first.
            </p>
          ) : (
            <TemplateForm messages={messages} />
          )}
        </CardContent>
      </Card>
      {templates.length === 0 ? (
        <EmptyState icon={FileAudio} title="No templates yet" description="Templates appear on the PA page for operators." />
      ) : (
        <ul className="flex flex-col gap-4">
          {templates.map((t) => (
            <li key={t.id}>
              <Card>
                <CardHeader className="flex-row items-center justify-between">
                  <CardTitle>{t.name}</CardTitle>
                  <DeleteTemplateButton id={t.id} name={t.name} />
                </CardHeader>
                <CardContent>
                  <p className="mb-3 text-sm text-slate-600">
                    Used by {t.broadcasts} PA{t.broadcasts === 1 ? "" : "s"}.
                  </p>
                  <TemplateForm messages={messages} template={t} />
                </CardContent>
              </Card>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
