#!/usr/bin/env bash
# Installs npm dependencies when missing or stale and generates the Prisma clients.
# Idempotent and quiet when there is nothing to do; shared by demo, test and bench.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1

if [ ! -f node_modules/.package-lock.json ] || ! node scripts/check-install.mjs; then
  echo "› Installing npm dependencies (better-sqlite3 compiles from source: about 90 s the first time)…"
  npm ci --no-audit --no-fund
fi

stamp=lib/generated/.stamp
if [ ! -f "$stamp" ] || [ prisma/sqlite/schema.prisma -nt "$stamp" ] || [ prisma/postgresql/schema.prisma -nt "$stamp" ]; then
  echo "› Generating Prisma clients…"
  bash scripts/prisma-generate.sh
  touch "$stamp"
fi
