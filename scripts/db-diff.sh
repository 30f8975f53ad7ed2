#!/usr/bin/env bash
# Prints the migration SQL that takes the schema at a git revision (default HEAD) to the working
# prisma/schema.prisma, for one provider:
#
#   bash scripts/db-diff.sh [sqlite|postgresql] [base-revision]      (npm run db:diff)
#
# Prisma 7's `migrate diff` needs the native schema engine, which this project does not download,
# so the diff runs Prisma 6.19's CLI (tools/prisma6, WebAssembly schema engine through a driver
# adapter). The PostgreSQL diff starts the local test cluster (scripts/start-postgres.sh) to
# connect to; nothing is written to it. scripts/new-migration.sh writes both files of a migration.
set -euo pipefail
cd "$(dirname "$0")/.."

provider="${1:-sqlite}"
base="${2:-HEAD}"
prisma6="tools/prisma6/node_modules/prisma/build/index.js"
[[ -f "$prisma6" ]] || { echo "db-diff: $prisma6 is missing; run npm ci" >&2; exit 2; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Prisma 6 looks for its query and schema engine files before reading the config, and would
# download them; with engine "js" it never runs either, so any existing file will do.
export PRISMA_QUERY_ENGINE_LIBRARY="$PWD/scripts/no-schema-engine.sh" PRISMA_SCHEMA_ENGINE_BINARY="$PWD/scripts/no-schema-engine.sh"
# Prisma 6 requires a datasource url in the schema; Prisma 7 forbids it there (prisma.config.ts).
with_url() { sed -E -e '/^\s*url\s*=/d' -e 's/^(\s*provider\s*=\s*"(sqlite|postgresql)")$/\1\n  url      = env("DATABASE_URL")/' "$1"; }

case "$provider" in
  sqlite)
    with_url <(git show "$base:prisma/schema.prisma") >"$tmp/from.prisma"
    with_url prisma/schema.prisma >"$tmp/to.prisma"
    export DATABASE_URL="file:$tmp/scratch.db" DIFF_SCRATCH_URL="file:$tmp/scratch.db"
    config=tools/prisma6/sqlite.config.mjs
    ;;
  postgresql)
    npx tsx scripts/pg-schema.ts >&2
    with_url <(git show "$base:prisma/postgres/schema.prisma") >"$tmp/from.prisma"
    with_url prisma/postgres/schema.prisma >"$tmp/to.prisma"
    DATABASE_URL="$(bash scripts/start-postgres.sh)"
    export DATABASE_URL
    config=tools/prisma6/postgres.config.mjs
    ;;
  *) echo "usage: bash scripts/db-diff.sh [sqlite|postgresql] [base-revision]" >&2; exit 2 ;;
esac

node "$prisma6" migrate diff --config "$config" --from-schema-datamodel "$tmp/from.prisma" --to-schema-datamodel "$tmp/to.prisma" --script \
  | grep -v '^Loaded Prisma config'
