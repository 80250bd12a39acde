/**
 * Starts the engine for this process from the validated environment: inside the Next.js
 * server (instrumentation.ts, SPOOLCAST_ENGINE=inline) or as `npm run worker`. With
 * ASTERISK_SIMULATOR on, it also starts the bundled simulator on the default spool and the
 * ExternalIVR server, so `npm start` alone is a working system.
 */
import { db as sharedDb, type Db } from "@/lib/db";
import { env } from "@/lib/env";
import { sqlitePath } from "@/lib/db/migrate";
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
  await ensureDefaultHost(db, e);
  const stops: Array<() => Promise<void> | void> = [];
  if (overrides.withSimulator ?? e.simulator) {
    const { startSimulator } = await import("@/lib/asterisk-sim/index");
    const sim = await startSimulator({ spoolDir: e.spoolDir, soundsDir: e.soundsDir });
    stops.push(() => sim.stop());
    engineLog.info({ spoolDir: e.spoolDir }, "Asterisk simulator started");
  }
  if (overrides.withSimulator ?? e.simulator) {
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
    // Reconcile batches go through a direct SQLite connection when the database is ours to name.
    sqliteFile: !overrides.db && e.provider === "sqlite" ? sqlitePath(e.databaseUrl) : undefined,
    ...overrides,
  });
  engine.start();
  engineLog.info({ worker: engine.workerId }, "engine started");
  return {
    engine,
    stop: async () => {
      await engine.stop();
      for (const s of stops.toReversed()) await s();
      g.spoolcastEngine = undefined;
    },
  };
}
