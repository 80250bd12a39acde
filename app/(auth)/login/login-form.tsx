"use client";

import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { signInAction } from "../actions";

export function LoginForm({ next }: { next?: string }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      // On success the action redirects; it only returns when something is wrong.
      const result = await signInAction({
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        next,
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
      <FormField label="Email" error={fieldErrors.email} required>
        <Input name="email" type="email" autoComplete="username" />
      </FormField>
      <FormField label="Password" error={fieldErrors.password} required>
        <Input name="password" type="password" autoComplete="current-password" />
      </FormField>
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? "Signing in…" : "Sign in"}
      </Button>
      <p className="text-center text-xs text-slate-500">
        Forgot your password? An administrator can set a new one in Settings → Users.
      </p>
    </form>
  );
}
