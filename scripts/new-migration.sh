#!/usr/bin/env bash
# Writes one new migration for both databases, under the same name, from the change made to
# prisma/schema.prisma since a git revision (default HEAD):
#
#   bash scripts/new-migration.sh add_target_priority [base-revision]
#
# It derives prisma/postgres/schema.prisma (scripts/pg-schema.ts), then diffs the schema at the base
# revision against the schema now, once per provider, with scripts/db-diff.sh (Prisma 6.19's
# WebAssembly schema engine; Prisma 7 would need its native engine, which is never downloaded).
set -euo pipefail
cd "$(dirname "$0")/.."

name="${1:?usage: bash scripts/new-migration.sh <snake_case_name> [base-revision]}"
base="${2:-HEAD}"
[[ "$name" =~ ^[a-z0-9_]+$ ]] || { echo "new-migration: name must be snake_case: $name" >&2; exit 2; }
dir="$(date -u +%Y%m%d%H%M%S)_$name"

npx tsx scripts/pg-schema.ts >&2
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
bash scripts/db-diff.sh sqlite "$base" >"$tmp/sqlite.sql"
bash scripts/db-diff.sh postgresql "$base" >"$tmp/postgres.sql"

if grep -q "This is an empty migration" "$tmp/sqlite.sql"; then
  echo "new-migration: prisma/schema.prisma has not changed since $base; nothing written" >&2
  exit 1
fi
mkdir -p "prisma/migrations/$dir" "prisma/postgres/migrations/$dir"
cp "$tmp/sqlite.sql" "prisma/migrations/$dir/migration.sql"
cp "$tmp/postgres.sql" "prisma/postgres/migrations/$dir/migration.sql"
echo "new-migration: wrote prisma/migrations/$dir and prisma/postgres/migrations/$dir; read both before committing" >&2
