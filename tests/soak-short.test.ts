/**
 * The whole-system soak, scaled down for `npm test`: ~200 calls of every kind through real
 * worker processes, three simulated Asterisk hosts (one over SFTP) and the IVR server, with
 * every fault injected once (PostgreSQL restart on PostgreSQL only). The full runs are
 * `npm run soak`. The report's checks are asserted one by one so a failure names the promise.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "./support/test-db";
import { startPg, type PgServer } from "./support/pg-server";
import { migrate } from "@/lib/db/migrate";
import { formatSoakReport, runSystemSoak, soakProblems } from "@/scripts/soak/system-soak";

let t: TestDb | undefined;
let pg: PgServer | undefined;
let root: string | undefined;

afterEach(async () => {
  await t?.drop();
  pg?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
  t = pg = root = undefined;
});

const SIZES = {
  campaignCalls: 150,
  paBursts: 1,
  paBurstSize: 30,
  clicks: 3,
  wakeups: 5,
  maxCalls: 200,
  forgetRate: 0.02,
  diskFullMs: 3000,
};

describe.each(["sqlite", "postgresql"] as const)("soak (short) on %s", (provider) => {
  it("every call ends once, dialled once per attempt, nothing unexplained, acks and audit complete", async () => {
    root = mkdtempSync(path.join(os.tmpdir(), "spoolcast-soak-short-"));
    let url: string;
    if (provider === "postgresql") {
      // A server of its own: the soak restarts it.
      pg = await startPg();
      url = pg.url;
      await migrate(url);
    } else {
      t = await createTestDb("sqlite");
      url = t.url;
    }
    const report = await runSystemSoak({
      provider,
      databaseUrl: url,
      ...(pg ? { pg } : {}),
      rootDir: root,
      workers: provider === "postgresql" ? 3 : 1,
      ...SIZES,
      timeoutMs: 240_000,
    });
    // The whole report on failure: every check's count and examples.
    if (soakProblems(report).length > 0) console.log(formatSoakReport(report));
    // Every fault was injected (none reported FAILED to inject).
    expect(report.faults.filter((f) => f.detail.startsWith("FAILED"))).toEqual([]);
    expect(report.faults.map((f) => f.fault)).toEqual(
      expect.arrayContaining([
        "engine SIGKILL",
        "simulator crash",
        "SFTP drop",
        "disk full",
        "malformed archives",
        "misbehaving IVR clients",
      ]),
    );
    expect(report.faults.some((f) => f.fault === "PostgreSQL restart")).toBe(provider === "postgresql");
    expect(report.workerExits.killed).toBe(1);
    // Campaign retries are new calls: at least one per contact.
    expect(report.byKind.campaign).toBeGreaterThanOrEqual(150);
    expect(report.byKind).toMatchObject({ pa: report.planned.pa, click: report.planned.click });
    // Snoozes and retries of wake-ups are new calls too.
    expect(report.byKind.wakeup).toBeGreaterThanOrEqual(5);
    const {
      lostExplained: _lost,
      lostPending: _pending,
      redialledAfterCrash: _redialled,
      maliciousInputs,
      malformedNotes: _notes,
      ...failing
    } = report.checks;
    expect(failing).toEqual({
      duplicateDials: [],
      reusedFileNames: [],
      extraFiles: [],
      attemptMismatches: [],
      notFinal: [],
      lostUnexplained: [],
      ackLost: [],
      phantomAcks: [],
      auditMissing: [],
      unexplainedCalls: [],
      injectionReached: [],
      malformedEffects: [],
    });
    expect(report.ivr.stillServing).toBe(true);
    expect(maliciousInputs[0]).toMatch(/^createContact rejected it: Name/);
    expect(soakProblems(report)).toEqual([]);
  }, 300_000);
});
