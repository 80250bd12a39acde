#!/usr/bin/env bash
# Starts the app for Playwright: a production build, a fresh SQLite database and spool in a
# temp dir, the bundled simulator. Everything it starts dies with it (process group).
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-3199}
root=$(mktemp -d /tmp/spoolcast-e2e-XXXXXX)
export SPOOLCAST_DATA_DIR="$root" DATABASE_URL="file:$root/e2e.db" PORT="$port" NODE_ENV=production
export IVR_LISTEN="127.0.0.1:$((port + 1000))" SPOOLCAST_E2E=1 NEXT_TELEMETRY_DISABLED=1
# Known callee outcomes for the PA and click-to-call specs (numbers and rules in the file).
export SPOOLCAST_SIM_CALLEES="$PWD/e2e/support/callees.json"
[ -f .next/BUILD_ID ] && [ -z "$(find app components lib proxy.ts -newer .next/BUILD_ID -name '*.ts*' -print -quit)" ] || npx --no-install next build >/dev/null
npx --no-install tsx scripts/migrate.ts
exec npx --no-install next start -H 127.0.0.1 -p "$port"
