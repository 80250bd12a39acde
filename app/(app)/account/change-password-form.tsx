"use client";

import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { useAction } from "@/components/ui/use-action";
import { Input } from "@/components/ui/input";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password-policy";
import { changeOwnPasswordAction } from "./actions";

export function ChangePasswordForm() {
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const { run: save, pending } = useAction(async (formElement: HTMLFormElement, currentPassword: string, newPassword: string) => {
    const result = await changeOwnPasswordAction({ currentPassword, newPassword });
    if (result.ok) {
      setFieldErrors({});
      formElement.reset();
      toast.success("Password changed");
    } else {
      setFieldErrors(result.fieldErrors ?? {});
      if (!result.fieldErrors) toast.error(result.error);
    }
  });

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const newPassword = String(form.get("newPassword") ?? "");
    if (newPassword !== String(form.get("confirm") ?? "")) {
      setFieldErrors({ confirm: "The two passwords differ." });
      return;
    }
    void save(formElement, String(form.get("currentPassword") ?? ""), newPassword);
  }

  return (
    <form onSubmit={onSubmit} className="flex max-w-sm flex-col gap-4" noValidate>
      <FormField label="Current password" error={fieldErrors.currentPassword} required>
        <Input name="currentPassword" type="password" autoComplete="current-password" />
      </FormField>
      <FormField
        label="New password"
        error={fieldErrors.newPassword}
        description={`At least ${PASSWORD_MIN_LENGTH} characters.`}
        required
      >
        <Input name="newPassword" type="password" autoComplete="new-password" />
      </FormField>
      <FormField label="Confirm new password" error={fieldErrors.confirm} required>
        <Input name="confirm" type="password" autoComplete="new-password" />
      </FormField>
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Change password"}
        </Button>
      </div>
    </form>
  );
}
