"use client";

import { Trash2, Upload } from "lucide-react";
import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { addDncAction, importDncAction, removeDncAction } from "../actions";

/** Add one number, or import a CSV file of numbers (first column or a "number" column). */
export function DncForms() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [report, setReport] = useState<{
    added: number;
    alreadyListed: number;
    errors: { row: number; value: string; error: string }[];
  } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  return (
    <div className="mb-6 grid gap-4 lg:grid-cols-2">
      <form
        ref={formRef}
        noValidate
        className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          startTransition(async () => {
            const r = await addDncAction({ number: String(f.get("number") ?? ""), reason: String(f.get("reason") ?? "") });
            if (r.ok) {
              setErrors({});
              toast.success(`${r.data.destination} will not be called`);
              formRef.current?.reset();
              router.refresh();
            } else setErrors(r.fieldErrors ?? { number: r.error });
          });
        }}
      >
        <h2 className="text-base font-semibold">Add a number</h2>
        <FormField
          label="Phone number, extension or endpoint"
          error={errors.number}
          description="For example +44 20 7946 0000, 101 or PJSIP/101."
          required
        >
          <Input name="number" autoComplete="off" placeholder="+44 20 7946 0000" />
        </FormField>
        <FormField label="Reason" error={errors.reason}>
          <Input name="reason" maxLength={200} placeholder="e.g. asked by phone on 3 May" />
        </FormField>
        <Button type="submit" disabled={pending} className="self-start">
          Add to list
        </Button>
      </form>
      <form
        noValidate
        className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          startTransition(async () => {
            const r = await importDncAction(f);
            if (r.ok) {
              setReport(r.data);
              toast.success(`${r.data.added} numbers added`);
              router.refresh();
            } else toast.error(r.error);
          });
        }}
      >
        <h2 className="text-base font-semibold">Import a CSV file</h2>
        <FormField
          label="CSV file"
          description='Numbers in the first column, or in a column named "number"; an optional "reason" column.'
        >
          <Input name="file" type="file" accept=".csv,text/csv" />
        </FormField>
        <Button type="submit" variant="secondary" disabled={pending} className="self-start">
          <Upload aria-hidden /> Import
        </Button>
        {report ? (
          <Alert variant={report.errors.length ? "warning" : "success"}>
            {report.added} added, {report.alreadyListed} already listed, {report.errors.length} rejected.
            {report.errors.length ? (
              <ul className="mt-1 list-disc pl-5">
                {report.errors.slice(0, 10).map((er) => (
                  <li key={er.row}>
                    Row {er.row} ({er.value || "empty"}): {er.error}
                  </li>
                ))}
              </ul>
            ) : null}
          </Alert>
        ) : null}
      </form>
    </div>
  );
}

export function RemoveDncButton({ id, destination }: { id: string; destination: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <Button
      variant="ghost"
      size="sm"
      disabled={pending}
      aria-label={`Remove ${destination} from the list`}
      onClick={() =>
        startTransition(async () => {
          const r = await removeDncAction({ id });
          if (r.ok) {
            toast.success(`${destination} removed`);
            router.refresh();
          } else toast.error(r.error);
        })
      }
    >
      <Trash2 aria-hidden /> Remove
    </Button>
  );
}
