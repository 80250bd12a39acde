#!/usr/bin/env bash
# Starts the app for Playwright: a production build, a fresh SQLite database and spool in a
# temp dir, the bundled simulator. Everything it starts dies with it (process group).
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-3199}
ivr_port=${2:-$((port + 1000))}
root=$(mktemp -d /tmp/spoolcast-e2e-XXXXXX)
export SPOOLCAST_DATA_DIR="$root" DATABASE_URL="file:$root/e2e.db" PORT="$port" NODE_ENV=production
export IVR_LISTEN="127.0.0.1:$ivr_port" SPOOLCAST_E2E=1 NEXT_TELEMETRY_DISABLED=1
# Known callee outcomes for the simulator (busy, answer and press 1, ...) so e2e results are
# deterministic; one file holds the rules of every spec (PA, click-to-call, campaigns, wake-ups).
# Wake-up snooze/retry/ring times are compressed 60x (lib/engine/start-engine.ts); test-only.
export SPOOLCAST_SIM_CALLEES="${SPOOLCAST_SIM_CALLEES:-$PWD/e2e/support/sim-callees.json}"
export SPOOLCAST_WAKEUP_TIME_SCALE="${SPOOLCAST_WAKEUP_TIME_SCALE:-60}"
[ -f .next/BUILD_ID ] && [ -z "$(find app components lib proxy.ts -newer .next/BUILD_ID -name '*.ts*' -print -quit)" ] || npx --no-install next build >/dev/null
npx --no-install tsx scripts/migrate.ts
# Refuse a port someone else holds (checked after the build): its server would answer
# Playwright's health check in place of ours.
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "e2e-server: 127.0.0.1:$port is already in use" >&2; exit 1; fi
exec npx --no-install tsx server.ts -H 127.0.0.1 -p "$port"
