/**
 * The IVR server running in this process, if any, so the engine status page can show its
 * counters. Kept on globalThis under a registered symbol: Next.js loads the instrumentation
 * hook (which starts the server) and the pages in separate module graphs of one process.
 */
import type { IvrServerStats } from "./server";

const KEY = Symbol.for("spoolcast.ivr.running-server");

type Running = { address: string; stats(): IvrServerStats };
type Holder = { [KEY]?: Running };

/** Records `server` as this process's IVR server; returns a function that forgets it again. */
export function registerRunningIvrServer(server: Running): () => void {
  const holder = globalThis as Holder;
  holder[KEY] = server;
  return () => {
    if (holder[KEY] === server) delete holder[KEY];
  };
}

/** The address and counters of this process's IVR server, or null when it runs elsewhere (or not at all). */
export function runningIvrServer(): { address: string; stats: IvrServerStats } | null {
  const server = (globalThis as Holder)[KEY];
  return server ? { address: server.address, stats: server.stats() } : null;
}
