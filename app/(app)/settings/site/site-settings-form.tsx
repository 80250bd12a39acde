"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Select } from "@/components/ui/select";
import { saveSiteSettingsAction } from "./actions";

export function SiteSettingsForm({
  initial,
  countries,
  timeZones,
}: {
  initial: { defaultCountry: string; defaultTimeZone: string };
  countries: { code: string; name: string }[];
  timeZones: string[];
}) {
  const [pending, startTransition] = useTransition();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  return (
    <Card className="max-w-xl p-5">
      <form
        noValidate
        className="flex flex-col gap-4"
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          startTransition(async () => {
            const r = await saveSiteSettingsAction({
              defaultCountry: String(form.get("defaultCountry")),
              defaultTimeZone: String(form.get("defaultTimeZone")),
            });
            if (r.ok) {
              setFieldErrors({});
              toast.success("Site defaults saved");
            } else {
              setFieldErrors(r.fieldErrors ?? {});
              toast.error(r.error);
            }
          });
        }}
      >
        <FormField
          label="Default country"
          error={fieldErrors.defaultCountry}
          description="Numbers without + are read as numbers of this country."
          required
        >
          <Select name="defaultCountry" defaultValue={initial.defaultCountry}>
            {countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name} ({c.code})
              </option>
            ))}
          </Select>
        </FormField>
        <FormField label="Default time zone" error={fieldErrors.defaultTimeZone} required>
          <Select name="defaultTimeZone" defaultValue={initial.defaultTimeZone}>
            {timeZones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </Select>
        </FormField>
        <Button type="submit" disabled={pending} className="self-end">
          {pending ? "Saving…" : "Save"}
        </Button>
      </form>
    </Card>
  );
}
