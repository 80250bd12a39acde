#!/usr/bin/env bash
# `npm run demo`: one command from a fresh clone to a running Spoolcast with demo data.
# Idempotent: a second run reuses the database, seeds nothing twice and rebuilds only when the
# sources changed. PORT (default 3000) and every variable in .env.example are honoured.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1
# PORT may come from .env (which lib/env.ts and Next load themselves); read it the same way.
if [ -z "${PORT:-}" ] && [ -f .env ]; then
  PORT=$(node -e 'process.loadEnvFile(".env"); process.stdout.write(process.env.PORT || "")')
fi
export PORT="${PORT:-3000}"

step() { printf '\n\033[1m› %s\033[0m\n' "$*"; }

step "Checking dependencies"
bash scripts/bootstrap.sh

step "Preparing the database (${DATABASE_URL:-file:./data/spoolcast.db})"
npx --no-install tsx scripts/migrate.ts

step "Demo data"
npx --no-install tsx scripts/seed.ts

if [ -f .next/BUILD_ID ] && [ -z "$(find app components lib proxy.ts -newer .next/BUILD_ID \( -name '*.ts' -o -name '*.tsx' -o -name '*.css' \) -print -quit)" ]; then
  step "Using the existing production build"
else
  step "Building the web app (about a minute the first time)"
  npx --no-install next build >/dev/null
fi

# ── Asterisk simulator hook ─────────────────────────────────────────────────────────────
# When ASTERISK_SIMULATOR is on (the default when ASTERISK_SPOOL_DIR is unset), the bundled
# spool simulator (`npm run asterisk-sim`, lib/asterisk-sim) is to be started here in the
# background on the default host's spool and stopped when this script exits. It is not
# started yet: the simulator is not part of this build, so calls written to the spool stay
# there until a real Asterisk or the simulator processes them.
# ─────────────────────────────────────────────────────────────────────────────────────────

step "Starting Spoolcast"
cat <<MSG

  Spoolcast is starting at  http://localhost:${PORT}

  Open it in your browser. On the first visit it asks you to create the first
  administrator account (there is no default password). Stop with Ctrl+C.

MSG
exec npx --no-install next start -p "$PORT"
