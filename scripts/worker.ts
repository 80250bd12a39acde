/**
 * `npm run worker`: the call engine as its own process (SPOOLCAST_ENGINE=off in the web
 * server). Several may run against one PostgreSQL; they share hosts through leases.
 * SIGINT/SIGTERM stop it cleanly (leases released); SIGKILL is survived by design.
 */
import { existsSync } from "node:fs";
import { env } from "@/lib/env";
import { migrate } from "@/lib/db/migrate";
import { startEngine } from "@/lib/engine/start-engine";
import { log } from "@/lib/log";
import { db } from "@/lib/db";
import { sealSecretsAtStartup } from "@/lib/secrets/at-rest";

if (process.env.SPOOLCAST_WORKER_MIGRATE !== "off") await migrate(env().databaseUrl);
await sealSecretsAtStartup(db());
const pollMs = process.env.SPOOLCAST_ENGINE_POLL_MS ? Number(process.env.SPOOLCAST_ENGINE_POLL_MS) : undefined;
const leaseMs = process.env.SPOOLCAST_ENGINE_LEASE_MS ? Number(process.env.SPOOLCAST_ENGINE_LEASE_MS) : undefined;
// Soak runs shorten lost detection so a forgotten file is flagged within the run.
const lostMarginMs = process.env.SPOOLCAST_ENGINE_LOST_MARGIN_MS
  ? Number(process.env.SPOOLCAST_ENGINE_LOST_MARGIN_MS)
  : undefined;
// Crash tests: SPOOLCAST_TEST_KILL_AT=<claimed|written|recorded|wakeup-claimed>:<n> kills this
// process with SIGKILL right after the n-th time the engine (or the wake-up scheduler, for
// wakeup-claimed) completes that step.
const killAt = /^(claimed|written|recorded|wakeup-claimed):(\d+)$/.exec(process.env.SPOOLCAST_TEST_KILL_AT ?? "");
let stepCount = 0;
const onStep = killAt
  ? (step: string) => {
      if (step === killAt[1] && ++stepCount >= Number(killAt[2])) process.kill(process.pid, "SIGKILL");
    }
  : undefined;
// Two-worker wake-up test: while SPOOLCAST_TEST_WAKEUP_HOLD_FILE exists, the wake-up scheduler
// waits right after each claim, so the test can start another process while a claim is live.
const holdFile = process.env.SPOOLCAST_TEST_WAKEUP_HOLD_FILE;
const onWakeUpStep =
  onStep || holdFile
    ? async (step: string) => {
        onStep?.(step);
        if (!holdFile) return;
        while (existsSync(holdFile)) await new Promise((r) => setTimeout(r, 100));
      }
    : undefined;
const running = await startEngine({
  ...(onStep ? { onStep } : {}),
  ...(onWakeUpStep ? { onWakeUpStep } : {}),
  ...(pollMs ? { pollMs } : {}),
  ...(leaseMs ? { leaseMs } : {}),
  ...(lostMarginMs ? { lostMarginMs } : {}),
  ...(process.env.SPOOLCAST_WORKER_ID ? { workerId: process.env.SPOOLCAST_WORKER_ID } : {}),
});
console.log(`spoolcast worker ${running.engine.workerId} running`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ module: "engine", signal }, "stopping worker");
    running.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        log.error({ module: "engine", err: e }, "worker stop failed");
        process.exit(1);
      },
    );
  });
}
