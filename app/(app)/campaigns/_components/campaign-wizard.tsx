"use client";

import { ChevronLeft, ChevronRight, Search, X } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { STAY_DISABLED, useAction } from "@/components/ui/use-action";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { campaignFieldsSchema, RETRY_OUTCOMES } from "@/lib/campaigns/campaign.schema";
import { retryChoiceLabel } from "@/lib/calls/outcome-words";
import { DEFAULT_RETRY_CHOICES, RETRY_CHOICE_HELP } from "@/lib/calls/retry-choices";
import { createCampaignAction, searchContactsAction } from "../actions";

type Option = { id: string; name: string };
type Picked = { id: string; name: string; phone: string };

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

const STEPS = [
  { title: "Who", fields: ["name", "groupIds", "contactIds"] },
  { title: "Message", fields: ["audioId", "requireAck", "maxReplays", "callerId", "hostId"] },
  { title: "When", fields: ["startAt", "endAt", "windowDays", "windowStart", "windowEnd"] },
  { title: "Pacing and retries", fields: ["maxConcurrent", "perMinute", "retryCount", "retryIntervalSec", "retryOn"] },
  { title: "Review", fields: [] },
] as const;

function toggle(list: string[], id: string): string[] {
  return list.includes(id) ? list.filter((x) => x !== id) : [...list, id];
}

/** A local date-time input value ("2026-11-23T09:00") → ISO instant in the browser's zone. */
function toIso(local: string): string | null {
  if (!local) return null;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString();
}

/**
 * The campaign wizard: one form in five steps. "Next" validates the step's fields with the
 * same zod schema the server uses; the server validates everything again on submit and its
 * field errors take the user back to the step that holds the field.
 */
export function CampaignWizard({
  groups,
  audios,
  hosts,
}: {
  groups: (Option & { memberCount: number })[];
  audios: Option[];
  hosts: Option[];
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [step, setStep] = useState(0);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [v, setV] = useState({
    name: "",
    groupIds: [] as string[],
    audioId: audios[0]?.id ?? "",
    requireAck: true,
    maxReplays: "2",
    callerId: "",
    hostId: "",
    startAt: "",
    endAt: "",
    windowDays: [1, 2, 3, 4, 5] as number[],
    windowStart: "09:00",
    windowEnd: "20:00",
    maxConcurrent: "10",
    perMinute: "60",
    retryCount: "2",
    retryIntervalMin: "10",
    retryOn: [...DEFAULT_RETRY_CHOICES] as string[],
  });
  const [contacts, setContacts] = useState<Picked[]>([]);
  const [q, setQ] = useState("");
  const [matches, setMatches] = useState<Picked[] | null>(null);

  const set = <K extends keyof typeof v>(k: K, value: (typeof v)[K]) => {
    setV((old) => ({ ...old, [k]: value }));
    // A message is about the value it was shown for; editing the field clears it.
    setErrors(({ [k]: _gone, ...rest }) => rest);
  };

  function input() {
    return {
      name: v.name,
      groupIds: v.groupIds,
      contactIds: contacts.map((c) => c.id),
      audioId: v.audioId,
      requireAck: v.requireAck,
      maxReplays: Number(v.maxReplays),
      callerId: v.callerId,
      hostId: v.hostId || null,
      startAt: toIso(v.startAt),
      endAt: toIso(v.endAt),
      windowDays: v.windowDays,
      windowStart: v.windowStart,
      windowEnd: v.windowEnd,
      maxConcurrent: Number(v.maxConcurrent),
      perMinute: Number(v.perMinute),
      retryCount: Number(v.retryCount),
      retryIntervalSec: Math.round(Number(v.retryIntervalMin) * 60),
      retryOn: v.retryOn as (typeof RETRY_OUTCOMES)[number][],
    };
  }

  function validateStep(i: number): Record<string, string> {
    const fields = STEPS[i]!.fields as readonly string[];
    const r = campaignFieldsSchema.safeParse(input());
    const out: Record<string, string> = {};
    if (!r.success) {
      for (const issue of r.error.issues) {
        const key = String(issue.path[0]);
        if (fields.includes(key)) out[key] ??= issue.message;
      }
    }
    if (i === 0 && v.groupIds.length === 0 && contacts.length === 0) out.groupIds = "Choose at least one group or contact";
    if (i === 2 && v.windowEnd <= v.windowStart) out.windowEnd ??= "The window must end after it starts (same day)";
    if (i === 2 && v.startAt && v.endAt && v.endAt <= v.startAt) out.endAt ??= "The end must be after the start";
    return out;
  }

  function next() {
    const e = validateStep(step);
    setErrors(e);
    if (Object.keys(e).length === 0) setStep(step + 1);
  }

  function search() {
    startTransition(async () => {
      const r = await searchContactsAction({ q });
      if (r.ok) setMatches(r.data);
      else toast.error(r.error);
    });
  }

  // One campaign per click of "Create and start", however fast the clicks (useAction).
  const { run: submit, pending: submitting } = useAction(async (start: boolean) => {
    const r = await createCampaignAction({ ...input(), start });
    if (r.ok) {
      toast.success(start ? "Campaign started" : "Draft saved");
      router.push(`/campaigns/${r.data.id}`);
      return STAY_DISABLED;
    }
    const fe = r.fieldErrors ?? {};
    const top: Record<string, string> = {};
    for (const [k, msg] of Object.entries(fe)) top[k.split(".")[0]!] ??= msg;
    if (top.retryIntervalSec) top.retryIntervalMin = top.retryIntervalSec;
    setErrors(top);
    setFormError(r.error);
    const at = STEPS.findIndex((s) => (s.fields as readonly string[]).some((f) => f in top));
    if (at >= 0) setStep(at);
  });

  const audioName = audios.find((a) => a.id === v.audioId)?.name ?? "—";
  return (
    <div className="flex max-w-3xl flex-col gap-5">
      <ol className="flex flex-wrap gap-2 text-sm" aria-label="Steps">
        {STEPS.map((s, i) => (
          <li
            key={s.title}
            aria-current={i === step ? "step" : undefined}
            className={
              i === step
                ? "rounded-full bg-blue-600 px-3 py-1 font-medium text-white"
                : "rounded-full bg-slate-100 px-3 py-1 text-slate-600"
            }
          >
            {i + 1}. {s.title}
          </li>
        ))}
      </ol>
      {formError ? <Alert variant="error">{formError}</Alert> : null}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (step < STEPS.length - 1) next();
        }}
        className="flex flex-col gap-5 rounded-lg border border-slate-200 bg-white p-5"
      >
        <h2 className="text-lg font-semibold text-slate-900">{STEPS[step]!.title}</h2>
        {step === 0 ? (
          <>
            <FormField label="Campaign name" error={errors.name} required>
              <Input value={v.name} onChange={(e) => set("name", e.target.value)} maxLength={120} autoComplete="off" />
            </FormField>
            <fieldset aria-describedby={errors.groupIds ? "groups-error" : undefined}>
              <legend className="mb-2 text-sm font-medium text-slate-900">Groups</legend>
              {groups.length === 0 ? (
                <p className="text-sm text-slate-500">No groups yet: add them under Contacts → Groups.</p>
              ) : null}
              <div className="grid gap-2 sm:grid-cols-2">
                {groups.map((g) => (
                  <label key={g.id} className="flex items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      checked={v.groupIds.includes(g.id)}
                      onChange={() => set("groupIds", toggle(v.groupIds, g.id))}
                    />
                    {g.name} <span className="text-slate-500">({g.memberCount})</span>
                  </label>
                ))}
              </div>
              {errors.groupIds ? (
                <p id="groups-error" className="mt-1 text-sm text-red-700">
                  {errors.groupIds}
                </p>
              ) : null}
            </fieldset>
            <fieldset className="flex flex-col gap-2">
              <legend className="mb-2 text-sm font-medium text-slate-900">Individual contacts</legend>
              <div className="flex gap-2">
                <Input
                  aria-label="Find contacts by name or number"
                  placeholder="Name or number"
                  value={q}
                  onChange={(e) => setQ(e.target.value)}
                  onKeyDown={(e) => {
                    if (e.key === "Enter") {
                      e.preventDefault();
                      search();
                    }
                  }}
                />
                <Button type="button" variant="secondary" onClick={search} disabled={pending}>
                  <Search aria-hidden /> Find
                </Button>
              </div>
              {matches ? (
                matches.length === 0 ? (
                  <p className="text-sm text-slate-500">No contacts match.</p>
                ) : (
                  <ul className="max-h-48 divide-y divide-slate-100 overflow-y-auto rounded border border-slate-200">
                    {matches.map((m) => (
                      <li key={m.id} className="flex items-center justify-between gap-2 px-3 py-1.5 text-sm">
                        <span>
                          {m.name} <span className="text-slate-500">{m.phone || "no number"}</span>
                        </span>
                        <Button
                          type="button"
                          size="sm"
                          variant="outline"
                          disabled={contacts.some((c) => c.id === m.id)}
                          onClick={() => {
                            setContacts([...contacts, m]);
                            setErrors(({ groupIds: _gone, ...rest }) => rest);
                          }}
                        >
                          Add
                        </Button>
                      </li>
                    ))}
                  </ul>
                )
              ) : null}
              {contacts.length > 0 ? (
                <ul className="flex flex-wrap gap-2" aria-label="Chosen contacts">
                  {contacts.map((c) => (
                    <li key={c.id} className="flex items-center gap-1 rounded-full bg-slate-100 py-0.5 pr-1 pl-3 text-sm">
                      {c.name}
                      <button
                        type="button"
                        className="rounded-full p-0.5 hover:bg-slate-200"
                        aria-label={`Remove ${c.name}`}
                        onClick={() => setContacts(contacts.filter((x) => x.id !== c.id))}
                      >
                        <X className="size-3.5" aria-hidden />
                      </button>
                    </li>
                  ))}
                </ul>
              ) : null}
              <p className="text-xs text-slate-500">
                A number in several groups is called once. Numbers on the do-not-call list are skipped and listed with the reason.
              </p>
            </fieldset>
          </>
        ) : null}
        {step === 1 ? (
          <>
            <FormField label="Message" error={errors.audioId} required description="From the message library (Messages).">
              <Select value={v.audioId} onChange={(e) => set("audioId", e.target.value)}>
                <option value="">Choose a message…</option>
                {audios.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </Select>
            </FormField>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={v.requireAck} onChange={(e) => set("requireAck", e.target.checked)} />
              Ask callees to press 1 to acknowledge
            </label>
            <FormField label="Replays the callee may ask for (press 2)" error={errors.maxReplays}>
              <Input
                type="number"
                min={0}
                max={10}
                value={v.maxReplays}
                onChange={(e) => set("maxReplays", e.target.value)}
                className="w-28"
              />
            </FormField>
            <FormField
              label="Caller ID"
              error={errors.callerId}
              description={'e.g. "Clinic" <2125550100>; empty = the host\'s default.'}
            >
              <Input value={v.callerId} onChange={(e) => set("callerId", e.target.value)} maxLength={80} />
            </FormField>
            <FormField label="Asterisk host" error={errors.hostId}>
              <Select value={v.hostId} onChange={(e) => set("hostId", e.target.value)}>
                <option value="">Default host</option>
                {hosts.map((h) => (
                  <option key={h.id} value={h.id}>
                    {h.name}
                  </option>
                ))}
              </Select>
            </FormField>
          </>
        ) : null}
        {step === 2 ? (
          <>
            <div className="grid gap-4 sm:grid-cols-2">
              <FormField label="Start" error={errors.startAt} description="Empty = as soon as it is started.">
                <Input type="datetime-local" value={v.startAt} onChange={(e) => set("startAt", e.target.value)} />
              </FormField>
              <FormField label="End (optional)" error={errors.endAt} description="Nobody is called after this.">
                <Input type="datetime-local" value={v.endAt} onChange={(e) => set("endAt", e.target.value)} />
              </FormField>
            </div>
            <fieldset>
              <legend className="mb-2 text-sm font-medium text-slate-900">
                Calling window, in each callee&apos;s own time zone
              </legend>
              <div className="flex flex-wrap gap-3">
                {DAYS.map((d, i) => (
                  <label key={d} className="flex items-center gap-1.5 text-sm">
                    <input
                      type="checkbox"
                      checked={v.windowDays.includes(i + 1)}
                      onChange={() =>
                        set(
                          "windowDays",
                          v.windowDays.includes(i + 1)
                            ? v.windowDays.filter((x) => x !== i + 1)
                            : [...v.windowDays, i + 1].sort(),
                        )
                      }
                    />
                    {d}
                  </label>
                ))}
              </div>
              {errors.windowDays ? <p className="mt-1 text-sm text-red-700">{errors.windowDays}</p> : null}
            </fieldset>
            <div className="grid grid-cols-2 gap-4 sm:max-w-sm">
              <FormField label="From" error={errors.windowStart}>
                <Input type="time" value={v.windowStart} onChange={(e) => set("windowStart", e.target.value)} />
              </FormField>
              <FormField label="Until" error={errors.windowEnd}>
                <Input type="time" value={v.windowEnd} onChange={(e) => set("windowEnd", e.target.value)} />
              </FormField>
            </div>
            <p className="text-xs text-slate-500">Contacts without a time zone use the site&apos;s default time zone.</p>
          </>
        ) : null}
        {step === 3 ? (
          <>
            <div className="grid gap-4 sm:grid-cols-2">
              <FormField label="At most this many calls at once" error={errors.maxConcurrent}>
                <Input
                  type="number"
                  min={1}
                  max={500}
                  value={v.maxConcurrent}
                  onChange={(e) => set("maxConcurrent", e.target.value)}
                />
              </FormField>
              <FormField label="New calls per minute" error={errors.perMinute}>
                <Input type="number" min={1} max={6000} value={v.perMinute} onChange={(e) => set("perMinute", e.target.value)} />
              </FormField>
              <FormField label="Retries" error={errors.retryCount} description="Extra calls to someone not reached.">
                <Input type="number" min={0} max={10} value={v.retryCount} onChange={(e) => set("retryCount", e.target.value)} />
              </FormField>
              <FormField label="Minutes between retries" error={errors.retryIntervalMin ?? errors.retryIntervalSec}>
                <Input
                  type="number"
                  min={1}
                  step="any"
                  value={v.retryIntervalMin}
                  onChange={(e) => set("retryIntervalMin", e.target.value)}
                />
              </FormField>
            </div>
            <fieldset>
              <legend className="mb-2 text-sm font-medium text-slate-900">Retry when the call ends with</legend>
              <div className="grid gap-2 sm:grid-cols-2">
                {RETRY_OUTCOMES.map((o) => (
                  <div key={o} className="text-sm">
                    <label className="flex items-center gap-2">
                      <input
                        type="checkbox"
                        checked={v.retryOn.includes(o)}
                        onChange={() => set("retryOn", toggle(v.retryOn, o))}
                        aria-describedby={RETRY_CHOICE_HELP[o] ? `retry-help-${o}` : undefined}
                      />
                      {retryChoiceLabel(o)}
                    </label>
                    {RETRY_CHOICE_HELP[o] ? (
                      <p id={`retry-help-${o}`} className="mt-1 ml-6 text-xs text-slate-500">
                        {RETRY_CHOICE_HELP[o]}
                      </p>
                    ) : null}
                  </div>
                ))}
              </div>
            </fieldset>
          </>
        ) : null}
        {step === 4 ? (
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
            <dt className="text-slate-500">Name</dt>
            <dd>{v.name}</dd>
            <dt className="text-slate-500">Who</dt>
            <dd>
              {v.groupIds.length} group(s){contacts.length ? `, ${contacts.length} contact(s)` : ""}:{" "}
              {groups
                .filter((g) => v.groupIds.includes(g.id))
                .map((g) => g.name)
                .join(", ") || "—"}
            </dd>
            <dt className="text-slate-500">Message</dt>
            <dd>
              {audioName} {v.requireAck ? "(press 1 to acknowledge)" : "(no acknowledgement)"}
            </dd>
            <dt className="text-slate-500">Window</dt>
            <dd>
              {v.windowDays.map((d) => DAYS[d - 1]).join(", ")} {v.windowStart}–{v.windowEnd}, callee&apos;s time
            </dd>
            <dt className="text-slate-500">Pacing</dt>
            <dd>
              {v.maxConcurrent} at once, {v.perMinute} per minute
            </dd>
            <dt className="text-slate-500">Retries</dt>
            <dd>
              {v.retryCount} every {v.retryIntervalMin} min on {v.retryOn.map(retryChoiceLabel).join(", ") || "nothing"}
            </dd>
          </dl>
        ) : null}
        <div className="flex flex-wrap justify-between gap-2 border-t border-slate-100 pt-4">
          <Button type="button" variant="outline" onClick={() => setStep(step - 1)} disabled={step === 0 || pending}>
            <ChevronLeft aria-hidden /> Back
          </Button>
          {step < STEPS.length - 1 ? (
            <Button type="submit">
              Next <ChevronRight aria-hidden />
            </Button>
          ) : (
            <div className="flex flex-wrap gap-2">
              <Button type="button" variant="outline" onClick={() => void submit(false)} disabled={pending || submitting}>
                Save as draft
              </Button>
              <Button type="button" onClick={() => void submit(true)} disabled={pending || submitting}>
                Create and start
              </Button>
            </div>
          )}
        </div>
      </form>
    </div>
  );
}
