/** The closing lines of `npm test`: counts, and the names of what failed just above them. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";

const SCRIPT = path.join(import.meta.dirname, "test-summary.mjs");
let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

function summarise(vitest: unknown, playwright: unknown, typecheckOk = "1", lintOk = "1", stepsFailed = "0"): string {
  dir = mkdtempSync(path.join(tmpdir(), "summary-"));
  if (vitest) writeFileSync(path.join(dir, "vitest.json"), JSON.stringify(vitest));
  if (playwright) writeFileSync(path.join(dir, "playwright.json"), JSON.stringify(playwright));
  const r = spawnSync(process.execPath, [SCRIPT, dir, typecheckOk, lintOk, stepsFailed], { encoding: "utf8" });
  expect(r.status).toBe(0);
  return r.stdout.trim();
}

it("adds vitest and Playwright up and names every failure above the closing line", () => {
  const out = summarise(
    {
      numPassedTests: 3,
      numFailedTests: 1,
      numPendingTests: 1,
      testResults: [
        {
          name: path.join(process.cwd(), "tests/a.test.ts"),
          status: "failed",
          assertionResults: [
            {
              status: "failed",
              fullName: "dials once",
              failureMessages: ["\u001b[31mAssertionError: expected 2 to be 1\u001b[39m\n    at x"],
            },
          ],
        },
        {
          name: path.join(process.cwd(), "tests/b.test.ts"),
          status: "failed",
          message: "Cannot find module 'x'\nstack",
          assertionResults: [],
        },
      ],
    },
    {
      stats: { expected: 4, flaky: 1, unexpected: 1, skipped: 0 },
      suites: [
        {
          title: "pa.spec.ts",
          specs: [],
          suites: [
            {
              title: "PA",
              specs: [
                {
                  file: "pa.spec.ts",
                  title: "stops all",
                  tests: [{ status: "unexpected", results: [{ error: { message: "Timeout 5000ms exceeded." } }] }],
                },
              ],
            },
          ],
        },
      ],
    },
  );
  const lines = out.split("\n");
  expect(lines.at(-1)).toBe("10 passed, 3 failed, 1 skipped");
  expect(lines).toContain("  ✗ tests/a.test.ts › dials once: AssertionError: expected 2 to be 1");
  expect(lines).toContain("  ✗ tests/b.test.ts: Cannot find module 'x'");
  expect(lines).toContain("  ✗ pa.spec.ts › PA › stops all: Timeout 5000ms exceeded.");
});

it("counts a failed typecheck and a failed step with no test report", () => {
  expect(summarise(undefined, undefined, "0", "1", "1")).toBe("1 passed, 1 failed");
  expect(summarise(undefined, undefined, "1", "1", "1")).toBe("2 passed, 1 failed");
});
