import type { Metadata } from "next";
import Link from "next/link";
import { AudioLines } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { listAudio, listAudioTags } from "@/lib/audio/list-audio";
import { ESPEAK_MISSING, isTtsAvailable, listVoices, type TtsVoice } from "@/lib/audio/tts";
import { can } from "@/lib/auth/capabilities";
import { requireCapability } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { cn } from "@/lib/utils";
import { MessagesTable } from "./messages-table";
import { SyncAllButton } from "./sync-all-button";
import { TtsDialog } from "./tts-dialog";
import { UploadDialog } from "./upload-dialog";

export const metadata: Metadata = { title: "Messages" };

export default async function MessagesPage({ searchParams }: { searchParams: Promise<{ tag?: string | string[] }> }) {
  const user = await requireCapability("dashboard.view");
  const canEdit = can(user, "audio.edit");
  const { tag: rawTag } = await searchParams;
  const tag = typeof rawTag === "string" && rawTag ? rawTag : undefined;
  const [messages, tags, hostCount] = await Promise.all([
    listAudio(db(), { tag }),
    listAudioTags(db()),
    db().asteriskHost.count({ where: { enabled: true } }),
  ]);
  const ttsAvailable = canEdit ? await isTtsAvailable() : false;
  const voices: TtsVoice[] = ttsAvailable ? await listVoices() : [];

  return (
    <>
      <PageHeader
        title="Messages"
        description="Recordings and text-to-speech that PA announcements, campaigns and wake-ups play. Every message is stored as 8 kHz mono WAV and copied to each Asterisk host."
        actions={
          canEdit ? (
            <>
              <UploadDialog />
              <TtsDialog voices={voices} disabled={!ttsAvailable} />
              {hostCount > 0 ? <SyncAllButton /> : null}
            </>
          ) : null
        }
      />
      {canEdit && !ttsAvailable ? (
        <Alert variant="warning" className="mb-4">
          {ESPEAK_MISSING} (on the Spoolcast server), then reload this page. Uploading recordings works without it.
        </Alert>
      ) : null}
      {hostCount === 0 ? (
        <Alert variant="info" className="mb-4">
          No Asterisk host is set up yet: messages are kept here and copied to each host once it is added in Settings.
        </Alert>
      ) : null}
      {tags.length > 0 ? (
        <nav aria-label="Filter by tag" className="mb-4 flex flex-wrap items-center gap-2 text-sm">
          <span className="text-slate-600">Tags:</span>
          <Link
            href="/messages"
            className={cn(
              "rounded-full border px-2.5 py-0.5",
              !tag ? "border-blue-600 bg-blue-50 text-blue-800" : "border-slate-300 text-slate-700 hover:bg-slate-100",
            )}
            aria-current={!tag ? "page" : undefined}
          >
            All
          </Link>
          {tags.map((t) => (
            <Link
              key={t}
              href={`/messages?tag=${encodeURIComponent(t)}`}
              className={cn(
                "rounded-full border px-2.5 py-0.5",
                tag === t ? "border-blue-600 bg-blue-50 text-blue-800" : "border-slate-300 text-slate-700 hover:bg-slate-100",
              )}
              aria-current={tag === t ? "page" : undefined}
            >
              {t}
            </Link>
          ))}
        </nav>
      ) : null}
      {messages.length === 0 ? (
        <EmptyState
          icon={AudioLines}
          title={tag ? `No message tagged “${tag}”` : "No messages yet"}
          description={
            canEdit
              ? "Upload a recording (WAV, OGG Vorbis or FLAC, up to 50 MB and 10 minutes) or type a text to be spoken."
              : "An operator can upload recordings or create text-to-speech messages here."
          }
        />
      ) : (
        <MessagesTable
          canEdit={canEdit}
          messages={messages.map((m) => ({
            ...m,
            createdAt: m.createdAt.toISOString(),
            deliveries: m.deliveries.map((d) => ({ ...d, syncedAt: d.syncedAt?.toISOString() ?? null })),
          }))}
        />
      )}
    </>
  );
}
