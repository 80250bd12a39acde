"use client";

import { Pencil } from "lucide-react";
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
import { updateCampaignAction } from "../actions";

export type EditableCampaign = {
  id: string;
  state: string;
  name: string;
  endAt: string | null;
  windowStart: string;
  windowEnd: string;
  maxConcurrent: number;
  perMinute: number;
  retryCount: number;
  retryIntervalSec: number;
};

const pad = (n: number) => String(n).padStart(2, "0");

/** "2026-11-23T18:00:00Z" → the value of a datetime-local input in the browser's zone. */
function toLocalInput(iso: string | null): string {
  if (!iso) return "";
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * The settings that may change once a campaign has started (name, end, window hours, pacing,
 * retries); a finished campaign may only be renamed. The server enforces the same rule.
 */
export function EditCampaignDialog({ campaign }: { campaign: EditableCampaign }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const finished = campaign.state === "completed" || campaign.state === "cancelled";
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline">
          <Pencil aria-hidden /> Edit
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Edit campaign</DialogTitle>
          <DialogDescription>
            {finished
              ? "A finished campaign can only be renamed."
              : "Who is called and what they hear are fixed once the campaign has started."}
          </DialogDescription>
        </DialogHeader>
        <form
          noValidate
          className="flex flex-col gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const num = (k: string) => Number(f.get(k));
            const endLocal = String(f.get("endAt") ?? "");
            const input = finished
              ? { id: campaign.id, name: String(f.get("name") ?? "") }
              : {
                  id: campaign.id,
                  name: String(f.get("name") ?? ""),
                  endAt: endLocal ? new Date(endLocal).toISOString() : null,
                  windowStart: String(f.get("windowStart") ?? ""),
                  windowEnd: String(f.get("windowEnd") ?? ""),
                  maxConcurrent: num("maxConcurrent"),
                  perMinute: num("perMinute"),
                  retryCount: num("retryCount"),
                  retryIntervalSec: Math.round(num("retryIntervalMin") * 60),
                };
            startTransition(async () => {
              const r = await updateCampaignAction(input);
              if (r.ok) {
                setErrors({});
                setError(undefined);
                setOpen(false);
                toast.success("Campaign saved");
                router.refresh();
              } else {
                const fe = { ...r.fieldErrors };
                if (fe.retryIntervalSec) fe.retryIntervalMin = fe.retryIntervalSec;
                setErrors(fe);
                setError(r.error);
              }
            });
          }}
        >
          {error ? <Alert variant="error">{error}</Alert> : null}
          <FormField label="Name" error={errors.name} required>
            <Input name="name" defaultValue={campaign.name} maxLength={120} />
          </FormField>
          {finished ? null : (
            <>
              <FormField label="End (optional)" error={errors.endAt}>
                <Input name="endAt" type="datetime-local" defaultValue={toLocalInput(campaign.endAt)} />
              </FormField>
              <div className="grid grid-cols-2 gap-3">
                <FormField label="Window from" error={errors.windowStart}>
                  <Input name="windowStart" type="time" defaultValue={campaign.windowStart} />
                </FormField>
                <FormField label="Window until" error={errors.windowEnd}>
                  <Input name="windowEnd" type="time" defaultValue={campaign.windowEnd} />
                </FormField>
                <FormField label="Calls at once" error={errors.maxConcurrent}>
                  <Input name="maxConcurrent" type="number" min={1} defaultValue={campaign.maxConcurrent} />
                </FormField>
                <FormField label="New calls per minute" error={errors.perMinute}>
                  <Input name="perMinute" type="number" min={1} defaultValue={campaign.perMinute} />
                </FormField>
                <FormField label="Retries" error={errors.retryCount}>
                  <Input name="retryCount" type="number" min={0} defaultValue={campaign.retryCount} />
                </FormField>
                <FormField label="Minutes between retries" error={errors.retryIntervalMin}>
                  <Input
                    name="retryIntervalMin"
                    type="number"
                    min={0.1}
                    step="any"
                    defaultValue={campaign.retryIntervalSec / 60}
                  />
                </FormField>
              </div>
            </>
          )}
          <DialogFooter>
            <Button type="submit" disabled={pending}>
              Save
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
