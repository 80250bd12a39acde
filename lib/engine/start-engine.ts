/**
 * Starts the engine for this process from the validated environment: inside the Next.js
 * server (instrumentation.ts, SPOOLCAST_ENGINE=inline) or as `npm run worker`. With
 * ASTERISK_SIMULATOR on, it also starts the bundled simulator on the default spool and the
 * ExternalIVR server, so `npm start` alone is a working system.
 */
import { db as sharedDb, type Db } from "@/lib/db";
import { env } from "@/lib/env";
import { serializeCallFile } from "@/lib/callfile/serialize";
import { parseCallFile } from "@/lib/callfile/parse";
import { openHostTransport } from "@/lib/engine/host-transport";
import { createEngine, type Engine, type EngineOptions } from "@/lib/engine/engine";
import { ensureDefaultHost } from "@/lib/engine/default-host";
import { engineLog } from "@/lib/engine/logger";

export type RunningEngine = { engine: Engine; stop: () => Promise<void> };

const g = globalThis as unknown as { spoolcastEngine?: Promise<RunningEngine> };

/** Starts once per process (Next.js may evaluate instrumentation more than once in dev). */
export function startEngine(overrides: Partial<EngineOptions> & { db?: Db; withSimulator?: boolean } = {}): Promise<RunningEngine> {
  g.spoolcastEngine ??= boot(overrides).catch((e: unknown) => {
    g.spoolcastEngine = undefined;
    throw e;
  });
  return g.spoolcastEngine;
}

async function boot(overrides: Partial<EngineOptions> & { db?: Db; withSimulator?: boolean }): Promise<RunningEngine> {
  const e = env();
  const db = overrides.db ?? sharedDb();
  const withSimulator = overrides.withSimulator ?? e.simulator;
  // The bundled simulator runs the Spoolcast dialplan snippet, so a host created for it uses
  // dialplan mode: failed calls then report busy / no answer / congestion, not just "expired".
  await ensureDefaultHost(db, e, withSimulator ? { ivrMode: "dialplan" } : {});
  const stops: Array<() => Promise<void> | void> = [];
  if (withSimulator) {
    const { startSimulator } = await import("@/lib/asterisk-sim/index");
    // The snippet must point at this process's IVR server, and SPOOLCAST_SIM_CALLEES makes
    // callee outcomes known in advance (e2e tests, demos).
    const sim = await startSimulator({
      spoolDir: e.spoolDir,
      soundsDir: e.soundsDir,
      ivrAddress: e.ivrPublicAddress,
      ...(e.simCallees ? { callees: e.simCallees } : {}),
    });
    stops.push(() => sim.stop());
    engineLog.info({ spoolDir: e.spoolDir }, "Asterisk simulator started");
  }
  if (withSimulator) {
    const { startIvrServer } = await import("@/lib/ivr/server");
    const { createPrismaIvrStore } = await import("@/lib/ivr/prisma-store");
    // Timeouts given explicitly: startIvrServer passes unset ones on as undefined, which would
    // override the session defaults and make the P handshake time out at once.
    const ivr = await startIvrServer({
      listen: e.ivrListen,
      secret: e.secret,
      store: createPrismaIvrStore(db),
      soundsDir: e.soundsDir,
      handshakeTimeoutMs: 10_000,
      kickAfterMs: 400,
    });
    stops.push(() => ivr.close());
    engineLog.info({ listen: e.ivrListen }, "IVR server started");
  }
  const engine = createEngine({
    db,
    provider: e.provider,
    secret: e.secret,
    ivrPublicAddress: e.ivrPublicAddress,
    transportFor: openHostTransport,
    serialize: serializeCallFile,
    parse: parseCallFile,
    ...overrides,
  });
  engine.start();
  engineLog.info({ worker: engine.workerId }, "engine started");
  // Campaigns release their calls gradually (window, pacing, retries): lib/campaigns/campaign-scheduler.ts.
  const { startCampaignScheduler } = await import("@/lib/campaigns/campaign-scheduler");
  const stopCampaigns = startCampaignScheduler(db, engine.workerId);
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
