"use client";

import { UserPlus } from "lucide-react";
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
import { Select } from "@/components/ui/select";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password-policy";
import { createUserAction } from "./actions";

/** The admin's "Add user" form: name, email, role and an initial password to hand over. */
export function CreateUserDialog() {
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  function reset(next: boolean) {
    setOpen(next);
    if (!next) {
      setError(undefined);
      setFieldErrors({});
    }
  }

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const result = await createUserAction({
        name: String(form.get("name") ?? ""),
        email: String(form.get("email") ?? ""),
        role: String(form.get("role") ?? "") as "viewer",
        password: String(form.get("password") ?? ""),
      });
      if (result.ok) {
        toast.success(`${result.data.name} can now sign in`);
        reset(false);
      } else {
        setError(result.error);
        setFieldErrors(result.fieldErrors ?? {});
      }
    });
  }

  return (
    <Dialog open={open} onOpenChange={reset}>
      <DialogTrigger asChild>
        <Button>
          <UserPlus aria-hidden /> Add user
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Add a user</DialogTitle>
          <DialogDescription>
            Give the person their email and this initial password; an administrator can reset it later.
          </DialogDescription>
        </DialogHeader>
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
          {error && Object.keys(fieldErrors).length === 0 ? <Alert variant="error">{error}</Alert> : null}
          <FormField label="Name" error={fieldErrors.name} required>
            <Input name="name" autoComplete="off" />
          </FormField>
          <FormField label="Email" error={fieldErrors.email} required>
            <Input name="email" type="email" autoComplete="off" />
          </FormField>
          <FormField label="Role" error={fieldErrors.role} required>
            <Select name="role" defaultValue="viewer">
              <option value="viewer">Viewer — read only</option>
              <option value="operator">Operator — contacts, PA, campaigns, calls</option>
              <option value="admin">Admin — everything</option>
            </Select>
          </FormField>
          <FormField
            label="Initial password"
            error={fieldErrors.password}
            description={`At least ${PASSWORD_MIN_LENGTH} characters.`}
            required
          >
            <Input name="password" type="password" autoComplete="new-password" />
          </FormField>
          <DialogFooter>
            <Button variant="outline" onClick={() => reset(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? "Creating…" : "Create user"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
