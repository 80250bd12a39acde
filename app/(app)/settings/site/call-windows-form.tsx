"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { PA_VALID_RANGE, WAKEUP_TOLERANCE_RANGE } from "@/lib/settings/call-window-fields";
import { saveCallWindowSettingsAction } from "./actions";

/**
 * How late a call may still be dialled after Spoolcast was not running at its time. A call
 * later than this is never dialled: it ends "Missed: Spoolcast was not running at the time".
 */
export function CallWindowsForm({ initial }: { initial: { wakeupToleranceMinutes: number; paValidMinutes: number } }) {
  const [pending, startTransition] = useTransition();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  return (
    <Card className="max-w-xl p-5">
      <h2 id="call-windows-heading" className="font-semibold text-slate-900">
        Late calls
      </h2>
      <p className="mt-1 mb-4 text-sm text-slate-600">
        If Spoolcast was not running when a call was due, it is still dialled when Spoolcast starts again, but only this long
        after its time. Later than that it is not dialled and shows &quot;Missed: Spoolcast was not running at the time&quot;; a
        missed wake-up alerts the front desk. Applies to calls queued from now on. Click-to-call waits 2 minutes; a
        campaign&apos;s calls keep to its calling window and end.
      </p>
      <form
        noValidate
        aria-labelledby="call-windows-heading"
        className="flex flex-col gap-4"
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          startTransition(async () => {
            const r = await saveCallWindowSettingsAction({
              wakeupToleranceMinutes: String(form.get("wakeupToleranceMinutes")),
              paValidMinutes: String(form.get("paValidMinutes")),
            });
            if (r.ok) {
              setFieldErrors({});
              toast.success("Late-call settings saved");
            } else {
              setFieldErrors(r.fieldErrors ?? {});
              toast.error(r.error);
            }
          });
        }}
      >
        <FormField
          label="Wake-up tolerance (minutes)"
          error={fieldErrors.wakeupToleranceMinutes}
          description="A wake-up rings at most this late. A booking can set its own."
          required
        >
          <Input
            name="wakeupToleranceMinutes"
            type="number"
            inputMode="numeric"
            min={WAKEUP_TOLERANCE_RANGE.min}
            max={WAKEUP_TOLERANCE_RANGE.max}
            defaultValue={initial.wakeupToleranceMinutes}
          />
        </FormField>
        <FormField
          label="PA validity (minutes)"
          error={fieldErrors.paValidMinutes}
          description="A PA announcement (or a test call) is dialled at most this long after it was launched: an evacuation announced long after the event does harm."
          required
        >
          <Input
            name="paValidMinutes"
            type="number"
            inputMode="numeric"
            min={PA_VALID_RANGE.min}
            max={PA_VALID_RANGE.max}
            defaultValue={initial.paValidMinutes}
          />
        </FormField>
        <Button type="submit" disabled={pending} className="self-end">
          {pending ? "Saving…" : "Save"}
        </Button>
      </form>
    </Card>
  );
}
