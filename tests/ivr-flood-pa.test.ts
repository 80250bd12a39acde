/**
 * Issue 22, finding 2: during a sustained flood of unauthenticated connections to the IVR
 * server, answered PA calls played nothing and were counted "reached". Here the whole path
 * runs under a flood of 10,000 loopback connections from 127.0.0.1 (the address the
 * simulated PBX's own ExternalIVR connections come from too): the engine writes real call
 * files, the bundled simulator dials them and opens real ExternalIVR sessions, and every PA
 * call must still play its message (an F event: heardMs) and be confirmed with its key.
 *
 * The flood is bounded: at most FLOOD_HELD connections are open from the test at once (each
 * one the server closes is replaced at once), 10,000 in all, so the file descriptors stay far
 * below the process limit. The IVR server runs with its production limits (200 connections
 * per address still in the handshake, 1,000 overall, 5,000 sessions), so the flood keeps the
 * per-address pool full and the server closing its oldest connections the whole time the
 * calls are being set up.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeSilentWav } from "@/lib/asterisk-sim/sounds";
import { enqueuePaCalls } from "@/lib/pa/launch-pa";
import { getPaBoard } from "@/lib/pa/get-pa-board";
import type { IvrServer } from "@/lib/ivr/server";
import { usePbxRig } from "./support/pbx-rig";
import { waitFor } from "./support/wait-for";

const pbx = usePbxRig();

const FLOOD_TOTAL = 10_000;
/**
 * How many flood connections may be open at once: more than the server's 5,000 sessions, so
 * that a server without its handshake limits (as before issue 22) would be filled by them and
 * refuse the PBX. With the limits it keeps only 200 from this address and closes the oldest.
 */
const FLOOD_HELD = 6000;
const FLOOD_PER_TICK = 25;
const FLOOD_TICK_MS = 20;
const CALLS = 11;
const ACTIVE = ["queued", "spooled", "dialling", "retry-wait", "answered"];

type Flood = {
  opened: () => number;
  /** Connections that never reached the server (a SYN the kernel dropped under load). */
  connectErrors: () => number;
  /** Resolves once all `total` were opened. */
  finish: () => Promise<void>;
  /** Closes what is still open and opens no more (the test's teardown). */
  destroy: () => void;
};

/**
 * Connections that connect and never answer the `P` handshake, at most FLOOD_HELD open at a
 * time, FLOOD_PER_TICK new ones every FLOOD_TICK_MS: a sustained flood (about 1,250 a second)
 * that lasts as long as the calls do, instead of being over before the first call is dialled.
 */
function startFlood(server: IvrServer, total: number): Flood {
  const open = new Set<net.Socket>();
  let opened = 0;
  let errors = 0;
  let done: (() => void) | undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const openOne = () => {
    opened += 1;
    const s = net.connect({ port: server.port, host: "127.0.0.1" });
    open.add(s);
    s.on("error", () => (errors += s.remoteAddress ? 0 : 1));
    s.resume(); // read and drop what the server sends, so its FIN is seen and the socket closes
    s.on("close", () => open.delete(s));
  };
  const timer = setInterval(() => {
    const room = Math.min(FLOOD_PER_TICK, total - opened, FLOOD_HELD - open.size);
    for (let i = 0; i < room; i++) openOne();
    if (opened < total) return;
    clearInterval(timer);
    done?.();
  }, FLOOD_TICK_MS);
  return {
    opened: () => opened,
    connectErrors: () => errors,
    finish: () => finished,
    destroy: () => {
      clearInterval(timer);
      for (const s of open) s.destroy();
    },
  };
}

describe("PA calls during an IVR connection flood", () => {
  it("10,000 unauthenticated connections from one address: every PA call through the simulator still plays and is confirmed", async () => {
    const sound = "spoolcast/audio/evacuate";
    const { db, host, engine, ivr } = await pbx.start({
      ivrMode: "dialplan",
      hostOverrides: { isDefault: true, maxConcurrent: CALLS, maxPerSecond: 20 },
      prepare: ({ soundsDir }) => {
        mkdirSync(path.join(soundsDir, "spoolcast", "audio"), { recursive: true });
        writeFileSync(path.join(soundsDir, `${sound}.wav`), makeSilentWav(1000));
      },
      // Answers, hears the 1 s message, and presses 1 when asked (again, in case the first was early).
      callees: [
        {
          prefix: "+1555",
          behaviour: { kind: "answer", after: 0.3, dtmf: [2, 4, 6, 8].map((at) => ({ at, digits: "1" })), hangupAfter: 20 },
        },
      ],
    });
    const server = ivr!;
    const audio = await db.audioMessage.create({ data: { name: "Evacuate", soundName: sound, durationMs: 1000 } });
    await db.audioDelivery.create({ data: { audioId: audio.id, hostId: host.id, state: "synced", syncedAt: new Date() } });
    const pa = await db.paBroadcast.create({ data: { audioId: audio.id, requireAck: true, createdBy: "test" } });
    await enqueuePaCalls(
      db,
      pa.id,
      Array.from({ length: CALLS }, (_, i) => ({
        contactId: null,
        name: `Person ${i}`,
        destination: `+15550000${String(i).padStart(3, "0")}`,
      })),
      { audioId: audio.id, requireAck: true, repeat: 1 },
      null,
    );

    const flood = startFlood(server, FLOOD_TOTAL);
    try {
      // The per-address pool is full before the first call file is written: every session the
      // PBX opens has to get through a pool the flood keeps full.
      await waitFor(() => server.stats().unauthenticated >= 200, 30_000, "the flood to fill the per-address pool");
      engine.start();
      const deadline = Date.now() + 90_000;
      let openedAtFirstDial: number | undefined;
      while ((await db.call.count({ where: { broadcastId: pa.id, state: { in: ACTIVE } } })) > 0) {
        openedAtFirstDial ??=
          (await db.call.count({ where: { broadcastId: pa.id, state: { notIn: ["queued", "spooled"] } } })) > 0
            ? flood.opened()
            : undefined;
        if (Date.now() > deadline)
          throw new Error(`calls still open: ${JSON.stringify(await db.call.findMany({ select: { state: true } }))}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // Opened between the first call being dialled and the last one ending.
      const openedDuringCalls = flood.opened() - (openedAtFirstDial ?? FLOOD_TOTAL);
      // Whatever is left of the 10,000 is still sent.
      await flood.finish();
      await waitFor(
        () => server.stats().accepted + flood.connectErrors() >= FLOOD_TOTAL + CALLS,
        30_000,
        "the server to take the whole flood",
      );
      await engine.stop();

      const calls = await db.call.findMany({ where: { broadcastId: pa.id } });
      expect(calls).toHaveLength(CALLS);
      for (const c of calls) {
        expect({ state: c.state, ackDigit: c.ackDigit, heard: (c.heardMs ?? 0) > 0 }).toEqual({
          state: "acknowledged",
          ackDigit: "1",
          heard: true,
        });
      }
      const board = await getPaBoard(db, pa.id);
      expect(board.counters).toMatchObject({ total: CALLS, acknowledged: CALLS, reached: CALLS, unreached: 0 });

      const stats = server.stats();
      // The flood really ran while the calls were placed, from the same address as the PBX.
      expect(openedDuringCalls).toBeGreaterThan(1000);
      expect(flood.opened()).toBe(FLOOD_TOTAL);
      expect(flood.connectErrors()).toBeLessThan(FLOOD_TOTAL / 20);
      expect(stats.unauthenticated).toBeLessThanOrEqual(200);
      expect(stats.evictedPerSource).toBeGreaterThan(FLOOD_TOTAL / 2);
      // No legitimate session was refused or cut off for a flood connection.
      expect(stats.refused).toBe(0);
      expect(stats.outcomes.acknowledged).toBe(CALLS);
    } finally {
      flood.destroy();
    }
  }, 180_000);
});
