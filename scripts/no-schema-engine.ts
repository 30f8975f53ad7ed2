import { chmodSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Stand-in for Prisma 7's native schema engine, which this project never installs (package.json
 * `allowScripts` forbids the download). `prisma generate` does not run the engine but looks for its
 * binary and would otherwise fetch it. Should any command really run it (`prisma migrate …`,
 * `db push`), the stand-in fails loudly: with an empty placeholder Prisma 7's `migrate diff` exits 0
 * and prints no SQL, which reads like "no changes". Migrations come from `npm run db:diff`.
 */
export const NO_SCHEMA_ENGINE = path.join(path.dirname(fileURLToPath(import.meta.url)), "no-schema-engine.sh");

/** Points the Prisma CLI at the stand-in unless the operator named a real engine. */
export function useNoSchemaEngine(): void {
  if (process.env.PRISMA_SCHEMA_ENGINE_BINARY) return;
  // npm ci and git checkouts may drop the executable bit; the CLI only checks that the file exists.
  if (!(statSync(NO_SCHEMA_ENGINE).mode & 0o100)) chmodSync(NO_SCHEMA_ENGINE, 0o755);
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = NO_SCHEMA_ENGINE;
}
