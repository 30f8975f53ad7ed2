// Prisma CLI configuration for PostgreSQL: `prisma generate` / `prisma migrate diff` with
// `--config prisma/postgres/prisma.config.ts`. Like the SQLite one it uses the JS engine with a
// driver adapter (PrismaPg), so the CLI never downloads an engine. The schema beside it is derived
// from prisma/schema.prisma by scripts/pg-schema.ts.
import "dotenv/config";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

const here = path.dirname(fileURLToPath(import.meta.url));
const url = process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : "postgresql://postgres@127.0.0.1:5432/jxmb";
process.env.DATABASE_URL = url;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(here, "schema.prisma"),
  migrations: { path: path.join(here, "migrations") },
  async adapter() {
    return new PrismaPg({ connectionString: url });
  },
});
