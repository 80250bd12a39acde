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
# The IVR's spoken prompts and text-to-speech messages are made with espeak-ng and sox.
bash scripts/system-deps.sh espeak-ng sox

# Not the URL itself: a PostgreSQL URL carries its password.
step "Preparing the database"
npx --no-install tsx scripts/migrate.ts

step "Demo data"
npx --no-install tsx scripts/seed.ts

if [ -f .next/BUILD_ID ] && [ -z "$(find app components lib proxy.ts -newer .next/BUILD_ID \( -name '*.ts' -o -name '*.tsx' -o -name '*.css' \) -print -quit)" ]; then
  step "Using the existing production build"
else
  step "Building the web app (about a minute the first time)"
  npx --no-install next build >/dev/null
fi

# The call engine, the IVR server and (unless ASTERISK_SPOOL_DIR points at a real Asterisk)
# the bundled Asterisk simulator start inside the web server (instrumentation.ts →
# lib/engine/start-engine.ts), so the web server alone places and completes calls. It is server.ts
# (Next.js behind a plain HTTP server that records each request's real peer address), not `next start`.

step "Starting Spoolcast"
cat <<MSG

  Spoolcast is starting at  http://localhost:${PORT}

  Open it in your browser. On the first visit it asks you to create the first
  administrator account (there is no default password). Stop with Ctrl+C.

MSG
exec npx --no-install tsx server.ts -p "$PORT"
