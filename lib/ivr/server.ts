/**
 * The ExternalIVR TCP server Asterisk connects to (`ivr://host:port(args)`). Owns sockets
 * only: framing, limits and timeouts that keep one bad client from hurting the others
 * (line length, idle and trickle timeouts, a connection cap, backpressure), and a clean
 * shutdown. Each connection is handed to an IvrSession (session.ts).
 *
 * Capacity is split in two: authenticated sessions (a call is being served) count against
 * `maxConnections`; connections that have not yet passed the `P` handshake count against
 * their own, smaller limits, per source address and overall. A full unauthenticated pool
 * makes room by closing its oldest connection, not by refusing the new one: Asterisk's own
 * connections come from the same address as a flood on the PBX would, and finish their
 * handshake in one round trip, while a flood's connections sit silent.
 */
import net from "node:net";
import pino, { type Logger } from "pino";
import { LineSplitter } from "./protocol";
import { IvrSession, type SessionOutcome } from "./session";
import type { IvrStore } from "./store";
import { ensureSystemPrompts } from "./system-prompts";
import { registerRunningIvrServer } from "./running";

export type IvrServerOptions = {
  /** `host:port` to bind; port 0 picks a free one (tests). Default 127.0.0.1:2949. */
  listen?: string;
  /** SPOOLCAST_SECRET: verifies the per-call tokens. */
  secret: string;
  /** Accepted secrets, read per connection (lib/ivr/ivr-secret.ts rotation); default `[secret]`. */
  secrets?: () => string[];
  store: IvrStore;
  /** When set, missing system prompts are generated there before listening. */
  soundsDir?: string;
  logger?: Logger;
  /** Close a session that sends no complete line for this long. Default 10 minutes (long messages are silent). */
  idleTimeoutMs?: number;
  /** A started line must be finished within this (Asterisk writes each event at once). Default 10 s. */
  partialLineTimeoutMs?: number;
  /** The `P` reply must arrive within this. Default 5 s (Asterisk answers P at once). */
  handshakeTimeoutMs?: number;
  /** Connections from one address that have not finished the handshake; beyond it the oldest is closed. Default 200. */
  maxUnauthenticatedPerSource?: number;
  /** Connections that have not finished the handshake, from all addresses; beyond it the oldest is closed. Default 1,000. */
  maxUnauthenticated?: number;
  /** How long after a call's final state its token is still honoured (lib/ivr/liveness.ts). Default 60 s. */
  liveGraceMs?: number;
  /** Longest event line accepted. Default 8 KiB (a G reply is at most 2,047 characters). */
  maxLineBytes?: number;
  /** Authenticated sessions beyond this are refused (unauthenticated connections do not count). Default 5,000. */
  maxConnections?: number;
  /** Wait for a command's reply this long before a kick. Default 400 ms. */
  kickAfterMs?: number;
  /** The playback watchdog's margin past the message length (SessionOptions.playbackMarginMs). */
  playbackMarginMs?: number;
};

export type IvrServerStats = {
  /** Open connections, authenticated or not. */
  active: number;
  /** Connections still in the handshake right now. */
  unauthenticated: number;
  /** Authenticated sessions right now. */
  authenticated: number;
  /** The limits in force (IvrServerOptions). */
  limits: { maxConnections: number; maxUnauthenticated: number; maxUnauthenticatedPerSource: number };
  /** Most sessions open at once since start. */
  peakActive: number;
  accepted: number;
  /** Authenticated sessions refused because `maxConnections` were being served. */
  refused: number;
  /** Unauthenticated connections closed to stay within the per-address limit. */
  evictedPerSource: number;
  /** Unauthenticated connections closed to stay within the overall limit. */
  evictedUnauthenticated: number;
  closedIdle: number;
  closedOversize: number;
  /** Bytes read from all connections. */
  bytesIn: number;
  /** Sessions whose reading is paused by backpressure right now. */
  paused: number;
  outcomes: Partial<Record<SessionOutcome, number>>;
  /** Command round trips (send → Asterisk's reply), most recent samples, milliseconds. */
  latency: LatencySummary;
  /** Server reaction time (event line read → the command it causes written), most recent samples, milliseconds. */
  reaction: LatencySummary;
};

export type LatencySummary = { count: number; p50: number; p99: number; max: number };

export type IvrServer = {
  /** The bound `host:port`. */
  address: string;
  port: number;
  stats(): IvrServerStats;
  /** Stops accepting; sessions get `graceMs` to end on their own, then are cut. */
  close(options?: { graceMs?: number }): Promise<void>;
};

const LATENCY_SAMPLES = 20_000;

/** A fixed-size ring of the latest samples. */
class Samples {
  private values = new Float64Array(LATENCY_SAMPLES);
  private count = 0;
  add(ms: number): void {
    this.values[this.count % LATENCY_SAMPLES] = ms;
    this.count += 1;
  }
  summary(): LatencySummary {
    const sorted = Array.from(this.values.subarray(0, Math.min(this.count, LATENCY_SAMPLES))).sort((a, b) => a - b);
    return { count: this.count, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0 };
  }
}

function parseListen(listen: string): { host: string; port: number } {
  const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(listen);
  if (!m) throw new Error(`IVR_LISTEN: "${listen}" must be host:port, e.g. 127.0.0.1:2949`);
  const port = Number(m[2]);
  if (port > 65535) throw new Error(`IVR_LISTEN: port ${port} must be 0-65535`);
  return { host: m[1]!.replace(/^\[|\]$/g, ""), port };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Starts the IVR server; resolves once it is listening. */
export async function startIvrServer(options: IvrServerOptions): Promise<IvrServer> {
  const logger = options.logger ?? pino({ name: "ivr" });
  const { host, port } = parseListen(options.listen ?? "127.0.0.1:2949");
  const idleTimeoutMs = options.idleTimeoutMs ?? 600_000;
  const partialLineTimeoutMs = options.partialLineTimeoutMs ?? 10_000;
  const maxLineBytes = options.maxLineBytes ?? 8192;
  const maxConnections = options.maxConnections ?? 5000;
  const maxUnauthenticatedPerSource = options.maxUnauthenticatedPerSource ?? 200;
  const maxUnauthenticated = options.maxUnauthenticated ?? 1000;
  for (const [name, value] of Object.entries({ maxConnections, maxUnauthenticatedPerSource, maxUnauthenticated })) {
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`IVR server: ${name} must be a whole number of at least 1, got ${value}`);
  }

  if (options.soundsDir) {
    const made = await ensureSystemPrompts(options.soundsDir);
    if (made.length > 0) logger.info({ soundsDir: options.soundsDir, made }, "ivr: generated system prompts");
  }

  const sessions = new Set<IvrSession>();
  const sockets = new Set<net.Socket>();
  const stats = {
    peakActive: 0,
    accepted: 0,
    refused: 0,
    evictedPerSource: 0,
    evictedUnauthenticated: 0,
    closedIdle: 0,
    closedOversize: 0,
    bytesIn: 0,
    outcomes: {} as IvrServerStats["outcomes"],
  };
  const roundTrips = new Samples();
  const reactions = new Samples();
  let refusedSinceLog = 0;
  const pausedSockets = new Set<net.Socket>();
  let refusalLogTimer: NodeJS.Timeout | null = null;
  let evictedSinceLog = 0;
  let evictionLogTimer: NodeJS.Timeout | null = null;

  /** Authenticated sessions, by call id: one at a time per call. */
  const servedCalls = new Set<string>();
  /** Connections still in the handshake, oldest first, overall and per source address. */
  const pending = new Set<IvrSession>();
  const pendingBySource = new Map<string, Set<IvrSession>>();
  const sourceOf = new WeakMap<IvrSession, string>();

  function leavePending(session: IvrSession, source: string): void {
    if (!pending.delete(session)) return;
    const group = pendingBySource.get(source);
    group?.delete(session);
    if (group?.size === 0) pendingBySource.delete(source);
  }

  /** Closes the oldest connection of `group` still in its handshake, to make room for a new one. */
  function evictOldest(group: Set<IvrSession>, why: string): void {
    const oldest = group.values().next().value;
    if (!oldest) return;
    // Out of the pool at once: its socket closes later, and the next arrival must not find it counted.
    leavePending(oldest, sourceOf.get(oldest) ?? "?");
    oldest.abort(`closed unauthenticated: ${why}`, { quiet: true });
    // One line per eviction would itself be a flood: count them and log once a second.
    evictedSinceLog += 1;
    if (!evictionLogTimer) {
      logger.warn({ remote: oldest.remote, why }, "ivr: closed an unauthenticated connection to make room");
      evictedSinceLog = 0;
      evictionLogTimer = setTimeout(() => {
        evictionLogTimer = null;
        if (evictedSinceLog > 0) logger.warn({ closed: evictedSinceLog }, "ivr: more unauthenticated connections closed");
        evictedSinceLog = 0;
      }, 1000);
      evictionLogTimer.unref();
    }
  }

  function logRefusal(remote: string): void {
    // One line per refusal would itself be a flood: count them and log once a second.
    refusedSinceLog += 1;
    if (refusalLogTimer) return;
    logger.warn({ remote, maxConnections }, "ivr: connection refused, too many sessions");
    refusedSinceLog = 0;
    refusalLogTimer = setTimeout(() => {
      refusalLogTimer = null;
      if (refusedSinceLog > 0)
        logger.warn({ refused: refusedSinceLog, maxConnections }, "ivr: more connections refused, too many sessions");
      refusedSinceLog = 0;
    }, 1000);
    refusalLogTimer.unref();
  }

  function onConnection(socket: net.Socket): void {
    const remote = `${socket.remoteAddress ?? "?"}:${socket.remotePort ?? "?"}`;
    const source = socket.remoteAddress ?? "?";
    const fromSource = pendingBySource.get(source);
    if (fromSource && fromSource.size >= maxUnauthenticatedPerSource) {
      stats.evictedPerSource += 1;
      evictOldest(fromSource, `more than ${maxUnauthenticatedPerSource} from ${source}`);
    } else if (pending.size >= maxUnauthenticated) {
      stats.evictedUnauthenticated += 1;
      evictOldest(pending, `more than ${maxUnauthenticated} in all`);
    }
    stats.accepted += 1;
    sockets.add(socket);
    socket.setNoDelay(true);
    const splitter = new LineSplitter(maxLineBytes);
    let writeBlocked = false;
    let storeBlocked = false;
    let partialTimer: NodeJS.Timeout | null = null;
    let reactingSince: number | null = null;

    const updateFlow = () => {
      if (writeBlocked || storeBlocked) {
        socket.pause();
        pausedSockets.add(socket);
      } else {
        socket.resume();
        pausedSockets.delete(socket);
      }
    };

    const session = new IvrSession({
      secret: options.secret,
      secrets: options.secrets,
      store: options.store,
      logger,
      kickAfterMs: options.kickAfterMs,
      handshakeTimeoutMs: options.handshakeTimeoutMs,
      playbackMarginMs: options.playbackMarginMs,
      liveGraceMs: options.liveGraceMs,
      slots: {
        acquire(callId) {
          if (servedCalls.has(callId)) return "another session for this call is open";
          if (servedCalls.size >= maxConnections) {
            stats.refused += 1;
            logRefusal(remote);
            return `too many sessions (${maxConnections} being served)`;
          }
          servedCalls.add(callId);
          return null;
        },
        release(callId) {
          servedCalls.delete(callId);
        },
      },
      onAuthenticated() {
        leavePending(session, source);
      },
      transport: {
        remote,
        write(line) {
          if (socket.destroyed || !socket.writable) return;
          if (reactingSince !== null) {
            reactions.add(performance.now() - reactingSince);
            reactingSince = null;
          }
          if (!socket.write(line)) {
            // Asterisk is not reading: stop reading its events until our lines drain.
            writeBlocked = true;
            updateFlow();
          }
        },
        end() {
          if (!socket.destroyed) socket.end();
          // A peer that never closes its side must not keep the socket open.
          setTimeout(() => socket.destroy(), 2000).unref();
        },
      },
      onCommandLatency(ms) {
        roundTrips.add(ms);
      },
      onBackpressure(paused) {
        storeBlocked = paused;
        updateFlow();
      },
    });
    sessions.add(session);
    pending.add(session);
    sourceOf.set(session, source);
    if (fromSource) fromSource.add(session);
    else pendingBySource.set(source, new Set([session]));
    stats.peakActive = Math.max(stats.peakActive, sessions.size);

    const idleTimer = setTimeout(() => {
      stats.closedIdle += 1;
      session.abort(`idle for ${idleTimeoutMs} ms without a complete line`);
    }, idleTimeoutMs);

    socket.on("drain", () => {
      writeBlocked = false;
      updateFlow();
    });
    socket.on("data", (chunk: Buffer) => {
      stats.bytesIn += chunk.length;
      const { lines, overflow } = splitter.push(chunk);
      if (lines.length > 0) {
        idleTimer.refresh();
        // A command written before the next turn of the event loop is a reaction to these lines.
        reactingSince = performance.now();
        setImmediate(() => (reactingSince = null));
      }
      for (const line of lines) {
        try {
          session.handleLine(line);
        } catch (error) {
          // A fault in one session must never take the server (and every other call) down.
          logger.error({ remote, err: error }, "ivr: session failed on a line");
          session.abort(`internal error: ${(error as Error).message}`);
        }
        if (session.isClosed) return;
      }
      if (overflow) {
        stats.closedOversize += 1;
        session.abort(`line longer than ${maxLineBytes} bytes`);
        socket.destroy();
        return;
      }
      if (splitter.pendingBytes === 0) {
        if (partialTimer) clearTimeout(partialTimer);
        partialTimer = null;
      } else if (lines.length > 0 || !partialTimer) {
        // The deadline runs from the first byte of the unfinished line, not the latest byte.
        if (partialTimer) clearTimeout(partialTimer);
        partialTimer = setTimeout(() => {
          stats.closedIdle += 1;
          session.abort(`line not finished within ${partialLineTimeoutMs} ms (${splitter.pendingBytes} bytes held)`);
        }, partialLineTimeoutMs);
      }
    });
    socket.on("end", () => session.handleEnd());
    socket.on("error", (error) => {
      logger.debug({ remote, err: error.message }, "ivr: socket error");
    });
    socket.on("close", () => {
      clearTimeout(idleTimer);
      if (partialTimer) clearTimeout(partialTimer);
      sockets.delete(socket);
      pausedSockets.delete(socket);
      session.handleEnd();
      leavePending(session, source);
      void session.done.then(() => {
        sessions.delete(session);
        if (session.outcome) stats.outcomes[session.outcome] = (stats.outcomes[session.outcome] ?? 0) + 1;
      });
    });
    session.start();
  }

  const server = net.createServer({ noDelay: true }, onConnection);
  // A failure to listen is the caller's to report (start-engine treats EADDRINUSE as "another
  // process serves IVR"); errors once listening are logged.
  let listening = false;
  server.on("error", (error) => {
    if (listening) logger.error({ err: error }, "ivr: server error");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port, backlog: 4096 }, () => {
      server.off("error", reject);
      listening = true;
      resolve();
    });
  });
  const bound = server.address() as net.AddressInfo;
  const address = `${bound.family === "IPv6" ? `[${bound.address}]` : bound.address}:${bound.port}`;
  logger.info({ address }, "ivr: listening");

  const ivrServer: IvrServer = {
    address,
    port: bound.port,
    stats() {
      return {
        active: sessions.size,
        unauthenticated: pending.size,
        limits: { maxConnections, maxUnauthenticated, maxUnauthenticatedPerSource },
        authenticated: servedCalls.size,
        peakActive: stats.peakActive,
        accepted: stats.accepted,
        refused: stats.refused,
        evictedPerSource: stats.evictedPerSource,
        evictedUnauthenticated: stats.evictedUnauthenticated,
        closedIdle: stats.closedIdle,
        closedOversize: stats.closedOversize,
        bytesIn: stats.bytesIn,
        paused: pausedSockets.size,
        outcomes: { ...stats.outcomes },
        latency: roundTrips.summary(),
        reaction: reactions.summary(),
      };
    },
    async close({ graceMs = 5000 } = {}) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      if (refusalLogTimer) clearTimeout(refusalLogTimer);
      if (evictionLogTimer) clearTimeout(evictionLogTimer);
      const deadline = Date.now() + graceMs;
      while (sessions.size > 0 && Date.now() < deadline) {
        await Promise.race([Promise.all([...sessions].map((s) => s.done)), new Promise((r) => setTimeout(r, 50))]);
      }
      if (sessions.size > 0) logger.warn({ sessions: sessions.size }, "ivr: shutting down, cutting open sessions");
      const remaining = [...sessions];
      for (const s of remaining) s.abort("server shutting down");
      for (const socket of sockets) socket.destroy();
      await Promise.all(remaining.map((s) => s.done));
      await closed;
      forget();
      logger.info({ address }, "ivr: stopped");
    },
  };
  const forget = registerRunningIvrServer(ivrServer);
  return ivrServer;
}
