"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Trash2 } from "lucide-react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormField } from "@/components/ui/form-field";
import { useAction } from "@/components/ui/use-action";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { createPaTemplateAction, deletePaTemplateAction, updatePaTemplateAction } from "../actions";

type Template = { id: string; name: string; audioId: string; requireAck: boolean; repeat: number };

/** Create (no `template`) or edit one PA template. */
export function TemplateForm({ messages, template }: { messages: { id: string; name: string }[]; template?: Template }) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  // One template per click of "Create template" (useAction).
  const { run: save, pending } = useAction(
    async (form: HTMLFormElement, input: { name: string; audioId: string; requireAck: boolean; repeat: number }) => {
      const r = template ? await updatePaTemplateAction({ ...input, id: template.id }) : await createPaTemplateAction(input);
      if (!r.ok) {
        setError(r.error);
        setFieldErrors(r.fieldErrors ?? {});
        return;
      }
      setError(undefined);
      setFieldErrors({});
      toast.success(template ? `Saved ${input.name}` : `Created ${input.name}`);
      if (!template) form.reset();
      router.refresh();
    },
  );

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const input = {
      name: String(f.get("name") ?? ""),
      audioId: String(f.get("audioId") ?? ""),
      requireAck: f.get("requireAck") === "on",
      repeat: Number(f.get("repeat") ?? 1),
    };
    void save(form, input);
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-3" aria-label={template ? `Edit ${template.name}` : "New template"}>
      {error ? <Alert variant="error">{error}</Alert> : null}
      <div className="grid gap-3 sm:grid-cols-2">
        <FormField label="Name" error={fieldErrors.name} required>
          <Input
            name="name"
            defaultValue={template?.name ?? ""}
            maxLength={80}
            placeholder="Fire, Lockdown, Weather, All clear…"
          />
        </FormField>
        <FormField label="Message" error={fieldErrors.audioId} required>
          <Select name="audioId" defaultValue={template?.audioId ?? messages[0]?.id}>
            {messages.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </Select>
        </FormField>
      </div>
      <div className="flex flex-wrap items-end gap-x-6 gap-y-3">
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="requireAck" className="size-4" defaultChecked={template?.requireAck ?? true} />
          Require acknowledgement
        </label>
        <FormField label="Play the message" className="w-40" error={fieldErrors.repeat}>
          <Select name="repeat" defaultValue={String(template?.repeat ?? 1)}>
            {[1, 2, 3, 4, 5].map((n) => (
              <option key={n} value={n}>
                {n === 1 ? "once" : `${n} times`}
              </option>
            ))}
          </Select>
        </FormField>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : template ? "Save" : "Create template"}
        </Button>
      </div>
    </form>
  );
}

export function DeleteTemplateButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  return (
    <ConfirmButton
      variant="ghost"
      size="sm"
      aria-label={`Delete template ${name}`}
      destructive
      title={`Delete the template "${name}"?`}
      description="PAs already sent keep their message."
      confirmLabel="Delete template"
      pendingLabel="Deleting…"
      onConfirm={async () => {
        const r = await deletePaTemplateAction({ id });
        if (!r.ok) toast.error(r.error);
        else router.refresh();
      }}
    >
      <Trash2 aria-hidden /> Delete
    </ConfirmButton>
  );
}
