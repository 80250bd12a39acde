/**
 * `npm run soak` — the whole-system soak (scripts/soak/system-soak.ts) on SQLite (one worker
 * process) and/or PostgreSQL (three worker processes), with faults injected. Prints the report
 * of each run and exits non-zero when any check fails.
 *
 *   npm run soak                               full run: 20,000-call campaign, 4 PA bursts of 500,
 *                                              50 click-to-calls, 200 wake-ups, maxcalls 200, both providers
 *   npm run soak -- --scale 0.05               everything scaled (here 1,000 + 4×25 + ...)
 *   npm run soak -- --provider postgresql      one provider only (sqlite | postgresql | both)
 *   npm run soak -- --campaign 5000 --pa-bursts 2 --pa-size 500 --clicks 20 --wakeups 50
 *                  --maxcalls 200 --speed 20 --forget 0.002 --timeout-min 120 --json report.json --log soak.log
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { migrate } from "@/lib/db/migrate";
import { startPg } from "@/tests/support/pg-server";
import { formatSoakReport, runSystemSoak, soakProblems, type SoakReport } from "./system-soak";

const { values } = parseArgs({
  options: {
    provider: { type: "string", default: "both" },
    scale: { type: "string", default: "1" },
    campaign: { type: "string" },
    "pa-bursts": { type: "string" },
    "pa-size": { type: "string" },
    clicks: { type: "string" },
    wakeups: { type: "string" },
    maxcalls: { type: "string", default: "200" },
    speed: { type: "string", default: "20" },
    forget: { type: "string", default: "0.002" },
    "timeout-min": { type: "string", default: "180" },
    json: { type: "string" },
    /** Every log line (worker stderr included) goes to this file too. */
    log: { type: "string" },
    verbose: { type: "boolean", default: false },
  },
});

function num(name: string, raw: string | undefined, fallback: number): number {
  const v = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name}: expected a non-negative number, got "${raw}"`);
  return v;
}

const scale = num("scale", values.scale, 1);
const providers = values.provider === "both" ? (["sqlite", "postgresql"] as const) : [values.provider];
for (const p of providers)
  if (p !== "sqlite" && p !== "postgresql") throw new Error(`--provider: expected sqlite, postgresql or both, got "${p}"`);

const sizes = {
  campaignCalls: Math.round(num("campaign", values.campaign, 20_000 * scale)),
  paBursts: Math.max(1, Math.round(num("pa-bursts", values["pa-bursts"], 4))),
  paBurstSize: Math.max(1, Math.round(num("pa-size", values["pa-size"], 500 * scale))),
  clicks: Math.round(num("clicks", values.clicks, Math.max(2, 50 * scale))),
  wakeups: Math.round(num("wakeups", values.wakeups, Math.max(2, 200 * scale))),
  maxCalls: Math.round(num("maxcalls", values.maxcalls, 200)),
  speed: num("speed", values.speed, 20),
  forgetRate: num("forget", values.forget, 0.002),
};
const timeoutMs = num("timeout-min", values["timeout-min"], 180) * 60_000;

const reports: SoakReport[] = [];
let failed = false;
for (const provider of providers as Array<"sqlite" | "postgresql">) {
  const root = mkdtempSync(path.join(os.tmpdir(), `spoolcast-soak-${provider}-`));
  const pg = provider === "postgresql" ? await startPg() : null;
  try {
    const url = pg ? pg.url : `file:${path.join(root, "soak.db")}`;
    await migrate(url);
    console.log(`\n=== soak on ${provider}: ${JSON.stringify(sizes)}`);
    const report = await runSystemSoak({
      provider,
      databaseUrl: url,
      ...(pg ? { pg } : {}),
      rootDir: root,
      workers: provider === "postgresql" ? 3 : 1,
      ...sizes,
      timeoutMs,
      log: (l) => {
        if (values.log) appendFileSync(values.log, `${new Date().toISOString()} ${l}\n`);
        if (values.verbose || l.startsWith("[fault") || l.includes(" final ") || l.startsWith("started")) console.log(l);
      },
    });
    reports.push(report);
    console.log("\n" + formatSoakReport(report));
    if (soakProblems(report).length > 0) failed = true;
  } finally {
    pg?.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
if (values.json) writeFileSync(values.json, JSON.stringify(reports, null, 2));
process.exitCode = failed ? 1 : 0;
