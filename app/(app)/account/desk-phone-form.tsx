"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { setOwnDeskEndpointAction } from "./actions";

export function DeskPhoneForm({ deskEndpoint }: { deskEndpoint: string | null }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string>();

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get("deskEndpoint") ?? "");
    startTransition(async () => {
      const result = await setOwnDeskEndpointAction({ deskEndpoint: value });
      if (result.ok) {
        setError(undefined);
        toast.success(result.data.deskEndpoint ? `Desk phone set to ${result.data.deskEndpoint}` : "Desk phone removed");
      } else setError(result.fieldErrors?.deskEndpoint ?? result.error);
    });
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
