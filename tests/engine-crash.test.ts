/**
 * The engine survives SIGKILL at every step of claim → write → record: real worker processes,
 * the bundled simulator on a real spool, 300 calls. (The 5,000-call runs are the soak
 * command: `npx tsx scripts/soak/engine-soak.ts`.)
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "./support/test-db";
import { runEngineScenario, type ScenarioReport } from "@/scripts/soak/engine-scenario";

let t: TestDb | undefined;
let root: string | undefined;

afterEach(async () => {
  await t?.drop();
  if (root) rmSync(root, { recursive: true, force: true });
  t = undefined;
  root = undefined;
});

function expectClean(report: ScenarioReport, calls: number) {
  expect(report.calls).toBe(calls);
  expect(report.finalCalls).toBe(calls);
  expect(report.lostCalls).toEqual([]);
  expect(report.extraFiles).toEqual([]);
  expect(report.duplicateAttempts).toEqual([]);
  expect(report.attemptMismatches).toEqual([]);
  expect(report.missingArchives).toEqual([]);
  expect(report.leftInOutgoing).toEqual([]);
}

describe("engine crash safety", () => {
  it("SQLite: one worker killed after a claim, after a write and after a record, then restarted: no duplicate file, no lost outcome", async () => {
    t = await createTestDb("sqlite");
    root = mkdtempSync(path.join(os.tmpdir(), "spoolcast-crash-"));
    const report = await runEngineScenario({
      databaseUrl: t.url,
      rootDir: root,
      calls: 300,
      hosts: 1,
      kill: { kind: "steps", steps: ["claimed", "written", "recorded"] },
      timeoutMs: 240_000,
    });
    expect(report.kills).toBe(3);
    expectClean(report, 300);
    // Answered callees end completed; busy, no-answer and congestion end expired (direct IVR
    // mode has no failed extension to tell them apart).
    expect(Object.keys(report.byState).sort()).toEqual(["completed", "expired"]);
  }, 300_000);

  it("PostgreSQL: three workers share three hosts; one is killed mid-run and the others take its hosts over", async () => {
    t = await createTestDb("postgresql");
    root = mkdtempSync(path.join(os.tmpdir(), "spoolcast-workers-"));
    const report = await runEngineScenario({
      databaseUrl: t.url,
      rootDir: root,
      calls: 300,
      hosts: 3,
      kill: { kind: "one-worker", workers: 3, afterFinal: 60 },
      timeoutMs: 240_000,
    });
    expect(report.kills).toBe(1);
    expectClean(report, 300);
  }, 300_000);
});
