/**
 * A whole PBX for an integration test: a temp root with `spool/outgoing` and `sounds/`, the
 * IVR server on a free port over the Prisma store, an `asteriskHost` row pointing at both,
 * the bundled simulator running the Spoolcast dialplan snippet rendered for that host, and
 * the engine on the real host transport (created, not started: the test enqueues first and
 * then calls `rig.engine.start()`). `stop()` ends them all and removes the temp root.
 *
 * Why one helper: the engine, simulator and IVR tests each copied these ~60 lines, and every
 * copy has to get the same details right — explicit IVR timeouts (the server passes unset
 * options through as undefined, which overrides the session's defaults), the snippet rendered
 * from the same address the host row and the engine use, and a teardown that stops the engine
 * before the simulator and the IVR server it talks to. The database stays the test's: the rig
 * is given a `db` and never drops it.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach } from "vitest";
import type { Db } from "@/lib/db";
import { parseCallFile } from "@/lib/callfile/parse";
import { serializeCallFile } from "@/lib/callfile/serialize";
import { createEngine, type Engine } from "@/lib/engine/engine";
import { openHostTransport } from "@/lib/engine/host-transport";
import { startSimulator, type Simulator } from "@/lib/asterisk-sim/index";
import type { CalleeRule } from "@/lib/asterisk-sim/callees";
import { startIvrServer, type IvrServer } from "@/lib/ivr/server";
import { createPrismaIvrStore } from "@/lib/ivr/prisma-store";
import { renderDialplanSnippet, renderSelfTestContext } from "@/lib/ivr/dialplan";
import { freePort } from "./free-port";
import { createTestDb, type Provider, type TestDb } from "./test-db";

type HostRow = Awaited<ReturnType<Db["asteriskHost"]["create"]>>;
type HostData = Parameters<Db["asteriskHost"]["create"]>[0]["data"];

export type PbxRigOptions = {
  db: Db;
  /** Default "sqlite" (the provider of `db`). */
  provider?: Provider;
  /** The host's IVR mode; in dialplan mode the simulator runs the Spoolcast snippet for the host. */
  ivrMode: "dialplan" | "direct";
  /** How the simulator's callees behave. */
  callees: CalleeRule[];
  /** Asterisk's core sounds installed on the simulated PBX (SimOptions.coreSounds); default true. */
  coreSounds?: boolean;
  /** Simulator time compression; default 1 (real time). */
  speed?: number;
  /** More columns of the created host row (e.g. `isDefault`); the rig's own spool, sounds and IVR fields win. */
  hostOverrides?: Partial<HostData>;
  /**
   * The PBX's own outbound context (the trunk): its name goes into the host row, its text into
   * the simulator's dialplan, and in dialplan mode the snippet gets its click-to-call context.
   */
  outbound?: { context: string; dialplan: string };
  /**
   * Start no IVR server (a test whose calls never reach ExternalIVR). The host and the engine
   * then get an address nothing listens on.
   */
  noIvrServer?: boolean;
  /** The IVR server's playback watchdog margin (IvrServerOptions.playbackMarginMs); default the server's. */
  playbackMarginMs?: number;
  /**
   * Use an existing host row and its spool and sounds dirs (e.g. one the demo seed made)
   * instead of a temp root and a new row; the row gets the rig's IVR mode and address. Its
   * dirs are the test's and are not removed by `stop()`.
   */
  existingHost?: { id: string };
  /**
   * Changes the dialplan the simulator loads (the snippet in dialplan mode, the self-test
   * context in direct mode, plus `outbound`), e.g. to leave a context out as a PBX would that
   * never got it pasted.
   */
  editDialplan?: (text: string) => string;
  /** Called with the dirs before anything starts, to put files on the "PBX" (e.g. a message). */
  prepare?: (dirs: { spoolDir: string; soundsDir: string }) => void;
};

export type PbxRig = {
  spoolDir: string;
  soundsDir: string;
  /** `127.0.0.1:<port>` of the IVR server, as the host row, the snippet and the engine have it. */
  ivrAddress: string;
  secret: string;
  host: HostRow;
  ivr: IvrServer | undefined;
  sim: Simulator;
  engine: Engine;
  /** Stops the engine, the simulator and the IVR server (in that order) and removes the temp root. */
  stop(): Promise<void>;
};

const SECRET = "pbx-rig-secret-".padEnd(40, "x");
/** Port 1 on loopback: nothing listens there (tcpmux is never running on a test machine). */
const NOWHERE = "127.0.0.1:1";

export async function startPbxRig(options: PbxRigOptions): Promise<PbxRig> {
  const { db } = options;
  const parts: { root?: string; ivr?: IvrServer; sim?: Simulator; engine?: Engine } = {};
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await parts.engine?.stop();
    await parts.sim?.stop();
    await parts.ivr?.close({ graceMs: 0 });
    if (parts.root) rmSync(parts.root, { recursive: true, force: true });
  };
  try {
    let spoolDir: string;
    let soundsDir: string;
    const existing = options.existingHost
      ? await db.asteriskHost.findUniqueOrThrow({ where: { id: options.existingHost.id } })
      : undefined;
    if (existing) {
      ({ spoolDir, soundsDir } = existing);
    } else {
      parts.root = mkdtempSync(path.join(os.tmpdir(), "spoolcast-rig-"));
      spoolDir = path.join(parts.root, "spool");
      soundsDir = path.join(parts.root, "sounds");
      mkdirSync(path.join(spoolDir, "outgoing"), { recursive: true });
    }
    options.prepare?.({ spoolDir, soundsDir });

    const ivrAddress = options.noIvrServer ? NOWHERE : `127.0.0.1:${await freePort()}`;
    if (!options.noIvrServer) {
      // Explicit timeouts: the server passes unset options through as undefined, which
      // overrides the session's defaults.
      parts.ivr = await startIvrServer({
        listen: ivrAddress,
        secret: SECRET,
        store: createPrismaIvrStore(db),
        soundsDir, // the system prompts are generated there
        handshakeTimeoutMs: 10_000,
        kickAfterMs: 400,
        ...(options.playbackMarginMs !== undefined ? { playbackMarginMs: options.playbackMarginMs } : {}),
        logger: pino({ level: "silent" }),
      });
    }

    const rigFields = {
      ivrMode: options.ivrMode,
      ivrPublicAddress: ivrAddress,
      ...(options.outbound ? { outboundContext: options.outbound.context } : {}),
    };
    const host = existing
      ? await db.asteriskHost.update({ where: { id: existing.id }, data: { ...options.hostOverrides, ...rigFields } })
      : await db.asteriskHost.create({
          data: {
            name: "pbx",
            maxConcurrent: 10,
            maxPerSecond: 10,
            ...options.hostOverrides,
            spoolDir,
            soundsDir,
            ...rigFields,
          },
        });

    const snippet =
      options.ivrMode === "dialplan"
        ? renderDialplanSnippet({
            name: host.name,
            ivrContext: host.ivrContext,
            ivrPublicAddress: ivrAddress,
            ...(options.outbound ? { outboundContext: options.outbound.context } : {}),
          })
        : // A direct-mode host needs only the self-test context ("Test the PBX").
          renderSelfTestContext(host.ivrContext);
    const pasted = snippet + (options.outbound?.dialplan ?? "");
    const dialplan = options.editDialplan ? options.editDialplan(pasted) : pasted;
    parts.sim = await startSimulator({
      spoolDir,
      soundsDir,
      speed: options.speed ?? 1,
      ...(options.coreSounds !== undefined ? { coreSounds: options.coreSounds } : {}),
      // Direct mode: the call files name ExternalIVR themselves; only the self-test's Local channel runs dialplan.
      dialplan,
      callees: options.callees,
    });

    parts.engine = createEngine({
      db,
      provider: options.provider ?? "sqlite",
      secret: SECRET,
      ivrPublicAddress: ivrAddress,
      transportFor: openHostTransport,
      serialize: serializeCallFile,
      parse: parseCallFile,
      pollMs: 100,
    });
    return { spoolDir, soundsDir, ivrAddress, secret: SECRET, host, ivr: parts.ivr, sim: parts.sim, engine: parts.engine, stop };
  } catch (e) {
    // A part that failed to start must not leave the others running for the next test.
    await stop();
    throw e;
  }
}

/**
 * For a file whose tests each run one rig on a fresh SQLite database: `start()` creates both,
 * and the afterEach this registers stops the rig before dropping the database under it, so no
 * test leaves a simulator, an IVR server or an engine running into the next one.
 */
export function usePbxRig(): { start(options: Omit<PbxRigOptions, "db" | "provider">): Promise<PbxRig & { db: Db }> } {
  let t: TestDb | undefined;
  let rig: PbxRig | undefined;
  afterEach(async () => {
    await rig?.stop();
    await t?.drop();
    t = rig = undefined;
  });
  return {
    async start(options) {
      if (t) throw new Error("usePbxRig: one rig per test");
      t = await createTestDb("sqlite");
      rig = await startPbxRig({ ...options, db: t.db });
      return { ...rig, db: t.db };
    },
  };
}
