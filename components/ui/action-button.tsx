"use client";

import { Button, type ButtonProps } from "@/components/ui/button";
import { useAction } from "@/components/ui/use-action";

/**
 * A button that runs an async action once at a time: disabled and relabelled while it runs,
 * and a click during the run is ignored (useAction). Every action button uses this or
 * ConfirmButton, so no action can be sent twice by an impatient double-click.
 */
export function ActionButton({
  action,
  pendingLabel,
  children,
  disabled,
  ...props
}: Omit<ButtonProps, "onClick" | "asChild"> & {
  action: () => Promise<unknown> | unknown;
  /** Shown instead of the children while the action runs, e.g. "Saving…". */
  pendingLabel?: React.ReactNode;
}) {
  const { run, pending } = useAction(action);
  return (
    <Button {...props} disabled={disabled || pending} aria-busy={pending || undefined} onClick={() => void run()}>
      {pending && pendingLabel ? pendingLabel : children}
    </Button>
  );
}
