"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { ActionButton } from "@/components/ui/action-button";
import { FormField } from "@/components/ui/form-field";
import { LocalTime } from "@/components/ui/local-time";
import { Select } from "@/components/ui/select";
import { useBrowserZone, useNow } from "@/components/ui/viewer-time-zone";
import { setOwnTimeZoneAction } from "./actions";

/**
 * The zone times are shown in. "Your browser's" follows the computer (and moves with a laptop);
 * a chosen zone holds on every browser, e.g. for a supervisor reading a remote site's log.
 */
export function TimeZoneForm({ timeZone, zones }: { timeZone: string | null; zones: string[] }) {
  const router = useRouter();
  const [value, setValue] = useState(timeZone ?? "");
  const [error, setError] = useState<string>();
  const browserZone = useBrowserZone();
  const now = useNow();

  async function save() {
    const result = await setOwnTimeZoneAction({ timeZone: value });
    if (!result.ok) {
      setError(result.fieldErrors?.timeZone ?? result.error);
      return;
    }
    setError(undefined);
    toast.success(result.data.timeZone ? `Times now shown in ${result.data.timeZone}` : "Times now follow your browser");
    router.refresh();
  }

  return (
    <form onSubmit={(e) => e.preventDefault()} className="flex max-w-sm flex-col gap-4" noValidate>
      <FormField
        label="Show times in"
        error={error}
        description={
          <>
            It is now <LocalTime iso={now === null ? null : new Date(now).toISOString()} fallback="…" /> on the clock times are
            shown in.
          </>
        }
      >
        <Select name="timeZone" value={value} onChange={(e) => setValue(e.target.value)}>
          <option value="">Your browser&apos;s time zone{browserZone ? ` (${browserZone})` : ""}</option>
          {zones.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </Select>
      </FormField>
      <div>
        <ActionButton variant="outline" action={save} pendingLabel="Saving…">
          Save time zone
        </ActionButton>
      </div>
    </form>
  );
}
