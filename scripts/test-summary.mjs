// Adds up vitest and Playwright JSON reports (plus typecheck/lint as one check each) into the
// single closing line CI reads: "N passed, N failed".
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const [dir, typecheckOk, lintOk, stepsFailed] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

const vitest = path.join(dir, "vitest.json");
if (existsSync(vitest)) {
  const r = JSON.parse(readFileSync(vitest, "utf8"));
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  // A file that failed with no failing test (it did not load, a hook threw) counts once;
  // numFailedTestSuites would also count every describe block around a failed test.
  for (const file of r.testResults ?? []) {
    if (file.status === "failed" && !(file.assertionResults ?? []).some((a) => a.status === "failed")) failed++;
  }
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
}
const pw = path.join(dir, "playwright.json");
if (existsSync(pw)) {
  const s = JSON.parse(readFileSync(pw, "utf8")).stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
}
// typecheck and lint count as one check each; a failed step with no failing test counts once.
for (const ok of [typecheckOk, lintOk]) {
  if (ok === "1") passed++;
  else failed++;
}
if (Number(stepsFailed) > 0 && failed === 0) failed += Number(stepsFailed);
console.log();
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
