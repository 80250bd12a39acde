/**
 * Results benchmarks (issue 10), on a temp SQLite database with 100,000 calls of every kind:
 * - the results page query (listCalls: filter + sort + a page + the capped count), p95 over
 *   several views incl. a deep keyset page, target < 300 ms server time; baseline = the naive
 *   query (exact count + OFFSET to the same depth);
 * - the streamed CSV export of 100,000 rows (exportCallsCsv), target < 5 s; baseline = the
 *   naive export that pages with OFFSET.
 * Run alone with `npx tsx scripts/bench/results-bench.ts`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createDb, type Db } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { Prisma } from "@/lib/generated/sqlite/client";
import { listCalls, type CallFilters, type CallPageParams } from "@/lib/results/list-calls";
import { exportCallsCsv } from "@/lib/results/export-calls";
import { toCsvLine } from "@/lib/csv/csv-cells";
import type { BenchResult } from "./types";

const ROWS = 100_000;
const QUERY_RUNS = 30;
const PAGE_TARGET_MS = 300;
const EXPORT_TARGET_MS = 5_000;
const KINDS = ["pa", "click", "wakeup", "campaign", "test"];
const STATES = ["acknowledged", "completed", "not-acknowledged", "no-answer", "busy", "failed", "cancelled", "expired"];

async function seed(db: Db): Promise<{ campaignId: string; userId: string }> {
  const host = await db.asteriskHost.create({ data: { name: "bench", spoolDir: "/tmp/none", soundsDir: "/tmp/none" } });
  const user = await db.user.create({ data: { email: "bench@example.org", name: "Bench", passwordHash: "x", role: "operator" } });
  const campaign = await db.campaign.create({ data: { name: "Bench campaign", state: "completed" } });
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < ROWS; i += 1000) {
    const values = [];
    for (let n = i; n < i + 1000; n++) {
      const createdAt = new Date(t0 + n * 60_000);
      const kind = KINDS[n % KINDS.length]!;
      values.push(
        Prisma.sql`(${`cb${String(n).padStart(23, "0")}`}, ${kind}, 30, ${STATES[n % STATES.length]!}, ${host.id}, ${kind === "campaign" ? campaign.id : null}, ${n % 3 === 0 ? user.id : null}, ${`+1212${String(2000000 + n).padStart(7, "0")}`}, ${`Person ${n}`}, ${"PJSIP/x"}, ${createdAt}, ${1}, ${new Date(createdAt.getTime() + 30_000)}, ${createdAt}, ${createdAt})`,
      );
    }
    await db.$executeRaw`INSERT INTO "Call" ("id", "kind", "priority", "state", "hostId", "campaignId", "createdById", "destination", "displayName", "channel", "scheduledAt", "attempts", "endedAt", "createdAt", "updatedAt") VALUES ${Prisma.join(values)}`;
  }
  return { campaignId: campaign.id, userId: user.id };
}

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;
}

async function timeP95(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < QUERY_RUNS; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return p95(samples);
}

/** The naive page: exact count of the whole filter + OFFSET to the page. */
async function naivePage(db: Db, where: Prisma.CallWhereInput, skip: number) {
  return Promise.all([db.call.count({ where }), db.call.findMany({ where, orderBy: { createdAt: "desc" }, skip, take: 50 })]);
}

export async function benchResults(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), "spoolcast-bench-results-"));
  const file = path.join(dir, "bench.db");
  await migrate(`file:${file}`);
  const db = createDb(`file:${file}`);
  try {
    const { campaignId, userId } = await seed(db);
    await db.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
    await db.$queryRawUnsafe("ANALYZE");

    // A deep keyset page: walk 400 pages once to get the cursor (the UI follows "next" links).
    let cursor: string | undefined;
    for (let i = 0; i < 400; i++) cursor = (await listCalls(db, {}, { cursor, size: 100 })).nextCursor ?? undefined;
    const views: [string, CallFilters, CallPageParams, Prisma.CallWhereInput, number][] = [
      ["first page, newest first", {}, {}, {}, 0],
      ["kind=campaign, first page", { kind: "campaign" }, {}, { kind: "campaign" }, 0],
      [
        "state=busy + date range",
        { state: "busy", from: "2026-01-20", to: "2026-02-20" },
        {},
        { state: "busy", createdAt: { gte: new Date("2026-01-20"), lt: new Date("2026-02-20") } },
        0,
      ],
      ["user filter", { userId }, {}, { createdById: userId }, 0],
      ["campaign filter, sorted by number", { campaignId }, { sort: "destination", dir: "asc" }, { campaignId }, 0],
      ["page 401 (keyset cursor)", {}, { cursor, size: 100 }, {}, 40_000],
      ["page 900 by page number (offset)", {}, { page: 900, size: 100 }, {}, 89_900],
    ];
    for (const [label, filters, page, where, depth] of views) {
      const ms = await timeP95(() => listCalls(db, filters, page));
      const baseline = await timeP95(() => naivePage(db, where, depth));
      results.push({
        name: `results: page query p95 at ${ROWS.toLocaleString("en")} calls, ${label} (baseline = exact count + OFFSET)`,
        value: Number(ms.toFixed(1)),
        unit: "ms",
        target: `p95 < ${PAGE_TARGET_MS} ms`,
        baseline: Number(baseline.toFixed(1)),
        ratio: Number((ms / baseline).toFixed(3)),
        ok: ms < PAGE_TARGET_MS,
      });
    }

    let start = performance.now();
    let bytes = 0;
    let lines = 0;
    for await (const chunk of exportCallsCsv(db, {})) {
      bytes += chunk.length;
      for (let i = 0; i < chunk.length; i++) if (chunk.charCodeAt(i) === 10) lines++;
    }
    const exportMs = performance.now() - start;
    if (lines !== ROWS + 1) throw new Error(`export wrote ${lines} lines, expected ${ROWS + 1}`);
    // Baseline: OFFSET paging of the same rows and cells.
    start = performance.now();
    let baseLines = 0;
    for (let skip = 0; ; skip += 2000) {
      const rows = await db.call.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip, take: 2000 });
      if (rows.length === 0) break;
      for (const r of rows) {
        toCsvLine([
          r.id,
          r.kind,
          r.state,
          r.destination,
          r.displayName,
          String(r.attempts),
          r.reason ?? "",
          r.ackDigit ?? "",
          r.createdAt.toISOString(),
        ]);
        baseLines++;
      }
    }
    const baselineMs = performance.now() - start;
    results.push({
      name: `results: CSV export of ${baseLines.toLocaleString("en")} calls (${(bytes / 1e6).toFixed(1)} MB; baseline = OFFSET paging)`,
      value: Math.round(exportMs),
      unit: "ms",
      target: `< ${EXPORT_TARGET_MS} ms`,
      baseline: Math.round(baselineMs),
      ratio: Number((exportMs / baselineMs).toFixed(3)),
      ok: exportMs < EXPORT_TARGET_MS,
    });
  } finally {
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const results = await benchResults();
  console.log(
    `load average during the run: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} on ${os.cpus().length} CPU(s)`,
  );
  for (const r of results)
    console.log(`${r.ok ? "✓" : "✗"} ${r.name}: ${r.value} ${r.unit}, target ${r.target}, baseline ${r.baseline} ${r.unit}`);
  process.exitCode = results.every((r) => r.ok !== false) ? 0 : 1;
}
