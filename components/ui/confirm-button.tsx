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
import { Button, type ButtonProps } from "@/components/ui/button";
import { useAction } from "@/components/ui/use-action";

/**
 * The one confirmation for destructive or call-placing actions: a button that opens a styled
 * dialog, and the action runs only from the dialog's confirm button, once (useAction guards
 * re-entry). The dialog stays open while the action runs, so its outcome is seen, and closes
 * after; focus then returns to the button that opened it, Escape included (Radix restores focus
 * to the trigger). `onConfirm` returning false keeps the dialog open (e.g. to show an error).
 */
export function ConfirmButton({
  title,
  description,
  confirmLabel,
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
  /** Shown on the confirm button while the action runs, e.g. "Stopping…". */
  pendingLabel?: string;
  destructive?: boolean;
  onConfirm: () => Promise<boolean | void> | boolean | void;
}) {
  const [open, setOpen] = useState(false);
  const { run, pending } = useAction(async () => {
    const keepOpen = (await onConfirm()) === false;
    if (!keepOpen) setOpen(false);
  });
  return (
    <AlertDialog
      open={open}
      // Not closed mid-action: the action's result (a toast, an error) belongs to this dialog.
      onOpenChange={(next) => {
        if (!pending) setOpen(next);
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
        <AlertDialogFooter>
          <AlertDialogCancel disabled={pending}>Cancel</AlertDialogCancel>
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
