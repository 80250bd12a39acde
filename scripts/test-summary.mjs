// Adds up vitest and Playwright JSON reports (plus typecheck/lint as one check each) into the
// single closing line CI reads: "N passed, N failed".
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";

const [dir, typecheckOk, lintOk, stepsFailed] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
/** Names of what failed, repeated just above the closing line so a log's tail says what broke. */
const failures = [];

const vitest = path.join(dir, "vitest.json");
if (existsSync(vitest)) {
  const r = JSON.parse(readFileSync(vitest, "utf8"));
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  // A file that failed with no failing test (it did not load, a hook threw) counts once;
  // numFailedTestSuites would also count every describe block around a failed test.
  for (const file of r.testResults ?? []) {
    const rel = path.relative(process.cwd(), file.name ?? "");
    for (const a of file.assertionResults ?? []) {
      if (a.status === "failed") failures.push(`${rel} › ${a.fullName ?? a.title}: ${firstLine(a.failureMessages?.[0])}`);
    }
    if (file.status === "failed" && !(file.assertionResults ?? []).some((a) => a.status === "failed")) {
      failed++;
      failures.push(`${rel}: ${firstLine(file.message) || "the file failed to run"}`);
    }
  }
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
}
const pw = path.join(dir, "playwright.json");
if (existsSync(pw)) {
  const report = JSON.parse(readFileSync(pw, "utf8"));
  const s = report.stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
  const walk = (suite, parents) => {
    // The file's own suite is titled by its file name, which each spec already carries.
    const titles =
      suite.title && suite.title !== suite.file && !/\.(spec|test)\.[cm]?[jt]s$/.test(suite.title)
        ? [...parents, suite.title]
        : parents;
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== "unexpected") continue;
        const last = t.results?.at(-1);
        failures.push(`${spec.file} › ${[...titles, spec.title].join(" › ")}: ${firstLine(last?.error?.message)}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child, titles);
  };
  for (const suite of report.suites ?? []) walk(suite, []);
}
// typecheck and lint count as one check each; a failed step with no failing test counts once.
for (const ok of [typecheckOk, lintOk]) {
  if (ok === "1") passed++;
  else failed++;
}
if (Number(stepsFailed) > 0 && failed === 0) failed += Number(stepsFailed);
console.log();
if (failures.length) {
  console.log("Failed:");
  for (const f of failures) console.log(`  ✗ ${f}`);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);

function firstLine(text) {
  // Strip ANSI colours; a failure message's first line names the assertion.
  return (
    stripVTControlCharacters(String(text ?? ""))
      .split("\n")
      .find((l) => l.trim()) ?? ""
  );
}
