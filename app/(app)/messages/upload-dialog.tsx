"use client";

import { Upload } from "lucide-react";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
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
import { MAX_DURATION_MS, MAX_UPLOAD_BYTES } from "@/lib/audio/limits";

type UploadResult =
  | { ok: true; data: { id: string; name: string; durationMs: number; failedHosts: number } }
  | { ok: false; error: string; fieldErrors?: Record<string, string> };

/** Posts the form with XMLHttpRequest: fetch() cannot report upload progress. */
function postWithProgress(form: FormData, onProgress: (fraction: number) => void): Promise<UploadResult> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/messages/upload");
    xhr.responseType = "json";
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener("load", () => {
      const body = xhr.response as UploadResult | null;
      resolve(body ?? { ok: false, error: `The server answered ${xhr.status} without a result; try again.` });
    });
    xhr.addEventListener("error", () => resolve({ ok: false, error: "The upload was interrupted (network error); try again." }));
    xhr.send(form);
  });
}

function nameFromFile(fileName: string): string {
  return fileName
    .replace(/\.[^.]+$/, "")
    .replace(/[_-]+/g, " ")
    .trim()
    .slice(0, 100);
}

/** Upload a recording: file, name (defaults to the file name), tags, with a progress bar. */
export function UploadDialog() {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const nameRef = useRef<HTMLInputElement>(null);

  function reset(next: boolean) {
    if (progress !== null) return;
    setOpen(next);
    if (!next) {
      setError(undefined);
      setFieldErrors({});
    }
  }

  function onFileChange(event: React.ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    setFieldErrors({});
    setError(undefined);
    if (!file) return;
    if (file.size > MAX_UPLOAD_BYTES) {
      setFieldErrors({
        file: `The file is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`,
      });
    }
    if (nameRef.current && !nameRef.current.value) nameRef.current.value = nameFromFile(file.name);
  }

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) {
      setFieldErrors({ file: file instanceof File && file.name ? "The file is empty." : "Choose an audio file." });
      return;
    }
    setError(undefined);
    setFieldErrors({});
    setProgress(0);
    const result = await postWithProgress(form, setProgress);
    setProgress(null);
    if (result.ok) {
      const seconds = (result.data.durationMs / 1000).toFixed(1);
      if (result.data.failedHosts > 0)
        toast.warning(
          `“${result.data.name}” saved (${seconds} s), but ${result.data.failedHosts} host(s) could not receive it; see the hosts column.`,
        );
      else toast.success(`“${result.data.name}” saved (${seconds} s)`);
      setOpen(false);
      router.refresh();
    } else {
      setError(result.error);
      setFieldErrors(result.fieldErrors ?? {});
    }
  }

  const uploading = progress !== null;
  return (
    <Dialog open={open} onOpenChange={reset}>
      <DialogTrigger asChild>
        <Button>
          <Upload aria-hidden /> Upload recording
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Upload a recording</DialogTitle>
          <DialogDescription>
            WAV (any rate, channels or bit depth), OGG Vorbis or FLAC; up to {MAX_UPLOAD_BYTES / 1024 / 1024} MB and{" "}
            {MAX_DURATION_MS / 60_000} minutes. It is converted to 8 kHz mono for the phone network.
          </DialogDescription>
        </DialogHeader>
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
          {error && Object.keys(fieldErrors).length === 0 ? <Alert variant="error">{error}</Alert> : null}
          <FormField label="Audio file" error={fieldErrors.file} required>
            <Input
              name="file"
              type="file"
              accept=".wav,.ogg,.oga,.flac,audio/wav,audio/x-wav,audio/ogg,audio/flac"
              onChange={onFileChange}
              disabled={uploading}
              className="h-auto py-1.5"
            />
          </FormField>
          <FormField label="Name" error={fieldErrors.name} required>
            <Input name="name" ref={nameRef} autoComplete="off" maxLength={100} disabled={uploading} />
          </FormField>
          <FormField label="Tags" error={fieldErrors.tags} description="Optional, separated by commas, e.g. fire, drill.">
            <Input name="tags" autoComplete="off" disabled={uploading} />
          </FormField>
          {uploading ? (
            <div className="flex flex-col gap-1">
              <progress className="h-2 w-full" max={1} value={progress} aria-label="Upload progress" />
              <p className="text-xs text-slate-600" aria-live="polite">
                {progress < 1 ? `Uploading… ${Math.round(progress * 100)}%` : "Converting and copying to the hosts…"}
              </p>
            </div>
          ) : null}
          <DialogFooter>
            <Button variant="outline" onClick={() => reset(false)} disabled={uploading}>
              Cancel
            </Button>
            <Button type="submit" disabled={uploading}>
              {uploading ? "Uploading…" : "Upload"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
