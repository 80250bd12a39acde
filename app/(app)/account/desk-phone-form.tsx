"use client";

import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { useAction } from "@/components/ui/use-action";
import { Input } from "@/components/ui/input";
import { setOwnDeskEndpointAction } from "./actions";

export function DeskPhoneForm({ deskEndpoint }: { deskEndpoint: string | null }) {
  const [error, setError] = useState<string>();
  const { run: save, pending } = useAction(async (value: string) => {
    const result = await setOwnDeskEndpointAction({ deskEndpoint: value });
    if (result.ok) {
      setError(undefined);
      toast.success(result.data.deskEndpoint ? `Desk phone set to ${result.data.deskEndpoint}` : "Desk phone removed");
    } else setError(result.fieldErrors?.deskEndpoint ?? result.error);
  });

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get("deskEndpoint") ?? "");
    void save(value);
  }

  return (
    <form onSubmit={onSubmit} className="flex max-w-sm flex-col gap-4" noValidate>
      <FormField
        label="Desk phone"
        error={error}
        description="The Asterisk endpoint of your phone, e.g. PJSIP/1001. Leave empty to remove it."
      >
        <Input
          name="deskEndpoint"
          defaultValue={deskEndpoint ?? ""}
          placeholder="PJSIP/1001"
          autoComplete="off"
          spellCheck={false}
        />
      </FormField>
      <div>
        <Button type="submit" variant="outline" disabled={pending}>
          {pending ? "Saving…" : "Save desk phone"}
        </Button>
      </div>
    </form>
  );
}
