/**
 * `npm run bench`: runs every module benchmark that exists on this checkout and prints one
 * table. Each `*-bench.ts` exports one function returning BenchResult rows; a missing file
 * is skipped with a note so partial checkouts still bench what they have.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { BenchResult } from "./types";

const SUITES: Array<{ file: string; exportName: string }> = [
  { file: "callfile-bench.ts", exportName: "benchCallFiles" },
  { file: "contacts-bench.ts", exportName: "benchContacts" },
  { file: "ivr-bench.ts", exportName: "benchIvr" },
  { file: "engine-bench.ts", exportName: "benchEngine" },
  { file: "results-bench.ts", exportName: "benchResults" },
  { file: "pa-bench.ts", exportName: "benchPa" },
];

function format(value: number | undefined, digits = 2): string {
  if (value === undefined) return "";
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

/** Prints rows as an aligned text table. */
export function renderTable(rows: BenchResult[]): string {
  const header = ["name", "value", "unit", "target", "baseline", "ratio", "ok"];
  const cells = rows.map((r) => [
    r.name,
    format(r.value),
    r.unit,
    r.target ?? "",
    format(r.baseline),
    format(r.ratio),
    r.ok === undefined ? "" : r.ok ? "yes" : "NO",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i === 1 || i === 4 || i === 5 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}

async function main() {
  const dir = import.meta.dirname;
  const rows: BenchResult[] = [];
  let failed = false;
  for (const suite of SUITES) {
    const file = path.join(dir, suite.file);
    if (!existsSync(file)) {
      console.log(`(skipped ${suite.file}: not on this checkout)`);
      continue;
    }
    console.log(`› ${suite.file}`);
    try {
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      const run = mod[suite.exportName];
      if (typeof run !== "function") throw new Error(`${suite.file} does not export ${suite.exportName}()`);
      rows.push(...((await (run as () => Promise<BenchResult[]>)()) ?? []));
    } catch (e) {
      failed = true;
      console.error(`✗ ${suite.file} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
  console.log("\n" + renderTable(rows));
  if (failed) process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
