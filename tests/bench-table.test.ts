/**
 * `npm run bench`'s runner: finds every *-bench.ts, keeps going when one throws (an error row
 * in the table), and prints one aligned table with the ratio to the baseline.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { listSuites, renderTable, runSuites } from "@/scripts/bench/index";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("bench runner", () => {
  it("runs every *-bench.ts, turns a throwing bench into an error row and prints one table", async () => {
    // Inside the repo so the suites resolve like the real ones.
    dir = mkdtempSync(path.join(import.meta.dirname, ".bench-"));
    writeFileSync(
      path.join(dir, "ivr-bench.ts"),
      `export async function benchIvr() { return [{ name: "ivr sessions", value: 2500, unit: "sessions/s", target: ">= 2000", baseline: 1000, ratio: 2.5, ok: true }]; }\n`,
    );
    writeFileSync(
      path.join(dir, "zeta-bench.ts"),
      `export async function benchZeta() { throw new Error("database unreachable"); }\n`,
    );
    writeFileSync(
      path.join(dir, "callfile-bench.ts"),
      `export async function benchCallFiles() { return [{ name: "write files", value: 3000.456, unit: "files/s", baseline: 1500 }]; }\n`,
    );
    writeFileSync(path.join(dir, "helper.ts"), `export const x = 1;\n`);
    const files = listSuites(dir);
    expect(files).toEqual(["callfile-bench.ts", "ivr-bench.ts", "zeta-bench.ts"]);
    const rows = await runSuites(dir, files, () => {});
    expect(rows.map((r) => r.name)).toEqual(["write files", "ivr sessions", "zeta-bench.ts benchZeta()"]);
    const table = renderTable(rows).split("\n");
    expect(table[0]).toMatch(/^name\s+value\s+unit\s+target\s+baseline\s+ratio\s+ok$/);
    // Ratio computed from the baseline when the bench gave none.
    expect(table[2]).toMatch(/^write files\s+3000\.46\s+files\/s\s+1500\s+2\.00$/);
    expect(table[3]).toMatch(/^ivr sessions\s+2500\s+sessions\/s\s+>= 2000\s+1000\s+2\.50\s+yes$/);
    expect(table[4]).toMatch(/^zeta-bench\.ts benchZeta\(\)\s+ERROR\s+database unreachable\s+NO$/);
    // Columns line up: every "value" cell ends at the same column.
    const end = table[0]!.indexOf("value") + "value".length;
    expect(table.slice(2).every((l) => /\S/.test(l[end - 1] ?? ""))).toBe(true);
  });
});
