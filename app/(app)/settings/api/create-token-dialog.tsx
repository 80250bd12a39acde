"use client";

import { Check, Copy, KeyRound } from "lucide-react";
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
import type { ApiScope } from "@/lib/api/scopes";
import { createApiTokenAction } from "./actions";

/** Create a token; the plain token is shown once, in this dialog, with a copy button. */
export function CreateTokenDialog({ scopes }: { scopes: { id: ApiScope; description: string }[] }) {
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);
  const [copied, setCopied] = useState(false);

  function reset(next: boolean) {
    setOpen(next);
    if (!next) {
      setError(undefined);
      setFieldErrors({});
      setCreated(null);
      setCopied(false);
    }
  }

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const result = await createApiTokenAction({
        name: String(form.get("name") ?? ""),
        scopes: form.getAll("scopes").map(String) as ApiScope[],
        expiresOn: String(form.get("expiresOn") ?? ""),
      });
      if (result.ok) {
        setCreated(result.data);
        setError(undefined);
        setFieldErrors({});
      } else {
        setError(result.error);
        setFieldErrors(result.fieldErrors ?? {});
      }
    });
  }

  async function copy() {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied(true);
      toast.success("Token copied");
    } catch {
      toast.error("Could not copy: select the token and copy it by hand");
    }
  }

  return (
    <Dialog open={open} onOpenChange={reset}>
      <DialogTrigger asChild>
        <Button>
          <KeyRound aria-hidden /> Create token
        </Button>
      </DialogTrigger>
      <DialogContent>
        {created ? (
          <>
            <DialogHeader>
              <DialogTitle>Token “{created.name}” created</DialogTitle>
              <DialogDescription>
                Copy it now and store it in the other system. It is shown only once: Spoolcast keeps only a hash.
              </DialogDescription>
            </DialogHeader>
            <div className="flex items-center gap-2">
              <Input
                readOnly
                value={created.token}
                aria-label="New API token"
                className="font-mono text-xs"
                onFocus={(e) => e.currentTarget.select()}
              />
              <Button variant="outline" onClick={copy} aria-label="Copy token">
                {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
              </Button>
            </div>
            <DialogFooter>
              <Button onClick={() => reset(false)}>Done</Button>
            </DialogFooter>
          </>
        ) : (
          <>
            <DialogHeader>
              <DialogTitle>Create an API token</DialogTitle>
              <DialogDescription>Give it only the scopes the other system needs.</DialogDescription>
            </DialogHeader>
            <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
              {error && Object.keys(fieldErrors).length === 0 ? <Alert variant="error">{error}</Alert> : null}
              <FormField label="Name" error={fieldErrors.name} description="Who uses it, e.g. “Fire panel building B”." required>
                <Input name="name" autoComplete="off" />
              </FormField>
              <fieldset className="flex flex-col gap-2" aria-describedby={fieldErrors.scopes ? "scopes-error" : undefined}>
                <legend className="mb-1 text-sm font-medium text-slate-900">Scopes</legend>
                {scopes.map((s) => (
                  <div key={s.id} className="flex items-start gap-2 text-sm">
                    <input
                      id={`scope-${s.id}`}
                      type="checkbox"
                      name="scopes"
                      value={s.id}
                      className="mt-0.5 size-4"
                      aria-describedby={`scope-${s.id}-text`}
                    />
                    <div>
                      <label htmlFor={`scope-${s.id}`} className="font-mono text-xs font-semibold text-slate-900">
                        {s.id}
                      </label>
                      <p id={`scope-${s.id}-text`} className="text-slate-600">
                        {s.description}
                      </p>
                    </div>
                  </div>
                ))}
                {fieldErrors.scopes ? (
                  <p id="scopes-error" className="text-sm text-red-700">
                    {fieldErrors.scopes}
                  </p>
                ) : null}
              </fieldset>
              <FormField
                label="Expires on"
                error={fieldErrors.expiresOn}
                description="Leave empty for a token that does not expire."
              >
                <Input name="expiresOn" type="date" />
              </FormField>
              <DialogFooter>
                <Button variant="outline" onClick={() => reset(false)}>
                  Cancel
                </Button>
                <Button type="submit" disabled={pending}>
                  {pending ? "Creating…" : "Create token"}
                </Button>
              </DialogFooter>
            </form>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}
