#!/usr/bin/env bash
# Generates both Prisma clients (SQLite and PostgreSQL); the URLs only satisfy the schema check.
set -euo pipefail
cd "$(dirname "$0")/.."
DATABASE_URL="file:./data/spoolcast.db" npx --no-install prisma generate --schema prisma/sqlite/schema.prisma >/dev/null
DATABASE_URL="postgresql://generate@127.0.0.1/generate" npx --no-install prisma generate --schema prisma/postgresql/schema.prisma >/dev/null
