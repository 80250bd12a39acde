"use client";

import { MessageSquareText, Play } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
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
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { DEFAULT_TTS_WPM, MAX_TTS_CHARS, MAX_TTS_WPM, MIN_TTS_WPM } from "@/lib/audio/limits";
import type { TtsVoice } from "@/lib/audio/tts";
import { createTtsAction, previewTtsAction } from "./actions";

const DEFAULT_VOICE = "en-us";

/** Text-to-speech: text, voice, speed; preview plays what callers will hear, then save. */
export function TtsDialog({ voices, disabled }: { voices: TtsVoice[]; disabled: boolean }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [voice, setVoice] = useState(voices.some((v) => v.id === DEFAULT_VOICE) ? DEFAULT_VOICE : (voices[0]?.id ?? ""));
  const [wpm, setWpm] = useState(DEFAULT_TTS_WPM);
  const [preview, setPreview] = useState<{ url: string; key: string; durationMs: number }>();
  const [previewing, startPreview] = useTransition();
  const [saving, startSave] = useTransition();
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  // The preview is stale as soon as any input changes.
  const currentKey = `${voice}|${wpm}|${text}`;
  const previewIsCurrent = preview?.key === currentKey;

  function reset(next: boolean) {
    setOpen(next);
    if (!next) {
      setError(undefined);
      setFieldErrors({});
      setPreview(undefined);
    }
  }

  function showErrors(result: { error: string; fieldErrors?: Record<string, string> }) {
    setError(result.error);
    setFieldErrors(result.fieldErrors ?? {});
  }

  function onPreview() {
    startPreview(async () => {
      const result = await previewTtsAction({ text, voice, wpm });
      if (result.ok) {
        setError(undefined);
        setFieldErrors({});
        setPreview({ url: result.data.url, key: currentKey, durationMs: result.data.durationMs });
      } else showErrors(result);
    });
  }

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startSave(async () => {
      const result = await createTtsAction({
        name: String(form.get("name") ?? ""),
        tags: String(form.get("tags") ?? ""),
        text,
        voice,
        wpm,
      });
      if (result.ok) {
        if (result.data.failedHosts > 0)
          toast.warning(`“${result.data.name}” saved, but ${result.data.failedHosts} host(s) could not receive it.`);
        else toast.success(`“${result.data.name}” saved`);
        setText("");
        reset(false);
        router.refresh();
      } else showErrors(result);
    });
  }

  return (
    <Dialog open={open} onOpenChange={reset}>
      <DialogTrigger asChild>
        <Button
          variant="outline"
          disabled={disabled}
          title={disabled ? "Text-to-speech needs espeak-ng on the server" : undefined}
        >
          <MessageSquareText aria-hidden /> Text to speech
        </Button>
      </DialogTrigger>
      <DialogContent className="max-w-xl">
        <DialogHeader>
          <DialogTitle>Create a message from text</DialogTitle>
          <DialogDescription>
            Spoken by espeak-ng. Preview it before saving: you hear exactly what callers will hear.
          </DialogDescription>
        </DialogHeader>
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
          {error && Object.keys(fieldErrors).length === 0 ? <Alert variant="error">{error}</Alert> : null}
          <FormField label="Name" error={fieldErrors.name} required>
            <Input name="name" autoComplete="off" maxLength={100} />
          </FormField>
          <FormField
            label="Text to speak"
            error={fieldErrors.text}
            description={`${text.length} / ${MAX_TTS_CHARS} characters`}
            required
          >
            <Textarea name="text" rows={5} value={text} onChange={(e) => setText(e.target.value)} />
          </FormField>
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
            <FormField label="Voice" error={fieldErrors.voice} required>
              <Select name="voice" value={voice} onChange={(e) => setVoice(e.target.value)}>
                {voices.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.name} ({v.id})
                  </option>
                ))}
              </Select>
            </FormField>
            <FormField
              label="Speed (words per minute)"
              error={fieldErrors.wpm}
              description={`${MIN_TTS_WPM}–${MAX_TTS_WPM}; ${DEFAULT_TTS_WPM} is clear on a phone line.`}
            >
              <Input
                name="wpm"
                type="number"
                min={MIN_TTS_WPM}
                max={MAX_TTS_WPM}
                step={10}
                value={wpm}
                onChange={(e) => setWpm(Number(e.target.value))}
              />
            </FormField>
          </div>
          <FormField label="Tags" error={fieldErrors.tags} description="Optional, separated by commas.">
            <Input name="tags" autoComplete="off" />
          </FormField>
          <div className="flex flex-wrap items-center gap-3">
            <Button variant="secondary" onClick={onPreview} disabled={previewing || !text.trim()}>
              <Play aria-hidden /> {previewing ? "Speaking…" : "Preview"}
            </Button>
            {preview && previewIsCurrent ? (
              // oxlint-disable-next-line jsx-a11y/media-has-caption -- synthesized from the text shown above
              <audio controls autoPlay src={preview.url} aria-label="Preview" className="h-9" />
            ) : preview ? (
              <span className="text-xs text-slate-500">The text, voice or speed changed: preview again.</span>
            ) : null}
          </div>
          <DialogFooter>
            <Button variant="outline" onClick={() => reset(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={saving}>
              {saving ? "Saving…" : "Save message"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
