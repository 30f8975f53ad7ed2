import "dotenv/config";
import { createServer } from "node:http";
import { loadSettings, SettingsError } from "./config/settings.js";
import { createBot } from "./bot.js";
import { systemClock } from "./infra/clock.js";
import { createDb } from "./infra/db.js";
import { createLogger, type Logger } from "./infra/logger.js";
import { migrate } from "./infra/migrate.js";
import { logRulesFile } from "./ops/rules-check.js";
import { markServerRunning, type ServerMarker } from "./ops/server-marker.js";

/** `npm start` (tsx) and `npm run start:prod` (compiled, plain node): validate settings, apply migrations, serve HTTP, start the scheduler and outbox. */
async function main(): Promise<void> {
  let settings;
  try {
    settings = loadSettings();
  } catch (err) {
    if (err instanceof SettingsError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
  const log = createLogger(settings.LOG_LEVEL);
  logFatalExits(log);
  const applied = await migrate(settings.DATABASE_URL);
  log.info({ msg: "database ready", migrationsApplied: applied });
  logRulesFile(settings.RULES_DIR, systemClock.now(), log);
  const db = await createDb(settings.DATABASE_URL, { maxSizeMb: settings.SQLITE_MAX_SIZE_MB });
  const bot = createBot(settings, { db, clock: systemClock, log });
  const background = bot.startBackground();
  const server = createServer(bot.koa.callback());
  let marker: ServerMarker | undefined;
  server.listen(settings.PORT, settings.HOST, () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : settings.PORT;
    // Tells `npm run cli -- restore` that this database is in use.
    marker = markServerRunning(settings.DATABASE_URL, port);
    log.info({ msg: "listening", port });
    void bot.channels.start();
  });
  const stop = async (signal: string) => {
    log.info({ msg: "shutting down", signal });
    await background.stop();
    server.close();
    await bot.drain();
    await db.$disconnect();
    marker?.remove();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

/**
 * Whatever ends the process leaves one structured line: an uncaught error or rejection, or a signal
 * that is not a shutdown request (issue 14: one fault killed the server with nothing logged).
 */
function logFatalExits(log: Logger): void {
  const fatal = (kind: string) => (err: unknown) => {
    log.fatal({ msg: "process exiting", reason: kind, err });
    process.exit(1);
  };
  process.on("uncaughtException", fatal("uncaught exception"));
  process.on("unhandledRejection", fatal("unhandled rejection"));
  for (const signal of ["SIGHUP", "SIGQUIT", "SIGABRT"] as const) {
    process.on(signal, () => {
      log.fatal({ msg: "process exiting", reason: "signal", signal });
      process.exit(128 + (signal === "SIGHUP" ? 1 : signal === "SIGQUIT" ? 3 : 6));
    });
  }
}

main().catch((err: unknown) => {
  createLogger("info").fatal({ msg: "startup failed", err });
  process.exit(1);
});
