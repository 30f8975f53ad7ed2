// Prisma 6.19 CLI configuration for `migrate diff` on SQLite (scripts/db-diff.sh). The JS engine
// runs Prisma's schema engine in WebAssembly through a driver adapter, so nothing is downloaded.
// The scratch database is only opened, never written: the diff is schema file to schema file.
import process from "node:process";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";

export default {
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    return new PrismaBetterSqlite3({ url: process.env.DIFF_SCRATCH_URL ?? "file::memory:" });
  },
};
