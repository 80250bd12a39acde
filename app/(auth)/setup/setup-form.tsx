"use client";

import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password-policy";
import { setupFirstAdminAction } from "../actions";

export function SetupForm() {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    if (password !== String(form.get("confirm") ?? "")) {
      setError(undefined);
      setFieldErrors({ confirm: "The two passwords differ." });
      return;
    }
    startTransition(async () => {
      const result = await setupFirstAdminAction({
        name: String(form.get("name") ?? ""),
        email: String(form.get("email") ?? ""),
        password,
      });
      if (!result.ok) {
        setError(result.error);
        setFieldErrors(result.fieldErrors ?? {});
      }
    });
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
      {error ? <Alert variant="error">{error}</Alert> : null}
      <FormField label="Your name" error={fieldErrors.name} required>
        <Input name="name" autoComplete="name" />
      </FormField>
      <FormField label="Email" error={fieldErrors.email} required>
        <Input name="email" type="email" autoComplete="username" />
      </FormField>
      <FormField
        label="Password"
        error={fieldErrors.password}
        description={`At least ${PASSWORD_MIN_LENGTH} characters.`}
        required
      >
        <Input name="password" type="password" autoComplete="new-password" />
      </FormField>
      <FormField label="Confirm password" error={fieldErrors.confirm} required>
        <Input name="confirm" type="password" autoComplete="new-password" />
      </FormField>
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? "Creating account…" : "Create administrator"}
      </Button>
    </form>
  );
}
