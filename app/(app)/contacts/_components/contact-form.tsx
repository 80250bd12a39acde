"use client";

import { Plus, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { createContactAction, updateContactAction } from "../actions";

export type ContactFormValues = {
  id?: string;
  name: string;
  phones: { number: string; label: string }[];
  deskEndpoint: string;
  timeZone: string;
  language: string;
  tags: string;
  notes: string;
};

/** Errors for tags come back per tag ("tags.2"); the form shows them on the one field. */
function errorFor(errors: Record<string, string>, field: string): string | undefined {
  return errors[field] ?? Object.entries(errors).find(([k]) => k.startsWith(`${field}.`))?.[1];
}

let phoneKey = 0;

/** Create or edit a contact. Every error comes from the server and is shown next to its field. */
export function ContactForm({
  initial,
  timeZones,
  defaultCountry,
}: {
  initial: ContactFormValues;
  timeZones: string[];
  defaultCountry: string;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [phones, setPhones] = useState(() =>
    (initial.phones.length ? initial.phones : [{ number: "", label: "" }]).map((p) => ({ ...p, key: phoneKey++ })),
  );
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const isNew = !initial.id;

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = {
      name: String(form.get("name") ?? ""),
      phones: phones
        .map((p, i) => ({ number: String(form.get(`phone-${i}`) ?? ""), label: String(form.get(`label-${i}`) ?? "") }))
        .filter((p) => p.number.trim() !== "" || p.label.trim() !== ""),
      deskEndpoint: String(form.get("deskEndpoint") ?? ""),
      timeZone: String(form.get("timeZone") ?? ""),
      language: String(form.get("language") ?? ""),
      tags: String(form.get("tags") ?? ""),
      notes: String(form.get("notes") ?? ""),
    };
    startTransition(async () => {
      const result = initial.id ? await updateContactAction({ ...input, id: initial.id }) : await createContactAction(input);
      if (result.ok) {
        setError(undefined);
        setFieldErrors({});
        toast.success(isNew ? `${input.name.trim()} added` : `${input.name.trim()} saved`);
        if (isNew) router.push(`/contacts/${result.data.id}`);
        else router.refresh();
      } else {
        setError(result.error);
        setFieldErrors(result.fieldErrors ?? {});
      }
    });
  }

  return (
    <form onSubmit={onSubmit} className="flex max-w-2xl flex-col gap-5" noValidate>
      {error ? (
        <Alert variant="error">
          {Object.keys(fieldErrors).length > 0 ? "Some fields need attention; see the messages below." : error}
        </Alert>
      ) : null}
      <FormField label="Name" error={fieldErrors.name} required>
        <Input name="name" defaultValue={initial.name} autoComplete="off" maxLength={200} />
      </FormField>

      <fieldset className="flex flex-col gap-3">
        <legend className="mb-1 text-sm font-medium text-slate-900">
          Phone numbers and extensions
          <span aria-hidden className="text-red-600">
            {" "}
            *
          </span>
        </legend>
        <p className="-mt-2 text-xs text-slate-500">
          An extension (101), an endpoint (PJSIP/101) or a phone number. National numbers are read as {defaultCountry} numbers;
          start with + for other countries.
        </p>
        {phones.map((p, i) => (
          <div key={p.key} className="grid grid-cols-[1fr_10rem_auto] items-start gap-2">
            <FormField label={`Number ${i + 1}`} error={fieldErrors[`phones.${i}.number`]}>
              <Input name={`phone-${i}`} defaultValue={p.number} autoComplete="off" />
            </FormField>
            <FormField label="Label" error={fieldErrors[`phones.${i}.label`]}>
              <Input name={`label-${i}`} defaultValue={p.label} placeholder="mobile, desk…" autoComplete="off" />
            </FormField>
            <Button
              variant="ghost"
              size="icon"
              className="mt-6"
              aria-label={`Remove phone ${i + 1}`}
              disabled={phones.length === 1}
              onClick={() => setPhones(phones.filter((x) => x.key !== p.key))}
            >
              <Trash2 aria-hidden />
            </Button>
          </div>
        ))}
        {fieldErrors.phones ? <p className="text-xs font-medium text-red-700">{fieldErrors.phones}</p> : null}
        <div>
          <Button
            variant="outline"
            size="sm"
            onClick={() => setPhones([...phones, { number: "", label: "", key: phoneKey++ }])}
            disabled={phones.length >= 10}
          >
            <Plus aria-hidden /> Add another number
          </Button>
        </div>
      </fieldset>

      <div className="grid gap-5 sm:grid-cols-2">
        <FormField label="Desk endpoint" error={fieldErrors.deskEndpoint} description="For click-to-call, e.g. PJSIP/1001.">
          <Input name="deskEndpoint" defaultValue={initial.deskEndpoint} autoComplete="off" />
        </FormField>
        <FormField label="Time zone" error={fieldErrors.timeZone} description="IANA name, e.g. Europe/Paris.">
          <Input name="timeZone" defaultValue={initial.timeZone} list="time-zones" autoComplete="off" />
        </FormField>
        <FormField label="Language" error={fieldErrors.language} description="e.g. en, fr, pt-BR.">
          <Input name="language" defaultValue={initial.language} autoComplete="off" />
        </FormField>
        <FormField label="Tags" error={errorFor(fieldErrors, "tags")} description="Separated by commas, e.g. vip, night-shift.">
          <Input name="tags" defaultValue={initial.tags} autoComplete="off" />
        </FormField>
      </div>
      <datalist id="time-zones">
        {timeZones.map((z) => (
          <option key={z} value={z}>
            {z}
          </option>
        ))}
      </datalist>
      <FormField label="Notes" error={fieldErrors.notes}>
        <Textarea name="notes" defaultValue={initial.notes} rows={4} maxLength={2000} />
      </FormField>
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : isNew ? "Add contact" : "Save changes"}
        </Button>
        <Button variant="outline" onClick={() => router.push("/contacts")}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
