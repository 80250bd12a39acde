/**
 * In-process wake-ups for the engine: enqueueing or cancelling in the same process (inline
 * engine) wakes the dispatcher at once instead of waiting for its next poll. Other processes
 * (npm run worker) find the work on their next poll. Kept on globalThis so Next.js module
 * duplication between route bundles still shares one emitter.
 */
import { EventEmitter } from "node:events";

const g = globalThis as unknown as { spoolcastEngineSignals?: EventEmitter };

export function engineSignals(): EventEmitter {
  if (!g.spoolcastEngineSignals) {
    g.spoolcastEngineSignals = new EventEmitter();
    g.spoolcastEngineSignals.setMaxListeners(50);
  }
  return g.spoolcastEngineSignals;
}

/** Tells engines in this process that there is work. */
export function wakeEngine(): void {
  engineSignals().emit("wake");
}
