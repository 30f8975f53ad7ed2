// Prisma CLI configuration for PostgreSQL: `prisma generate --config prisma/postgres/prisma.config.ts`
// writes the PostgreSQL client (src/generated/prisma-pg) from the schema beside this file, which
// scripts/pg-schema.ts derives from prisma/schema.prisma. Like the SQLite one it needs no engine.
import "dotenv/config";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";
import { useNoSchemaEngine } from "../../scripts/no-schema-engine.js";

useNoSchemaEngine();

const here = path.dirname(fileURLToPath(import.meta.url));
const url = process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : "postgresql://postgres@127.0.0.1:5432/jxmb";

export default defineConfig({
  schema: path.join(here, "schema.prisma"),
  migrations: { path: path.join(here, "migrations") },
  datasource: { url },
});
