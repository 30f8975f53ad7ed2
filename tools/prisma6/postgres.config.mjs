// Prisma 6.19 CLI configuration for `migrate diff` on PostgreSQL (scripts/db-diff.sh). The schema
// engine connects to the server named by DATABASE_URL but writes nothing to it.
import process from "node:process";
import { PrismaPg } from "@prisma/adapter-pg";

export default {
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    return new PrismaPg({ connectionString: process.env.DATABASE_URL });
  },
};
