/**
 * Delivery failures end to end: the engine, the simulator (dialplan mode) and the IVR server
 * on the database. A message the PBX does not have (Asterisk answers its S with Z) ends
 * "not-played" with its cause; a PBX without Asterisk's core sounds (ExternalIVR's generator
 * fails, nothing plays, no F ever comes) ends "playback-unconfirmed" and raises the host's
 * health error. Both count unreached on the PA board and are re-called; neither is "heard".
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getCallTimeline } from "@/lib/engine/calls";
import { getEngineStatus } from "@/lib/engine/status";
import { makeSilentWav } from "@/lib/asterisk-sim/sounds";
import { enqueuePaCalls } from "@/lib/pa/launch-pa";
import { getPaBoard } from "@/lib/pa/get-pa-board";
import { recallUnreached } from "@/lib/pa/recall-unreached";
import { usePbxRig } from "./support/pbx-rig";

const pbx = usePbxRig();

const ACTIVE = ["queued", "spooled", "dialling", "retry-wait", "answered"];

/** A PA of `count` calls to callees that answer and stay on the line, against a simulator with these options. */
async function runPa(options: { messageOnPbx: boolean; coreSounds: boolean; count: number }) {
  const sound = "spoolcast/audio/evacuate";
  const { db, host, engine } = await pbx.start({
    ivrMode: "dialplan",
    coreSounds: options.coreSounds,
    playbackMarginMs: 1000,
    hostOverrides: { isDefault: true },
    // The system prompts are generated in the sounds dir; the message is only there when messageOnPbx.
    prepare: ({ soundsDir }) => {
      if (!options.messageOnPbx) return;
      mkdirSync(path.join(soundsDir, "spoolcast", "audio"), { recursive: true });
      writeFileSync(path.join(soundsDir, `${sound}.wav`), makeSilentWav(1000));
    },
    callees: [{ prefix: "+1555", behaviour: { kind: "answer", after: 0.3, dtmf: [], hangupAfter: 30 } }],
  });
  const audio = await db.audioMessage.create({ data: { name: "Evacuate", soundName: sound, durationMs: 1000 } });
  // Spoolcast copied the message to the host as far as it knows; in the missing case the PBX lost it since.
  await db.audioDelivery.create({ data: { audioId: audio.id, hostId: host.id, state: "synced", syncedAt: new Date() } });
  const pa = await db.paBroadcast.create({ data: { audioId: audio.id, requireAck: true, createdBy: "test" } });
  await enqueuePaCalls(
    db,
    pa.id,
    Array.from({ length: options.count }, (_, i) => ({ contactId: null, name: `Person ${i}`, destination: `+1555000000${i}` })),
    { audioId: audio.id, requireAck: true, repeat: 1 },
    null,
  );
  engine.start();
  const deadline = Date.now() + 60_000;
  while ((await db.call.count({ where: { state: { in: ACTIVE } } })) > 0) {
    if (Date.now() > deadline)
      throw new Error(`calls still open: ${JSON.stringify(await db.call.findMany({ select: { state: true } }))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await engine.stop();
  return { db, broadcastId: pa.id, hostId: host.id, sound };
}

describe("delivery failures through the simulator", () => {
  it("a message missing on the PBX: not-played with its cause, never heard, unreached and re-called", async () => {
    const { db, broadcastId, sound } = await runPa({ messageOnPbx: false, coreSounds: true, count: 2 });
    const calls = await db.call.findMany({ where: { broadcastId }, orderBy: { destination: "asc" } });
    for (const c of calls) {
      expect([c.state, c.reason, c.heardMs]).toEqual(["not-played", `sound missing on the PBX: ${sound}`, null]);
      const timeline = await getCallTimeline(c.id, { db });
      expect(timeline.events.map((e) => e.type)).toEqual(expect.arrayContaining(["answered", "ivr.not-played", "not-played"]));
    }
    const board = await getPaBoard(db, broadcastId);
    expect(board.counters).toMatchObject({ total: 2, "not-played": 2, heard: 0, reached: 0, unreached: 2 });
    expect(board.recipients.map((r) => [r.state, r.deliveryFailed, r.cause])).toEqual([
      ["not-played", true, `sound missing on the PBX: ${sound}`],
      ["not-played", true, `sound missing on the PBX: ${sound}`],
    ]);
    const follow = await recallUnreached(db, { broadcastId }, { type: "system", id: null, name: "test" });
    expect(follow.recipients).toBe(2);
  }, 90_000);

  it("a PBX without core sounds: playback-unconfirmed, never heard, and a host health error", async () => {
    const { db, broadcastId, hostId } = await runPa({ messageOnPbx: true, coreSounds: false, count: 1 });
    const [c] = await db.call.findMany({ where: { broadcastId } });
    expect(c!.state).toBe("playback-unconfirmed");
    expect(c!.heardMs).toBeNull();
    expect(c!.reason).toMatch(/^Asterisk did not confirm playback of spoolcast\/audio\/evacuate within 2 s \(no F event\)/);
    const board = await getPaBoard(db, broadcastId);
    expect(board.counters).toMatchObject({ "playback-unconfirmed": 1, heard: 0, unreached: 1 });
    const status = await getEngineStatus(db);
    const host = status.hosts.find((h) => h.hostId === hostId)!;
    expect(host.playbackError?.message).toBe("the PBX did not play audio: are Asterisk's core sounds (silence/*) installed?");
    expect(status.ok).toBe(false);
  }, 90_000);
});
