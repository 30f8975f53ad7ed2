// Prisma CLI configuration (Prisma 7). `prisma generate` needs no engine and no network: the client
// is TypeScript plus the query compiler in WebAssembly, and the app talks to SQLite through the
// better-sqlite3 driver adapter (src/infra/db.ts). The app applies the committed migrations itself
// (src/infra/migrate.ts); new migration SQL comes from `npm run db:diff` (see README "开发说明").
import "dotenv/config";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { useNoSchemaEngine } from "./scripts/no-schema-engine.js";

useNoSchemaEngine();

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  datasource: { url: process.env.DATABASE_URL ?? "file:./data/jxmb.db" },
});
