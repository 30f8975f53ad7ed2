import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Checks that need PostgreSQL run in the PostgreSQL pass only (npm run test:pg, .ci/run); checks of
    // SQLite's own faults (they make their own SQLite file) run in the SQLite pass only.
    exclude: [
      ...configDefaults.exclude,
      ...(/^postgres(ql)?:/.test(process.env.TEST_DATABASE_URL ?? "") ? ["test/**/*.sqlite-only.test.ts"] : ["test/**/*.pg-only.test.ts"]),
    ],
    globalSetup: ["test/global-setup.ts"],
    // Each test file gets its own SQLite file; files run in parallel on the machine's two cores.
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: ["default"],
  },
});
