"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { WakeUpSeries } from "@/lib/wakeups/list-wakeups";
import { createWakeUpAction, updateWakeUpAction } from "../actions";

type Values = {
  room: string;
  guestName: string;
  destination: string;
  localTime: string;
  recurrence: "once" | "daily" | "weekdays" | "custom";
  customRrule: string;
  startDate: string;
  untilDate: string;
  timeZone: string;
  snoozeMinutes: string;
  maxSnoozes: string;
  retries: string;
  escalateTo: string;
  /** Empty: the site's wake-up tolerance. */
  toleranceMinutes: string;
};

const EMPTY: Values = {
  room: "",
  guestName: "",
  destination: "",
  localTime: "07:00",
  recurrence: "once",
  customRrule: "",
  startDate: "",
  untilDate: "",
  timeZone: "",
  snoozeMinutes: "9",
  maxSnoozes: "3",
  retries: "2",
  escalateTo: "",
  toleranceMinutes: "",
};

function fromSeries(s: WakeUpSeries): Values {
  return {
    room: s.room,
    guestName: s.guestName,
    destination: s.destination === s.room ? "" : s.destination,
    localTime: s.localTime,
    recurrence: s.recurrence,
    customRrule: s.recurrence === "custom" ? (s.rrule ?? "") : "",
    startDate: s.startDate,
    untilDate: s.untilDate ?? "",
    timeZone: s.timeZone,
    snoozeMinutes: String(s.snoozeMinutes),
    maxSnoozes: String(s.maxSnoozes),
    retries: String(s.retries),
    escalateTo: s.escalateTo ?? "",
    toleranceMinutes: s.toleranceMinutes === null ? "" : String(s.toleranceMinutes),
  };
}

/**
 * Fast booking: room, time and recurrence up front; guest zone, dates, snooze and escalation
 * below. Also the edit form (with `series`), which replaces the whole booking.
 */
export function WakeUpForm({
  siteTimeZone,
  timeZones,
  series,
  defaultEscalateTo,
  siteToleranceMinutes,
  onDone,
}: {
  siteTimeZone: string;
  timeZones: string[];
  series?: WakeUpSeries;
  defaultEscalateTo?: string;
  /** The site's wake-up tolerance, shown as what an empty field means. */
  siteToleranceMinutes?: number;
  onDone?: () => void;
}) {
  const router = useRouter();
  const initial = series ? fromSeries(series) : { ...EMPTY, escalateTo: defaultEscalateTo ?? "" };
  const [values, setValues] = useState<Values>(initial);
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [pending, startTransition] = useTransition();
  const set = (k: keyof Values) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setValues((v) => ({ ...v, [k]: e.target.value }));
  const idp = series ? `edit-${series.id}` : "new";

  function submit(event: React.FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const payload = {
        ...values,
        customRrule: values.recurrence === "custom" ? values.customRrule : "",
        snoozeMinutes: Number(values.snoozeMinutes),
        maxSnoozes: Number(values.maxSnoozes),
        retries: Number(values.retries),
      };
      const result = series ? await updateWakeUpAction({ id: series.id, ...payload }) : await createWakeUpAction(payload);
      if (!result.ok) {
        setError(result.error);
        setFieldErrors(result.fieldErrors ?? {});
        return;
      }
      setError(undefined);
      setFieldErrors({});
      toast.success(
        series ? `Wake-up for room ${values.room} updated` : `Wake-up booked for room ${values.room} at ${values.localTime}`,
      );
      if (!series)
        setValues((v) => ({
          ...EMPTY,
          escalateTo: v.escalateTo,
          snoozeMinutes: v.snoozeMinutes,
          maxSnoozes: v.maxSnoozes,
          retries: v.retries,
        }));
      router.refresh();
      onDone?.();
    });
  }

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4" aria-label={series ? "Edit wake-up" : "Book a wake-up"}>
      {error ? <Alert variant="error">{error}</Alert> : null}
      <div className="grid grid-cols-2 gap-3">
        <FormField label="Room" required error={fieldErrors.room}>
          <Input id={`${idp}-room`} value={values.room} onChange={set("room")} placeholder="101" autoComplete="off" />
        </FormField>
        <FormField label="Time" required error={fieldErrors.localTime}>
          <Input id={`${idp}-time`} type="time" value={values.localTime} onChange={set("localTime")} />
        </FormField>
        <FormField label="Repeat" error={fieldErrors.recurrence}>
          <Select id={`${idp}-recurrence`} value={values.recurrence} onChange={set("recurrence")}>
            <option value="once">Once</option>
            <option value="daily">Every day</option>
            <option value="weekdays">Weekdays (Mon–Fri)</option>
            <option value="custom">Custom rule…</option>
          </Select>
        </FormField>
        <FormField label="Until (check-out)" error={fieldErrors.untilDate}>
          <Input
            id={`${idp}-until`}
            type="date"
            value={values.untilDate}
            onChange={set("untilDate")}
            disabled={values.recurrence === "once"}
          />
        </FormField>
      </div>
      {values.recurrence === "custom" ? (
        <FormField
          label="Custom RRULE"
          required
          error={fieldErrors.customRrule}
          description="Daily or slower, e.g. FREQ=WEEKLY;BYDAY=SA,SU. The time and until date come from the fields above."
        >
          <Input
            id={`${idp}-rrule`}
            value={values.customRrule}
            onChange={set("customRrule")}
            placeholder="FREQ=WEEKLY;BYDAY=SA,SU"
            className="font-mono"
          />
        </FormField>
      ) : null}
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <FormField label="Guest name" error={fieldErrors.guestName}>
          <Input id={`${idp}-guest`} value={values.guestName} onChange={set("guestName")} autoComplete="off" />
        </FormField>
        <FormField label="Phone to ring" error={fieldErrors.destination} description="Empty: the room's extension.">
          <Input
            id={`${idp}-destination`}
            value={values.destination}
            onChange={set("destination")}
            placeholder="PJSIP/101"
            autoComplete="off"
          />
        </FormField>
      </div>
      <details className="rounded-md border border-slate-200 px-3 py-2 text-sm" open={Boolean(series)}>
        <summary className="cursor-pointer font-medium text-slate-700">Time zone, start date, snooze and escalation</summary>
        <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2">
          <FormField label="Guest time zone" error={fieldErrors.timeZone}>
            <Select id={`${idp}-zone`} value={values.timeZone} onChange={set("timeZone")}>
              <option value="">Site default ({siteTimeZone})</option>
              {timeZones.map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </Select>
          </FormField>
          <FormField label="First day" error={fieldErrors.startDate} description="Empty: the next time this time comes round.">
            <Input id={`${idp}-start`} type="date" value={values.startDate} onChange={set("startDate")} />
          </FormField>
          <FormField label="Snooze minutes" error={fieldErrors.snoozeMinutes}>
            <Input
              id={`${idp}-snooze`}
              type="number"
              min={1}
              max={60}
              value={values.snoozeMinutes}
              onChange={set("snoozeMinutes")}
            />
          </FormField>
          <FormField label="Max snoozes" error={fieldErrors.maxSnoozes}>
            <Input
              id={`${idp}-max-snoozes`}
              type="number"
              min={0}
              max={10}
              value={values.maxSnoozes}
              onChange={set("maxSnoozes")}
            />
          </FormField>
          <FormField label="Retries if no answer" error={fieldErrors.retries}>
            <Input id={`${idp}-retries`} type="number" min={0} max={10} value={values.retries} onChange={set("retries")} />
          </FormField>
          <FormField
            label="Front desk to alert"
            error={fieldErrors.escalateTo}
            description="Called when the guest does not confirm: no answer, or answered without pressing a key."
          >
            <Input
              id={`${idp}-escalate`}
              value={values.escalateTo}
              onChange={set("escalateTo")}
              placeholder="100"
              autoComplete="off"
            />
          </FormField>
          <FormField
            label="Latest ring (minutes late)"
            error={fieldErrors.toleranceMinutes}
            description={`If Spoolcast was not running at the wake-up time, the call still rings up to this many minutes late; later it is not rung and the front desk is alerted. Empty: the site's setting${siteToleranceMinutes ? ` (${siteToleranceMinutes} min)` : ""}.`}
          >
            <Input
              id={`${idp}-tolerance`}
              type="number"
              min={1}
              max={120}
              value={values.toleranceMinutes}
              onChange={set("toleranceMinutes")}
              placeholder={siteToleranceMinutes ? String(siteToleranceMinutes) : ""}
            />
          </FormField>
        </div>
      </details>
      <div className="flex justify-end gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : series ? "Save changes" : "Book wake-up"}
        </Button>
      </div>
    </form>
  );
}
