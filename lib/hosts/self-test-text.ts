/**
 * The self-test checklist as plain text, for `npm run check-pbx` and anything else that prints
 * it: one line per check with a mark a screen reader and a log both read (PASS, FAIL, WARN,
 * SKIP), what was seen, and the fix under a failure or a warning.
 */
import type { SelfTestLineStatus } from "./self-test-checklist";
import type { SelfTestResult } from "./self-test-store";

const MARKS: Record<SelfTestLineStatus, string> = { passed: "PASS", failed: "FAIL", warning: "WARN", skipped: "SKIP" };

export function formatSelfTest(result: SelfTestResult): string {
  const out = [`Self-test of host "${result.hostName}" (${result.ivrMode} IVR mode), ${result.startedAt}`];
  for (const line of result.lines) {
    out.push(`${MARKS[line.status]}  ${line.label}`, `      ${line.detail}`);
    if (line.fix && (line.status === "failed" || line.status === "warning")) out.push(`      Fix: ${line.fix}`);
  }
  const failed = result.lines.find((l) => l.status === "failed");
  out.push(
    result.ok
      ? "The PBX passed the self-test."
      : failed
        ? `The PBX failed the self-test at: ${failed.label}.`
        : "The PBX passed the self-test with warnings.",
  );
  return out.join("\n") + "\n";
}
