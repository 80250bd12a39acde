/**
 * `npm run bench`: runs every module benchmark in this directory (each `*-bench.ts`, found at
 * run time so a new bench needs no registration) and prints one table: name, value, unit,
 * target, baseline, ratio to the baseline, ok. A bench that throws gets an error row in the
 * table instead of stopping the others; the exit code is then non-zero.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { BenchResult } from "./types";

/** Preferred order of the known suites; any other `*-bench.ts` runs after them, by name. */
const ORDER = ["callfile-bench.ts", "contacts-bench.ts", "ivr-bench.ts", "engine-bench.ts", "pa-bench.ts", "results-bench.ts"];

export type BenchRow = BenchResult & { error?: string };

function format(value: number | undefined, digits = 2): string {
  if (value === undefined || Number.isNaN(value)) return "";
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

/** Prints rows as an aligned text table; an error row shows its message in place of the value. */
export function renderTable(rows: BenchRow[]): string {
  const header = ["name", "value", "unit", "target", "baseline", "ratio", "ok"];
  const cells = rows.map((r) =>
    r.error !== undefined
      ? [r.name, "ERROR", "", r.error.split("\n")[0]!.slice(0, 100), "", "", "NO"]
      : [
          r.name,
          format(r.value),
          r.unit,
          r.target ?? "",
          format(r.baseline),
          format(r.ratio ?? (r.baseline ? r.value / r.baseline : undefined)),
          r.ok === undefined ? "" : r.ok ? "yes" : "NO",
        ],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => (i === 1 || i === 4 || i === 5 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}

/** The bench files of `dir` in run order. */
const rank = (f: string) => (ORDER.includes(f) ? ORDER.indexOf(f) : ORDER.length);

export function listSuites(dir: string): string[] {
  const found = readdirSync(dir).filter((f) => f.endsWith("-bench.ts"));
  return found.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Runs each suite's exported `bench*` functions; a throw becomes an error row. */
export async function runSuites(dir: string, files: string[], log: (l: string) => void = console.log): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const file of files) {
    log(`› ${file}`);
    try {
      const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as Record<string, unknown>;
      const runs = Object.entries(mod).filter(([name, v]) => /^bench[A-Z]/.test(name) && typeof v === "function");
      if (runs.length === 0) throw new Error(`${file} exports no bench*() function`);
      for (const [name, run] of runs) {
        try {
          rows.push(...(((await (run as () => Promise<BenchResult[]>)()) ?? []) as BenchRow[]));
        } catch (e) {
          rows.push({
            name: `${file} ${name}()`,
            value: Number.NaN,
            unit: "",
            error: e instanceof Error ? e.message : String(e),
          });
        }
      }
    } catch (e) {
      rows.push({ name: file, value: Number.NaN, unit: "", error: e instanceof Error ? e.message : String(e) });
    }
  }
  return rows;
}

async function main() {
  const dir = import.meta.dirname;
  const rows = await runSuites(dir, listSuites(dir));
  console.log("\n" + renderTable(rows));
  const errors = rows.filter((r) => r.error !== undefined);
  if (errors.length > 0) {
    for (const r of errors) console.error(`✗ ${r.name}: ${r.error}`);
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
