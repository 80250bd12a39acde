/**
 * Soak command for the call engine (issue 6): the 5,000-call crash runs that are too slow
 * for CI on 2 cores.
 *   npx tsx scripts/soak/engine-soak.ts sqlite [calls]     one worker killed after claim, write, record; restarted
 *   npx tsx scripts/soak/engine-soak.ts postgresql [calls] three workers, three hosts, one killed mid-run
 * Exits non-zero unless every call has exactly one file per attempt and a final outcome.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrate } from "@/lib/db/migrate";
import { startPg } from "@/tests/support/pg-server";
import { runEngineScenario } from "./engine-scenario";

const provider = process.argv[2] === "postgresql" ? "postgresql" : "sqlite";
const calls = Number(process.argv[3] ?? 5000);
const root = mkdtempSync(path.join(os.tmpdir(), "spoolcast-soak-"));
const pg = provider === "postgresql" ? await startPg() : null;
try {
  const url = pg ? pg.url : `file:${path.join(root, "soak.db")}`;
  await migrate(url);
  const report = await runEngineScenario({
    databaseUrl: url,
    rootDir: root,
    calls,
    hosts: provider === "postgresql" ? 3 : 1,
    kill:
      provider === "postgresql"
        ? { kind: "one-worker", workers: 3, afterFinal: Math.round(calls / 5) }
        : { kind: "steps", steps: ["claimed", "written", "recorded"] },
    timeoutMs: 3_600_000,
    log: (l) => console.log(l),
  });
  const problems =
    report.calls -
    report.finalCalls +
    report.lostCalls.length +
    report.extraFiles.length +
    report.duplicateAttempts.length +
    report.attemptMismatches.length +
    report.missingArchives.length +
    report.leftInOutgoing.length;
  console.log(
    JSON.stringify(
      { ...report, lostCalls: report.lostCalls.slice(0, 20), attemptMismatches: report.attemptMismatches.slice(0, 20) },
      null,
      2,
    ),
  );
  console.log(
    problems === 0
      ? `OK: ${calls} calls, ${report.kills} kill(s), ${(report.elapsedMs / 1000).toFixed(0)} s`
      : `FAILED: ${problems} problem(s)`,
  );
  process.exitCode = problems === 0 ? 0 : 1;
} finally {
  pg?.stop();
  rmSync(root, { recursive: true, force: true });
}
