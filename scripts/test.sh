#!/usr/bin/env bash
# `npm test`: bootstrap, then typecheck, lint, unit, integration (real PostgreSQL and sshd on
# loopback) and Playwright e2e; prints one "N passed, N failed" line. Exit status is non-zero
# when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 CI="${CI:-}" FORCE_COLOR=0
bash scripts/system-deps.sh || exit 1
bash scripts/bootstrap.sh || exit 1

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
steps_failed=0

step() {
  local name=$1; shift
  echo; echo "━━ $name"
  if "$@"; then :; else steps_failed=$((steps_failed + 1)); status=1; echo "✗ $name failed"; fi
}

step "typecheck" npx --no-install tsc --noEmit -p tsconfig.json; typecheck_ok=$((steps_failed == 0))
step "lint" npm run --silent lint; lint_ok=$((steps_failed == 0 || (typecheck_ok == 0 && steps_failed == 1)))
step "unit + integration tests" npx --no-install vitest run --reporter=default --reporter=json --outputFile.json="$out/vitest.json"
if [ "${SPOOLCAST_SKIP_E2E:-}" != "1" ]; then
  step "e2e (Playwright, Chromium)" env PLAYWRIGHT_JSON_OUTPUT_NAME="$out/playwright.json" npx --no-install playwright test --reporter=list,json
fi

node scripts/test-summary.mjs "$out" "$typecheck_ok" "$lint_ok" "$steps_failed"
exit $status
