/**
 * PA benchmark (issue 9): from "Send PA" (launchPa: recipients resolved, broadcast + 500
 * emergency calls inserted, audit written) to the 500th call file renamed into outgoing/, on
 * SQLite with the local spool and host limits that allow it (maxConcurrent 500, 1000/s).
 * Target < 1 s. Baseline: launchPa alone (queueing, no spooling), i.e. what the engine adds.
 * SPOOLCAST_BENCH_SCALE scales the recipient count. The spool transport fsyncs every file
 * (lib/spool/local.ts), so on a slow or shared disk the writes dominate the total.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseCallFile } from "@/lib/callfile/parse";
import { serializeCallFile } from "@/lib/callfile/serialize";
import { createDb } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { createEngine } from "@/lib/engine/engine";
import { openHostTransport } from "@/lib/engine/host-transport";
import { launchPa } from "@/lib/pa/launch-pa";
import { type BenchResult, settleDisk } from "./types";

const SECRET = "pa-bench-secret-".padEnd(40, "x");
const SCALE = Number(process.env.SPOOLCAST_BENCH_SCALE ?? 1);

export async function benchPa(): Promise<BenchResult[]> {
  const n = Math.max(1, Math.round(500 * SCALE));
  const root = mkdtempSync(path.join(os.tmpdir(), "spoolcast-bench-pa-"));
  const url = `file:${path.join(root, "bench.db")}`;
  await migrate(url);
  const db = createDb(url);
  const spoolDir = path.join(root, "spool");
  const outgoing = path.join(spoolDir, "outgoing");
  mkdirSync(outgoing, { recursive: true });
  // When the first file of the PA lands: the time to the first phone ringing.
  let firstWrittenAt: number | null = null;
  let measuring = false;
  const engine = createEngine({
    db,
    provider: "sqlite",
    secret: SECRET,
    ivrPublicAddress: "127.0.0.1:9",
    transportFor: openHostTransport,
    serialize: serializeCallFile,
    parse: parseCallFile,
    pollMs: 250,
    onStep: (step) => {
      if (measuring && step === "written" && firstWrittenAt === null) firstWrittenAt = performance.now();
    },
  });
  try {
    const host = await db.asteriskHost.create({
      data: {
        name: "bench",
        isDefault: true,
        spoolDir,
        soundsDir: root,
        maxConcurrent: n,
        maxPerSecond: Math.max(1000, n),
        ivrPublicAddress: "127.0.0.1:9",
      },
    });
    const audio = await db.audioMessage.create({ data: { name: "Evacuate", soundName: "spoolcast/bench-evacuate" } });
    // Recorded as on the host, or launchPa refuses it (no silent PA).
    await db.audioDelivery.create({ data: { audioId: audio.id, hostId: host.id, state: "synced", syncedAt: new Date() } });
    const group = await db.contactGroup.create({ data: { name: "Everyone on site" } });
    const other = await db.contactGroup.create({ data: { name: "Dry run" } });
    for (let i = 0; i < n; i += 250) {
      const size = Math.min(250, n - i);
      await db.$transaction(
        Array.from({ length: size }, (_, k) =>
          db.contact.create({
            data: {
              name: `Person ${i + k}`,
              nameKey: `person ${i + k}`,
              phones: { create: [{ destination: `+1555${String(i + k).padStart(7, "0")}` }] },
              groups: { create: [{ groupId: group.id }, { groupId: other.id }] },
            },
          }),
        ),
      );
    }
    const actor = { type: "system" as const, id: null, name: "bench" };
    // Baseline: the same PA to another group while the engine is not running, so only
    // queueing is timed; those calls are then parked (cancelled) before the engine starts.
    const tb = performance.now();
    const base = await launchPa(db, { groupIds: [other.id], audioId: audio.id, requireAck: true }, actor);
    const baselineMs = performance.now() - tb;
    await db.call.updateMany({ where: { broadcastId: base.broadcastId }, data: { state: "cancelled" } });
    engine.start();
    await new Promise((r) => setTimeout(r, 500));

    settleDisk();
    measuring = true;
    const t0 = performance.now();
    const pa = await launchPa(db, { groupIds: [group.id], audioId: audio.id, requireAck: true }, actor);
    const launchMs = performance.now() - t0;
    for (;;) {
      if (readdirSync(outgoing).filter((f) => f.endsWith(".call")).length >= pa.recipients) break;
      if (performance.now() - t0 > 30_000)
        throw new Error(`only ${readdirSync(outgoing).length} of ${pa.recipients} PA files spooled after 30 s`);
      await new Promise((r) => setImmediate(r));
    }
    const totalMs = performance.now() - t0;
    // The engine records "spooled" right after its batch of renames; wait for that too.
    for (;;) {
      const spooled = await db.call.count({ where: { broadcastId: pa.broadcastId, state: "spooled" } });
      if (spooled === pa.recipients) break;
      if (performance.now() - t0 > 30_000) throw new Error(`${spooled} of ${pa.recipients} calls recorded as spooled after 30 s`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const recordedMs = performance.now() - t0;
    return [
      {
        name: `pa: click to all ${pa.recipients} files spooled`,
        value: totalMs,
        unit: "ms",
        target: "< 1000 ms",
        baseline: baselineMs,
        ratio: totalMs / baselineMs,
        ok: totalMs < 1000,
      },
      { name: "pa: of which launchPa (queueing)", value: launchMs, unit: "ms" },
      { name: "pa: click to the first file spooled", value: (firstWrittenAt ?? Number.NaN) - t0, unit: "ms" },
      { name: "pa: click to all recorded spooled in the DB", value: recordedMs, unit: "ms" },
    ];
  } finally {
    await engine.stop();
    await db.$disconnect();
    rmSync(root, { recursive: true, force: true });
  }
}
