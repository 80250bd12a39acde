/**
 * The order in which evidence reaches the database never changes a call's final state: the
 * failed extension's REASON stored before or after the engine reconciles the archived file
 * (dialplan mode: 2 of 6 busy/congestion calls used to end "expired"), the IVR's "message
 * missing" before or after it, progress lines read or missed — every permutation, through
 * the real writers (the engine's reconciler, on Prisma and on the direct SQLite connection,
 * and the IVR's Prisma store), on both providers.
 */
import { afterEach, describe, expect, it } from "vitest";
import { callFileName } from "@/lib/callfile/types";
import { enqueueCalls } from "@/lib/engine/calls";
import type { Engine } from "@/lib/engine/engine";
import type { FakeTransport } from "@/lib/engine/testing/fake-transport";
import { createPrismaIvrStore } from "@/lib/ivr/prisma-store";
import { createFakeSpoolEngine, WRITER_VARIANTS, type Writer } from "./support/fake-spool-engine";
import { createTestDb, type Provider, type TestDb } from "./support/test-db";

let t: TestDb | undefined;
let engine: Engine | undefined;
afterEach(async () => {
  await engine?.stop();
  await t?.drop();
  t = engine = undefined;
});

/** Every ordering of `items`. */
function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]));
}

async function setup(provider: Provider, writer: Writer, calls: number) {
  t = await createTestDb(provider);
  const db = t.db;
  const host = await db.asteriskHost.create({
    data: { name: "h", spoolDir: "/x", soundsDir: "/x", ivrMode: "dialplan", maxConcurrent: 100, maxPerSecond: 100 },
  });
  const made = createFakeSpoolEngine(t, writer);
  engine = made.engine;
  const { fake } = made;
  const audio = await db.audioMessage.create({ data: { name: "Fire", soundName: "spoolcast/fire", durationMs: 4000 } });
  const ids = await enqueueCalls(
    db,
    Array.from({ length: calls }, (_, i) => ({
      kind: "pa" as const,
      hostId: host.id,
      destination: `+1555000${String(i).padStart(4, "0")}`,
      requireAck: true,
      audioId: audio.id,
      maxRetries: 0,
      retryTime: 60,
      waitTime: 30,
    })),
  );
  await engine.runOnce();
  expect(fake.outgoing.size).toBe(calls);
  return { db, fake, ids, store: createPrismaIvrStore(db), engine };
}

type Step = "ivr" | "progress" | "archive";
const ORDERS = permutations<Step>(["ivr", "progress", "archive"]);

async function play(
  fake: FakeTransport,
  e: Engine,
  name: string,
  order: Step[],
  status: "Completed" | "Expired",
  ivr: () => Promise<void>,
) {
  for (const step of order) {
    if (step === "ivr") await ivr();
    else if (step === "progress") await e.runOnce();
    else {
      fake.archive(name, status);
      await e.runOnce();
    }
  }
  await e.runOnce();
}

describe.each(WRITER_VARIANTS)("final state whatever the arrival order, on %s (%s)", (provider, writer) => {
  it("REASON 5 stored before or after the archive, progress seen or not: busy after 1 attempt, in all 6 orders", async () => {
    const { db, fake, ids, store, engine: e } = await setup(provider, writer, ORDERS.length);
    const s = Math.floor(Date.now() / 1000);
    for (const [i, order] of ORDERS.entries()) {
      const name = callFileName(ids[i]!, 1);
      // Asterisk wrote its StartRetry line when it started dialling, before anything else here.
      fake.startAttempt(name, 1, s + 60, 60);
      await play(fake, e, name, order, "Expired", async () => void (await store.recordFailureReason(ids[i]!, 5, new Date(), 1)));
    }
    const rows = await db.call.findMany({ where: { id: { in: ids } }, select: { id: true, state: true, reason: true } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const [i, order] of ORDERS.entries()) {
      const r = byId.get(ids[i]!)!;
      expect([order.join(" → "), r.state, r.reason]).toEqual([order.join(" → "), "busy", "busy after 1 attempt"]);
    }
  });

  it("Z for the message stored before or after the archive: not-played with its cause, in all 6 orders", async () => {
    const { db, fake, ids, store, engine: e } = await setup(provider, writer, ORDERS.length);
    const s = Math.floor(Date.now() / 1000);
    const cause = "sound missing on the PBX: spoolcast/fire";
    for (const [i, order] of ORDERS.entries()) {
      const id = ids[i]!;
      const name = callFileName(id, 1);
      fake.startAttempt(name, 1, s + 60, 60);
      await play(fake, e, name, order, "Completed", async () => {
        await store.recordAnswered(id, new Date());
        await store.recordDeliveryFailure(id, { kind: "not-played", cause, at: new Date() });
      });
    }
    const rows = await db.call.findMany({
      where: { id: { in: ids } },
      select: { id: true, state: true, reason: true, heardMs: true },
    });
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const [i, order] of ORDERS.entries()) {
      const r = byId.get(ids[i]!)!;
      expect([order.join(" → "), r.state, r.reason, r.heardMs]).toEqual([order.join(" → "), "not-played", cause, null]);
    }
  });
});
