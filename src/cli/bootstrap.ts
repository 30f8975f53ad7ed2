import "dotenv/config";
import { loadSettings, type Settings } from "../config/settings.js";
import { DomainError } from "../domain/errors.js";
import { systemClock, type Clock } from "../infra/clock.js";
import { createDb, type Db } from "../infra/db.js";
import { createLogger, type Logger } from "../infra/logger.js";
import { migrate } from "../infra/migrate.js";

/** Shared start-up of the command-line tools: settings, migrated database, a quiet logger. */
export async function bootstrap(overrides: Record<string, string> = {}): Promise<{ settings: Settings; db: Db; log: Logger; clock: Clock }> {
  const settings = loadSettings({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn", ...overrides });
  await migrate(settings.DATABASE_URL);
  const db = await createDb(settings.DATABASE_URL);
  return { settings, db, log: createLogger(settings.LOG_LEVEL, process.stderr as never), clock: systemClock };
}

/** sysexits(3): the data given was refused. */
export const EX_DATAERR = 65;

type CliDeps = Awaited<ReturnType<typeof bootstrap>>;

/**
 * Runs one command against the migrated database. A refusal by the domain is printed as it is (in
 * Chinese, with the right form) and exits 65; any other error is a fault and goes on; the database
 * is closed either way.
 */
export async function withDatabase(run: (deps: CliDeps) => Promise<number>): Promise<number> {
  const deps = await bootstrap();
  try {
    return await run(deps);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    console.error(err.message);
    return EX_DATAERR;
  } finally {
    await deps.db.$disconnect();
  }
}

/** Reads "--name value" from argv. */
export function flag(name: string, argv = process.argv.slice(2)): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}
