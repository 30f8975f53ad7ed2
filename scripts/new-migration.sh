#!/usr/bin/env bash
# Writes one new migration for both databases, under the same name, from the change made to
# prisma/schema.prisma since a git revision (default HEAD):
#
#   bash scripts/new-migration.sh add_target_priority [base-revision]
#
# It derives prisma/postgres/schema.prisma (scripts/pg-schema.ts), then runs `prisma migrate diff`
# from the schema at the base revision to the schema now, once per provider. Prisma 6.19's JS
# schema engine cannot read a migrations folder or a live database here (`--from-migrations` and
# `--from-url` fail with driver adapters), so schema-to-schema is the route that works offline. The
# PostgreSQL diff needs a server to connect to, so it starts the test cluster
# (scripts/start-postgres.sh); nothing is written to it.
set -euo pipefail
cd "$(dirname "$0")/.."

name="${1:?usage: bash scripts/new-migration.sh <snake_case_name> [base-revision]}"
base="${2:-HEAD}"
[[ "$name" =~ ^[a-z0-9_]+$ ]] || { echo "new-migration: name must be snake_case: $name" >&2; exit 2; }
dir="$(date -u +%Y%m%d%H%M%S)_$name"

npx tsx scripts/pg-schema.ts >&2
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
git show "$base:prisma/schema.prisma" >"$tmp/sqlite.prisma"
git show "$base:prisma/postgres/schema.prisma" >"$tmp/postgres.prisma"

DATABASE_URL="file:$tmp/scratch.db" npx prisma migrate diff \
  --from-schema-datamodel "$tmp/sqlite.prisma" --to-schema-datamodel prisma/schema.prisma --script >"$tmp/sqlite.sql"
DATABASE_URL="$(bash scripts/start-postgres.sh)" npx prisma migrate diff --config prisma/postgres/prisma.config.ts \
  --from-schema-datamodel "$tmp/postgres.prisma" --to-schema-datamodel prisma/postgres/schema.prisma --script >"$tmp/postgres.sql"

if grep -q "This is an empty migration" "$tmp/sqlite.sql"; then
  echo "new-migration: prisma/schema.prisma has not changed since $base; nothing written" >&2
  exit 1
fi
mkdir -p "prisma/migrations/$dir" "prisma/postgres/migrations/$dir"
cp "$tmp/sqlite.sql" "prisma/migrations/$dir/migration.sql"
cp "$tmp/postgres.sql" "prisma/postgres/migrations/$dir/migration.sql"
echo "new-migration: wrote prisma/migrations/$dir and prisma/postgres/migrations/$dir; read both before committing" >&2
