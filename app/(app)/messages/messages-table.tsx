"use client";

import { Pencil, RefreshCw, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { LocalTime } from "@/components/ui/local-time";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { deleteAudioAction, resyncAudioAction, updateAudioAction } from "./actions";

export type MessageRow = {
  id: string;
  name: string;
  tags: string[];
  source: string;
  text: string | null;
  voice: string | null;
  durationMs: number;
  sizeBytes: number;
  createdAt: string;
  usage: { templates: number; campaigns: number; wakeUps: number; broadcasts: number; calls: number };
  deliveries: { hostId: string; hostName: string; state: string; error: string | null; syncedAt: string | null }[];
};

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 100) / 10;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

function part(n: number, one: string, many: string): string {
  return n ? `${n} ${n === 1 ? one : many}` : "";
}

function usageText(usage: MessageRow["usage"]): string[] {
  return [
    part(usage.templates, "PA template", "PA templates"),
    part(usage.campaigns, "campaign", "campaigns"),
    part(usage.wakeUps, "wake-up", "wake-ups"),
    part(usage.broadcasts, "past broadcast", "past broadcasts"),
    part(usage.calls, "past call", "past calls"),
  ].filter(Boolean);
}

const STATE_BADGE: Record<string, "success" | "destructive" | "secondary"> = {
  synced: "success",
  failed: "destructive",
  pending: "secondary",
};

function EditDialog({ message }: { message: MessageRow }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const result = await updateAudioAction({
        id: message.id,
        name: String(form.get("name") ?? ""),
        tags: String(form.get("tags") ?? ""),
      });
      if (result.ok) {
        toast.success(`Saved “${result.data.name}”`);
        setOpen(false);
        router.refresh();
      } else {
        setError(result.error);
        setFieldErrors(result.fieldErrors ?? {});
      }
    });
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        setError(undefined);
        setFieldErrors({});
      }}
    >
      <DialogTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={`Rename ${message.name}`} title="Rename and tag">
          <Pencil aria-hidden />
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Rename “{message.name}”</DialogTitle>
          <DialogDescription>
            The audio itself does not change; templates, campaigns and wake-ups keep using it.
          </DialogDescription>
        </DialogHeader>
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
          {error && Object.keys(fieldErrors).length === 0 ? <Alert variant="error">{error}</Alert> : null}
          <FormField label="Name" error={fieldErrors.name} required>
            <Input name="name" defaultValue={message.name} maxLength={100} autoComplete="off" />
          </FormField>
          <FormField label="Tags" error={fieldErrors.tags} description="Separated by commas.">
            <Input name="tags" defaultValue={message.tags.join(", ")} autoComplete="off" />
          </FormField>
          <DialogFooter>
            <Button variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? "Saving…" : "Save"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function DeleteButton({ message }: { message: MessageRow }) {
  const router = useRouter();
  const used = usageText(message.usage);
  return (
    <ConfirmButton
      variant="ghost"
      size="icon"
      aria-label={`Delete ${message.name}`}
      destructive
      title={`Delete “${message.name}”?`}
      description={
        used.length
          ? `It is used by ${used.join(", ")}; Spoolcast will refuse until those use another message.`
          : "The recording is removed from Spoolcast and from every Asterisk host. This cannot be undone."
      }
      confirmLabel="Delete"
      pendingLabel="Deleting…"
      onConfirm={async () => {
        const result = await deleteAudioAction({ id: message.id });
        // A refusal (still in use) stays in the dialog, next to the question.
        if (!result.ok) return result.error;
        toast.success(`Deleted “${message.name}”`);
        router.refresh();
      }}
    >
      <Trash2 aria-hidden />
    </ConfirmButton>
  );
}

function ResyncButton({ message }: { message: MessageRow }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <Button
      variant="ghost"
      size="icon"
      aria-label={`Re-sync ${message.name} to all hosts`}
      title="Copy to every host again"
      disabled={pending}
      onClick={() =>
        startTransition(async () => {
          const result = await resyncAudioAction({ id: message.id });
          if (!result.ok) toast.error(result.error);
          else if (result.data.failed > 0)
            toast.error(`“${message.name}”: ${result.data.failed} host(s) failed; see the hosts column.`);
          else toast.success(`“${message.name}” copied to ${result.data.synced} host(s)`);
          router.refresh();
        })
      }
    >
      <RefreshCw aria-hidden className={pending ? "animate-spin" : undefined} />
    </Button>
  );
}

export function MessagesTable({ messages, canEdit }: { messages: MessageRow[]; canEdit: boolean }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Message</TableHead>
            <TableHead>Listen</TableHead>
            <TableHead>Used by</TableHead>
            <TableHead>Hosts</TableHead>
            {canEdit ? <TableHead className="text-right">Actions</TableHead> : null}
          </TableRow>
        </TableHeader>
        <TableBody>
          {messages.map((m) => {
            const used = usageText(m.usage);
            return (
              <TableRow key={m.id} data-testid="message-row">
                <TableCell className="max-w-xs">
                  <div className="font-medium text-slate-900">{m.name}</div>
                  <div className="text-xs text-slate-500">
                    {m.source === "tts" ? "Text to speech" : "Recording"} · {formatDuration(m.durationMs)} · added{" "}
                    <LocalTime iso={m.createdAt} />
                  </div>
                  {m.text ? (
                    <p className="mt-1 line-clamp-2 text-xs text-slate-600" title={m.text}>
                      “{m.text}”
                    </p>
                  ) : null}
                  {m.tags.length ? (
                    <div className="mt-1 flex flex-wrap gap-1">
                      {m.tags.map((t) => (
                        <Badge key={t} variant="outline">
                          {t}
                        </Badge>
                      ))}
                    </div>
                  ) : null}
                </TableCell>
                <TableCell>
                  {/* oxlint-disable-next-line jsx-a11y/media-has-caption -- spoken announcements; the TTS text is shown beside it */}
                  <audio
                    controls
                    preload="none"
                    src={`/messages/${m.id}/audio`}
                    aria-label={`Play ${m.name}`}
                    className="h-9 w-56"
                  />
                </TableCell>
                <TableCell className="text-xs text-slate-700">
                  {used.length ? used.join(", ") : <span className="text-slate-400">Not used</span>}
                </TableCell>
                <TableCell>
                  {m.deliveries.length === 0 ? <span className="text-xs text-slate-400">No host yet</span> : null}
                  <ul className="flex flex-col gap-1">
                    {m.deliveries.map((d) => (
                      <li key={d.hostId} className="flex items-center gap-1.5 text-xs">
                        <Badge variant={STATE_BADGE[d.state] ?? "secondary"} title={d.error ?? undefined}>
                          {d.state}
                        </Badge>
                        <span className="text-slate-700">{d.hostName}</span>
                        {d.error ? <span className="sr-only">: {d.error}</span> : null}
                      </li>
                    ))}
                  </ul>
                  {m.deliveries.some((d) => d.error) ? (
                    <p className="mt-1 max-w-xs text-xs break-words text-red-700">{m.deliveries.find((d) => d.error)?.error}</p>
                  ) : null}
                </TableCell>
                {canEdit ? (
                  <TableCell className="text-right whitespace-nowrap">
                    <EditDialog message={m} />
                    {m.deliveries.length ? <ResyncButton message={m} /> : null}
                    <DeleteButton message={m} />
                  </TableCell>
                ) : null}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
