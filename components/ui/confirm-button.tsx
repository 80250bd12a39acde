"use client";

import { useState } from "react";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Alert } from "@/components/ui/alert";
import { Button, type ButtonProps } from "@/components/ui/button";
import { useAction } from "@/components/ui/use-action";

/**
 * The one confirmation for destructive or call-placing actions: a button that opens a styled
 * dialog, and the action runs only from the dialog's confirm button, once (useAction guards
 * re-entry). The dialog stays open while the action runs, so its outcome is seen, and closes
 * after; focus then returns to the button that opened it, Escape included (Radix restores focus
 * to the trigger). `onConfirm` returning a string keeps the dialog open with that refusal shown
 * in it (e.g. "it is used by 2 templates"); returning false keeps it open silently.
 */
export function ConfirmButton({
  title,
  description,
  confirmLabel,
  cancelLabel = "Cancel",
  pendingLabel,
  destructive = false,
  onConfirm,
  children,
  disabled,
  ...trigger
}: Omit<ButtonProps, "onClick" | "asChild" | "title"> & {
  title: string;
  description: React.ReactNode;
  confirmLabel: string;
  /** The button that closes the dialog doing nothing, e.g. "Keep" where "Cancel" is the action itself. */
  cancelLabel?: string;
  /** Shown on the confirm button while the action runs, e.g. "Stopping…". */
  pendingLabel?: string;
  destructive?: boolean;
  onConfirm: () => Promise<string | boolean | void> | string | boolean | void;
}) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  const { run, pending } = useAction(async () => {
    setError(undefined);
    const result = await onConfirm();
    if (typeof result === "string") setError(result);
    else if (result !== false) setOpen(false);
  });
  return (
    <AlertDialog
      open={open}
      // Not closed mid-action: the action's result (a toast, an error) belongs to this dialog.
      onOpenChange={(next) => {
        if (pending) return;
        setOpen(next);
        setError(undefined);
      }}
    >
      <AlertDialogTrigger asChild>
        <Button {...trigger} disabled={disabled || pending}>
          {children}
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>{title}</AlertDialogTitle>
          <AlertDialogDescription asChild={typeof description !== "string"}>
            {typeof description === "string" ? description : <div>{description}</div>}
          </AlertDialogDescription>
        </AlertDialogHeader>
        {error ? <Alert variant="error">{error}</Alert> : null}
        <AlertDialogFooter>
          <AlertDialogCancel disabled={pending}>{cancelLabel}</AlertDialogCancel>
          <Button
            variant={destructive ? "destructive" : "default"}
            disabled={pending}
            aria-busy={pending || undefined}
            onClick={() => void run()}
          >
            {pending && pendingLabel ? pendingLabel : confirmLabel}
          </Button>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
