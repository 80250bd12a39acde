"use client";

import { useRef, useState } from "react";

/**
 * The double-submit guard: `run` starts `action` unless one is already running, in which case it
 * does nothing. The guard is a ref, set in the same tick as the click, so a second click that
 * arrives before React re-renders the button as disabled is still ignored (a state flag alone
 * lets it through: that is how a double-click rang a desk phone twice). `pending` is for the UI.
 * An action that navigates away on success returns STAY_DISABLED: the button then stays disabled
 * until the page is gone, so a click during the navigation cannot send it again.
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
    } finally {
      if (!stay) {
        running.current = false;
        setPending(false);
      }
    }
  }
  return { run, pending };
}
