#!/bin/sh
# Placeholder for Prisma's native schema engine (see scripts/no-schema-engine.ts).
echo "此项目未安装 Prisma 原生 schema 引擎；生成迁移请使用 npm run db:diff 或 scripts/new-migration.sh。" >&2
exit 1
