/**
 * Starts the engine for this process from the validated environment: inside the Next.js
 * server (instrumentation.ts, SPOOLCAST_ENGINE=inline) or as `npm run worker`. With
 * ASTERISK_SIMULATOR on, it also starts the bundled simulator on the default spool; the
 * ExternalIVR server always runs with the engine, so `npm start` alone is a working system. It also runs the wake-up
 * and campaign schedulers next to the engine; each runs in one process at a time, under its
 * lease (lib/scheduling/periodic-runner.ts), whose owner is this engine's worker id.
 *
 * Test/demo-only variables read here:
 * - SPOOLCAST_SIM_CALLEES: JSON array of simulator callee rules (format of
 *   lib/asterisk-sim/callees.example.json) or a path to such a file; unmatched callees use the
 *   seeded demo mix. Used by e2e tests for deterministic answer / no-answer / key presses.
 * - SPOOLCAST_WAKEUP_TIME_SCALE: divides wake-up snooze, retry and ring times (e.g. 60 → one
 *   snooze minute lasts one second). For e2e only; default 1.
 */
import { db as sharedDb, type Db } from "@/lib/db";
import { env } from "@/lib/env";
import { sqlitePath } from "@/lib/db/migrate";
import { serializeCallFile } from "@/lib/callfile/serialize";
import { parseCallFile } from "@/lib/callfile/parse";
import { openHostTransport } from "@/lib/engine/host-transport";
import { createEngine, type Engine, type EngineOptions } from "@/lib/engine/engine";
import { ensureDefaultHost } from "@/lib/engine/default-host";
import { backfillValidUntil } from "@/lib/engine/valid-until-backfill";
import { log } from "@/lib/log";
import { deliverGeneratedSounds, listGeneratedSounds } from "@/lib/audio/deliver";
import { soundStoreDir } from "@/lib/audio/store";
import type { CalleeRule } from "@/lib/asterisk-sim/callees";

const engineLog = log.child({ module: "engine" });

export type StartOptions = Partial<EngineOptions> & {
  db?: Db;
  withSimulator?: boolean;
  withIvr?: boolean;
  /** Test-only: the wake-up scheduler's step hook (crash tests), as `onStep` is the engine's. */
  onWakeUpStep?: (step: "wakeup-claimed") => void | Promise<void>;
};

export type RunningEngine = { engine: Engine; stop: () => Promise<void> };

const g = globalThis as unknown as { spoolcastEngine?: Promise<RunningEngine> };

/** Starts once per process (Next.js may evaluate instrumentation more than once in dev). */
export function startEngine(overrides: StartOptions = {}): Promise<RunningEngine> {
  g.spoolcastEngine ??= boot(overrides).catch((e: unknown) => {
    g.spoolcastEngine = undefined;
    throw e;
  });
  return g.spoolcastEngine;
}

async function boot(overrides: StartOptions): Promise<RunningEngine> {
  const e = env();
  const db = overrides.db ?? sharedDb();
  const withSimulator = overrides.withSimulator ?? e.simulator;
  // The bundled simulator runs the Spoolcast dialplan snippet, so a host created for it uses
  // dialplan mode: failed calls then report busy / no answer / congestion, not just "expired".
  await ensureDefaultHost(db, e, withSimulator ? { ivrMode: "dialplan" } : {});
  const stops: Array<() => Promise<void> | void> = [];
  // IVR tokens: signed with the current secret, accepted with the previous one for a grace
  // period after a rotation from Settings (lib/ivr/ivr-secret.ts).
  const { createIvrSecretSource } = await import("@/lib/ivr/ivr-secret");
  const ivrSecrets = await createIvrSecretSource(db, e.secret);
  stops.push(() => ivrSecrets.stop());
  if (withSimulator) {
    const { startSimulator } = await import("@/lib/asterisk-sim/index");
    // The snippet must point at this process's IVR server, and SPOOLCAST_SIM_CALLEES makes
    // callee outcomes known in advance (e2e tests, demos): an inline JSON array or a file path.
    const sim = await startSimulator({
      spoolDir: e.spoolDir,
      soundsDir: e.soundsDir,
      ivrAddress: e.ivrPublicAddress,
      ...(e.simCallees
        ? { callees: e.simCallees.startsWith("[") ? (JSON.parse(e.simCallees) as CalleeRule[]) : e.simCallees }
        : {}),
    });
    stops.push(() => sim.stop());
    engineLog.info({ spoolDir: e.spoolDir }, "Asterisk simulator started");
  }
  // Asterisk connects here once a callee answers, real or simulated, so the IVR server runs
  // with every engine. Several workers on one machine share one listener: the first binds it,
  // the others log and go on (sessions are stored in the shared database either way).
  if (overrides.withIvr ?? true) {
    const { startIvrServer } = await import("@/lib/ivr/server");
    const { createPrismaIvrStore } = await import("@/lib/ivr/prisma-store");
    try {
      const ivr = await startIvrServer({
        listen: e.ivrListen,
        secret: e.secret,
        secrets: ivrSecrets.verifying,
        store: createPrismaIvrStore(db),
        // System prompts are generated into the sound store and delivered from there to every
        // host's sounds root below, like messages (lib/audio/deliver.ts).
        soundsDir: soundStoreDir(e.dataDir),
        ...e.ivrLimits,
      });
      stops.push(() => ivr.close());
      engineLog.info({ listen: e.ivrListen }, "IVR server started");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
      engineLog.warn(
        { listen: e.ivrListen },
        "IVR address already in use on this machine: another Spoolcast process serves IVR sessions",
      );
    }
  }
  // Every host gets the system prompts (and wake-up sounds) it is missing, read back to verify.
  // In the background: an unreachable SFTP host must not hold up the start.
  const promptsDelivered = deliverGeneratedSounds(db, await listGeneratedSounds(soundStoreDir(e.dataDir)), {
    storeDir: soundStoreDir(e.dataDir),
  })
    .then((byHost) => {
      const failed = [...byHost.values()].flat().filter((o) => o.state === "failed");
      if (failed.length > 0)
        engineLog.warn({ failed: failed.length, error: failed[0]!.error }, "system prompts not delivered to every host");
    })
    .catch((err: unknown) => engineLog.error({ err }, "system prompt delivery failed"));
  stops.push(() => promptsDelivered);
  // Before anything is claimed: calls queued by an older Spoolcast get their valid-until, so
  // those long past it are missed instead of dialled late (lib/engine/valid-until-backfill.ts).
  const backfilled = await backfillValidUntil(db);
  if (backfilled > 0) engineLog.info({ calls: backfilled }, "queued calls without a valid-until were given one");
  const engine = createEngine({
    db,
    provider: e.provider,
    secret: e.secret,
    signingSecret: ivrSecrets.signing,
    ivrPublicAddress: e.ivrPublicAddress,
    transportFor: openHostTransport,
    serialize: serializeCallFile,
    parse: parseCallFile,
    // Reconcile batches go through a direct SQLite connection when the database is ours to name.
    sqliteFile: !overrides.db && e.provider === "sqlite" ? sqlitePath(e.databaseUrl) : undefined,
    ...overrides,
  });
  engine.start();
  engineLog.info({ worker: engine.workerId }, "engine started");
  const { startWakeUpScheduler, schedulerOptionsFromEnv } = await import("@/lib/wakeups/wakeup-scheduler");
  const wakeUpOptions = schedulerOptionsFromEnv(engineLog);
  // The schedulers' leases (and a wake-up claim's life) follow the engine's host lease, so a
  // test that shortens one (SPOOLCAST_ENGINE_LEASE_MS) shortens them all.
  const leaseMs = overrides.leaseMs;
  stops.push(
    startWakeUpScheduler(db, {
      ...wakeUpOptions,
      owner: engine.workerId,
      intervalMs: (wakeUpOptions.timeScale ?? 1) > 1 ? 1000 : 5000,
      ...(leaseMs ? { leaseMs, claimTtlMs: leaseMs } : {}),
      ...(overrides.onWakeUpStep ? { onStep: overrides.onWakeUpStep } : {}),
    }),
  );
  // Campaigns release their calls gradually (window, pacing, retries): lib/campaigns/campaign-scheduler.ts.
  const { startCampaignScheduler } = await import("@/lib/campaigns/campaign-scheduler");
  const stopCampaigns = startCampaignScheduler(db, engine.workerId, leaseMs ? { leaseMs } : {});
  return {
    engine,
    stop: async () => {
      await stopCampaigns();
      await engine.stop();
      for (const s of stops.toReversed()) await s();
      g.spoolcastEngine = undefined;
    },
  };
}
