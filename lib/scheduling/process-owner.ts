/**
 * The owner name of work this process claims when it is not a named engine worker (a server
 * action scheduling a wake-up at once): host and pid, so a log line or a claim row says which
 * process it was.
 */
import os from "node:os";

export function processOwner(): string {
  return `${os.hostname()}:${process.pid}`;
}
