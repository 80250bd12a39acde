"use client";

import { useRef, useState } from "react";
import { toast } from "sonner";

/**
 * The double-submit guard: `run` starts `action` unless one is already running, in which case it
 * does nothing. The guard is a ref, set in the same tick as the click, so a second click that
 * arrives before React re-renders the button as disabled is still ignored (a state flag alone
 * lets it through: that is how a double-click rang a desk phone twice). `pending` is for the UI.
 * An action that navigates away on success returns STAY_DISABLED: the button then stays disabled
 * until the page is gone, so a click during the navigation cannot send it again.
 * An action that THROWS (the server answered 500, the network is down) must not replace the page
 * or lose what the user typed: the error is caught here and shown as a toast with "Try again",
 * which runs the same action with the same arguments.
 */
export const STAY_DISABLED = Symbol("stay disabled");

export function useAction<A extends unknown[]>(
  action: (...args: A) => Promise<unknown> | unknown,
): { run: (...args: A) => Promise<void>; pending: boolean } {
  const running = useRef(false);
  const [pending, setPending] = useState(false);
  async function run(...args: A) {
    if (running.current) return;
    running.current = true;
    setPending(true);
    let stay = false;
    try {
      stay = (await action(...args)) === STAY_DISABLED;
    } catch {
      toast.error(actionFailedMessage(), {
        id: "action-failed",
        action: { label: "Try again", onClick: () => void run(...args) },
      });
    } finally {
      if (!stay) {
        running.current = false;
        setPending(false);
      }
    }
  }
  return { run, pending };
}

/**
 * Plain words for an action that threw. It does not claim "nothing was done": a server that failed
 * mid-way may have done part of it, so the user is told to check before trying again.
 */
export function actionFailedMessage(): string {
  const offline = typeof navigator !== "undefined" && navigator.onLine === false;
  return offline
    ? "Not sent: this device is offline. What you typed is kept; try again when the connection returns."
    : "The server could not be reached or failed, so this may not have been done. What you typed is kept; check, then try again.";
}
