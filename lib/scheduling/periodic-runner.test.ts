import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createPeriodicRunner, type PeriodicRunnerOptions } from "@/lib/scheduling/periodic-runner";
import { createTestDb, type TestDb } from "@/tests/support/test-db";

let t: TestDb;
let clock: number;
const T0 = Date.parse("2026-12-04T10:00:00Z");

beforeEach(async () => {
  t = await createTestDb("sqlite");
  clock = T0;
});
afterEach(async () => {
  await t.drop();
});

function runner(owner: string, tick: PeriodicRunnerOptions["tick"], log?: PeriodicRunnerOptions["log"]) {
  return createPeriodicRunner({
    name: "test-scheduler",
    intervalMs: 1000,
    lease: { db: t.db, owner, ttlMs: 10_000 },
    tick,
    log,
    now: () => new Date(clock),
  });
}

describe("periodic runner", () => {
  it("ticks only in the process holding the lease, and hands it over once the holder stops renewing", async () => {
    const ticks: string[] = [];
    const a = runner("a", async ({ owner }) => void ticks.push(owner));
    const b = runner("b", async ({ owner }) => void ticks.push(owner));
    expect(await a.runOnce()).toBe("ran");
    expect(await b.runOnce()).toBe("not-leader");
    clock += 9_000; // a's lease (renewed at T0) is still live
    expect(await b.runOnce()).toBe("not-leader");
    expect(await a.runOnce()).toBe("ran"); // renewed until T0 + 19 s
    clock += 10_500; // a stalls past its lease
    expect(await b.runOnce()).toBe("ran");
    expect(await a.runOnce()).toBe("not-leader");
    expect(a.holdsLease).toBe(false);
    expect(b.holdsLease).toBe(true);
    expect(ticks).toEqual(["a", "a", "b"]);
    expect(await t.db.schedulerLease.findUniqueOrThrow({ where: { name: "test-scheduler" } })).toMatchObject({ owner: "b" });
  });

  it("renews the lease while a slow tick runs, so nobody takes over a live holder", async () => {
    let release!: () => void;
    const slow = createPeriodicRunner({
      name: "test-scheduler",
      intervalMs: 1000,
      lease: { db: t.db, owner: "a", ttlMs: 10_000, heartbeatMs: 20 },
      now: () => new Date(clock),
      tick: () => new Promise<void>((resolve) => (release = resolve)),
    });
    const b = runner("b", async () => {});
    const first = slow.runOnce();
    await vi.waitFor(() => expect(release).toBeTypeOf("function"));
    clock += 30_000; // far past the lease taken at the start of the tick
    await vi.waitFor(async () =>
      expect((await t.db.schedulerLease.findUniqueOrThrow({ where: { name: "test-scheduler" } })).expiresAt.getTime()).toBe(
        clock + 10_000,
      ),
    );
    expect(await b.runOnce()).toBe("not-leader");
    release();
    expect(await first).toBe("ran");
    expect(slow.holdsLease).toBe(true);
  });

  it("gives the lease back on stop, so another process takes over at once", async () => {
    const a = runner("a", async () => {});
    const b = runner("b", async () => {});
    expect(await a.runOnce()).toBe("ran");
    await a.stop();
    expect(await t.db.schedulerLease.count()).toBe(0);
    expect(await b.runOnce()).toBe("ran");
    expect(await a.runOnce()).toBe("stopped");
  });

  it("logs a tick that throws and runs the next one as usual", async () => {
    const error = vi.fn<(o: object, m: string) => void>();
    let calls = 0;
    const a = runner(
      "a",
      async () => {
        calls++;
        if (calls === 1) throw new Error("database hiccup");
      },
      { info: () => {}, error },
    );
    expect(await a.runOnce()).toBe("failed");
    expect(error).toHaveBeenCalledWith(
      expect.objectContaining({ scheduler: "test-scheduler", err: expect.objectContaining({ message: "database hiccup" }) }),
      "scheduler tick failed",
    );
    expect(await a.runOnce()).toBe("ran");
    expect(calls).toBe(2);
    expect(a.holdsLease).toBe(true);
  });

  it("never overlaps ticks, and stop waits for the tick in flight", async () => {
    let finish!: () => void;
    let finished = false;
    const a = runner("a", async () => {
      await new Promise<void>((resolve) => (finish = resolve));
      finished = true;
    });
    const first = a.runOnce();
    expect(await a.runOnce()).toBe("busy");
    await vi.waitFor(() => expect(finish).toBeTypeOf("function"));
    const stopped = a.stop();
    let stopDone = false;
    void stopped.then(() => (stopDone = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(stopDone).toBe(false);
    finish();
    await stopped;
    expect(finished).toBe(true);
    expect(await first).toBe("ran");
    expect(await t.db.schedulerLease.count()).toBe(0);
  });

  it("start runs a first tick at once and keeps ticking on its interval until stopped", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      let ticks = 0;
      const a = runner("a", async () => void ticks++);
      a.start();
      await vi.waitFor(() => expect(ticks).toBe(1));
      await vi.advanceTimersByTimeAsync(1000);
      await vi.waitFor(() => expect(ticks).toBe(2));
      await a.stop();
      await vi.advanceTimersByTimeAsync(5000);
      expect(ticks).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
