"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { Megaphone, Send } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { STAY_DISABLED, actionFailedMessage, useAction } from "@/components/ui/use-action";
import { Card, CardContent } from "@/components/ui/card";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { newLaunchKey } from "@/lib/ids/launch-key";
import { cn } from "@/lib/utils";
import { launchPaAction, previewPaAction } from "./actions";

type Group = { id: string; name: string; isTest: boolean; memberCount: number };
/** `notOnHost`: why the message cannot be played (not on the Asterisk host), or null. `speakable`: it has text for TTS. */
type Playability = { notOnHost: string | null; speakable: boolean };
type Template = { id: string; name: string; requireAck: boolean; repeat: number; audioName: string } & Playability;
type Message = { id: string; name: string } & Playability;
type Source = "template" | "library" | "text";

const choiceClass =
  "flex cursor-pointer items-center gap-2 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm has-[:checked]:border-blue-600 has-[:checked]:bg-blue-50 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-blue-600";

/**
 * The PA form: recipients, message, options, then a two-step confirm. "Review" (or Enter in
 * any field) opens the confirm dialog with the send button focused, so Enter sends and
 * Escape goes back: two deliberate key presses, no mouse needed.
 *
 * No silent PA: a template or library message that is not on the Asterisk host is flagged
 * next to its field and blocks the review; when it has text and text-to-speech is installed,
 * the operator may send it spoken instead (the server re-checks either way).
 */
export function PaForm({
  groups,
  templates,
  messages,
  initialTemplateId,
  everyoneCount,
  ttsAvailable,
}: {
  groups: Group[];
  templates: Template[];
  messages: Message[];
  /** The template to start with (a home page template button); the first one otherwise. */
  initialTemplateId?: string;
  everyoneCount: number;
  ttsAvailable: boolean;
}) {
  const router = useRouter();
  const [everyone, setEveryone] = useState(false);
  const [groupIds, setGroupIds] = useState<string[]>([]);
  const [source, setSource] = useState<Source>(templates.length ? "template" : messages.length ? "library" : "text");
  const initialTemplate = templates.find((t) => t.id === initialTemplateId) ?? templates[0];
  const [templateId, setTemplateId] = useState(initialTemplate?.id ?? "");
  const [audioId, setAudioId] = useState(messages[0]?.id ?? "");
  const [ttsText, setTtsText] = useState("");
  const [requireAck, setRequireAck] = useState(initialTemplate?.requireAck ?? true);
  const [repeat, setRepeat] = useState(initialTemplate?.repeat ?? 1);
  const [isTest, setIsTest] = useState(false);
  const [ttsFallback, setTtsFallback] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [confirm, setConfirm] = useState<{ phones: number; withoutNumber: number; duplicates: number } | null>(null);
  const [reviewing, startReview] = useTransition();
  const sendRef = useRef<HTMLButtonElement>(null);
  // One key per confirmation: a "Try again" of the same send reuses it, so a launch whose first
  // request reached the server (the answer was lost) is not dialled a second time.
  const launchKey = useRef("");
  const reviewRef = useRef<HTMLButtonElement>(null);

  const visibleGroups = isTest ? groups.filter((g) => g.isTest) : groups;
  const chosenTemplate = templates.find((t) => t.id === templateId);
  const chosenMessage = messages.find((m) => m.id === audioId);
  const chosen: Playability | undefined =
    source === "template" ? chosenTemplate : source === "library" ? chosenMessage : undefined;
  const notOnHost = chosen?.notOnHost ?? null;
  const canSpeakInstead = !!notOnHost && !!chosen?.speakable && ttsAvailable;
  const spokenInstead = canSpeakInstead && ttsFallback;

  function pickTemplate(id: string) {
    setTemplateId(id);
    setTtsFallback(false);
    const t = templates.find((x) => x.id === id);
    if (t) {
      setRequireAck(t.requireAck);
      setRepeat(t.repeat);
    }
  }

  function input() {
    return {
      groupIds: everyone ? [] : groupIds,
      everyone,
      isTest,
      requireAck,
      repeat,
      ...(source === "template" ? { templateId } : source === "library" ? { audioId } : { ttsText }),
      ...(spokenInstead ? { ttsFallback: true } : {}),
    };
  }

  function review(e: React.FormEvent) {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!everyone && groupIds.length === 0) local.groupIds = "Choose at least one group, or everyone.";
    if (source === "template" && !templateId) local.message = "Choose a template.";
    if (source === "library" && !audioId) local.message = "Choose a message.";
    if (source === "text" && !ttsText.trim()) local.message = "Type the announcement.";
    if (notOnHost && !spokenInstead) local.message = notOnHost;
    setErrors(local);
    setFormError(undefined);
    if (Object.keys(local).length) return;
    startReview(async () => {
      // A throw inside a transition would reach the error boundary and replace the form: caught here.
      const r = await previewPaAction({ groupIds: everyone ? [] : groupIds, everyone, isTest }).catch(() => null);
      if (!r) {
        setFormError(actionFailedMessage());
        return;
      }
      if (!r.ok) {
        setFormError(r.error);
        return;
      }
      if (r.data.phones === 0) {
        setErrors({ groupIds: "Nobody to call: the chosen groups have no contacts with a phone number." });
        return;
      }
      launchKey.current = newLaunchKey();
      setConfirm(r.data);
    });
  }

  // One launch per confirmation, however often Enter or the button is pressed (useAction).
  const { run: send, pending: sending } = useAction(async () => {
    const r = await launchPaAction({ ...input(), launchKey: launchKey.current }).catch((e: unknown) => {
      // The server failed or could not be reached: back to the form, everything typed kept, the
      // cause next to it; useAction adds the "Try again" toast.
      setConfirm(null);
      setFormError(actionFailedMessage());
      throw e;
    });
    if (!r.ok) {
      setConfirm(null);
      setFormError(r.error);
      setErrors(r.fieldErrors ?? {});
      return;
    }
    router.push(`/pa/${r.data.broadcastId}`);
    return STAY_DISABLED;
  });

  const shortText = ttsText.trim().length > 80 ? `${ttsText.trim().slice(0, 79)}…` : ttsText.trim();
  const messageLabel =
    source === "template"
      ? `Template “${chosenTemplate?.name ?? ""}”${spokenInstead ? " (its text spoken by text-to-speech)" : ""}`
      : source === "library"
        ? `“${chosenMessage?.name ?? ""}”${spokenInstead ? " (its text spoken by text-to-speech)" : ""}`
        : `“${shortText}” (spoken)`;
  const toLabel = everyone
    ? "everyone"
    : groups
        .filter((g) => groupIds.includes(g.id))
        .map((g) => g.name)
        .join(", ");

  return (
    <Card>
      <CardContent className="pt-5">
        <form onSubmit={review} className="flex flex-col gap-6" aria-label="Send a PA">
          {formError ? <Alert variant="error">{formError}</Alert> : null}
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-2 text-sm font-semibold text-slate-900">Who</legend>
            <div className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
              {!isTest ? (
                <label className={choiceClass}>
                  <input type="checkbox" className="size-4" checked={everyone} onChange={(e) => setEveryone(e.target.checked)} />
                  <span className="font-medium">Everyone</span>
                  <span className="ml-auto text-xs text-slate-600">{everyoneCount} with a number</span>
                </label>
              ) : null}
              {visibleGroups.map((g) => (
                <label key={g.id} className={cn(choiceClass, everyone && "opacity-50")}>
                  <input
                    type="checkbox"
                    className="size-4"
                    disabled={everyone}
                    checked={!everyone && groupIds.includes(g.id)}
                    onChange={(e) => setGroupIds((ids) => (e.target.checked ? [...ids, g.id] : ids.filter((x) => x !== g.id)))}
                  />
                  <span className="truncate font-medium">{g.name}</span>
                  {g.isTest ? <Badge variant="secondary">Test</Badge> : null}
                  <span className="ml-auto shrink-0 text-xs text-slate-600">{g.memberCount} members</span>
                </label>
              ))}
            </div>
            {isTest && visibleGroups.length === 0 ? (
              <p className="text-sm text-slate-600">No test group yet: mark a group as a test group on the Groups page.</p>
            ) : null}
            {errors.groupIds || errors.everyone ? (
              <p role="alert" className="text-sm text-red-700">
                {errors.groupIds ?? errors.everyone}
              </p>
            ) : null}
          </fieldset>

          <fieldset className="flex flex-col gap-3">
            <legend className="mb-2 text-sm font-semibold text-slate-900">Message</legend>
            <div role="radiogroup" aria-label="Message source" className="flex flex-wrap gap-2">
              {(
                [
                  ["template", "Template", templates.length > 0],
                  ["library", "From the library", messages.length > 0],
                  ["text", "Type text", ttsAvailable],
                ] as const
              ).map(([value, label, enabled]) => (
                <label key={value} className={cn(choiceClass, !enabled && "cursor-not-allowed opacity-50")}>
                  <input
                    type="radio"
                    name="source"
                    className="size-4"
                    value={value}
                    disabled={!enabled}
                    checked={source === value}
                    onChange={() => setSource(value)}
                  />
                  {label}
                </label>
              ))}
            </div>
            {source === "template" ? (
              <FormField
                label="Which template"
                error={errors.message ?? errors.templateId ?? (spokenInstead ? undefined : (notOnHost ?? undefined))}
              >
                <Select value={templateId} onChange={(e) => pickTemplate(e.target.value)}>
                  {templates.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name} ({t.audioName})
                    </option>
                  ))}
                </Select>
              </FormField>
            ) : source === "library" ? (
              <FormField
                label="Library message"
                error={errors.message ?? errors.audioId ?? (spokenInstead ? undefined : (notOnHost ?? undefined))}
              >
                <Select
                  value={audioId}
                  onChange={(e) => {
                    setAudioId(e.target.value);
                    setTtsFallback(false);
                  }}
                >
                  {messages.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.name}
                    </option>
                  ))}
                </Select>
              </FormField>
            ) : (
              <FormField
                label="Announcement text"
                error={errors.message ?? errors.ttsText}
                description="Spoken by text-to-speech and saved to the message library."
              >
                <Textarea rows={3} value={ttsText} onChange={(e) => setTtsText(e.target.value)} maxLength={2000} />
              </FormField>
            )}
            {canSpeakInstead ? (
              <label className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  className="mt-0.5 size-4"
                  checked={ttsFallback}
                  onChange={(e) => {
                    setTtsFallback(e.target.checked);
                    setErrors(({ message: _m, audioId: _a, templateId: _t, ...rest }) => rest);
                  }}
                />
                <span>
                  Send it anyway with its text spoken by text-to-speech
                  <span className="block text-xs text-slate-600">
                    The board will say the message was spoken because it is not on the Asterisk host.
                  </span>
                </span>
              </label>
            ) : null}
          </fieldset>

          <div className="flex flex-wrap items-end gap-x-6 gap-y-3">
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" className="size-4" checked={requireAck} onChange={(e) => setRequireAck(e.target.checked)} />
              Require acknowledgement (press 1)
            </label>
            <FormField label="Play the message" className="w-40" error={errors.repeat}>
              <Select value={String(repeat)} onChange={(e) => setRepeat(Number(e.target.value))}>
                {[1, 2, 3, 4, 5].map((n) => (
                  <option key={n} value={n}>
                    {n === 1 ? "once" : `${n} times`}
                  </option>
                ))}
              </Select>
            </FormField>
            <label className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="size-4"
                checked={isTest}
                onChange={(e) => {
                  setIsTest(e.target.checked);
                  setEveryone(false);
                  setGroupIds((ids) => (e.target.checked ? ids.filter((id) => groups.find((g) => g.id === id)?.isTest) : ids));
                }}
              />
              Test PA (test groups only)
            </label>
          </div>

          <div>
            <Button ref={reviewRef} type="submit" size="lg" variant="destructive" disabled={reviewing}>
              <Megaphone aria-hidden />
              {reviewing ? "Counting phones…" : isTest ? "Review test PA" : "Review PA"}
            </Button>
          </div>
        </form>
      </CardContent>

      <Dialog open={confirm !== null} onOpenChange={(open) => (!open && !sending ? setConfirm(null) : undefined)}>
        <DialogContent
          onOpenAutoFocus={(e) => {
            // The send button, not the first field: Enter confirms, Escape cancels.
            e.preventDefault();
            sendRef.current?.focus();
          }}
          onCloseAutoFocus={(e) => {
            // The dialog opens from a form submit, not a trigger: focus goes back to "Review PA" by hand.
            e.preventDefault();
            reviewRef.current?.focus();
          }}
        >
          <DialogHeader>
            <DialogTitle>{isTest ? "Send this test PA?" : "Send this PA now?"}</DialogTitle>
            <DialogDescription>
              {messageLabel} to {toLabel}
              {requireAck ? ", acknowledgement required" : ""}, played {repeat === 1 ? "once" : `${repeat} times`}.
            </DialogDescription>
          </DialogHeader>
          {confirm && (confirm.withoutNumber > 0 || confirm.duplicates > 0) ? (
            <p className="text-sm text-slate-600">
              {confirm.withoutNumber > 0
                ? `${confirm.withoutNumber} contact${confirm.withoutNumber === 1 ? " has" : "s have"} no number. `
                : ""}
              {confirm.duplicates > 0
                ? `${confirm.duplicates} shared number${confirm.duplicates === 1 ? " is" : "s are"} called once.`
                : ""}
            </p>
          ) : null}
          <DialogFooter className="flex-col-reverse gap-2 sm:flex-row">
            <Button variant="outline" onClick={() => setConfirm(null)} disabled={sending}>
              Cancel (Esc)
            </Button>
            <Button
              ref={sendRef}
              variant="destructive"
              size="lg"
              onClick={() => void send()}
              disabled={sending}
              className="text-base"
            >
              <Send aria-hidden />
              {sending ? "Sending…" : `Send PA to ${confirm?.phones ?? 0} phone${confirm?.phones === 1 ? "" : "s"}`}
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </Card>
  );
}
