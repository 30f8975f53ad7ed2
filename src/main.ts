import "dotenv/config";
import { createServer } from "node:http";
import { loadSettings, SettingsError } from "./config/settings.js";
import { createApp } from "./app.js";
import { systemClock } from "./infra/clock.js";
import { createDb } from "./infra/db.js";
import { createLogger } from "./infra/logger.js";
import { migrate } from "./infra/migrate.js";
import { startBackground } from "./jobs/background.js";
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
  const applied = await migrate(settings.DATABASE_URL);
  log.info({ msg: "database ready", migrationsApplied: applied });
  logRulesFile(settings.RULES_DIR, systemClock.now(), log);
  const db = await createDb(settings.DATABASE_URL);
  const app = createApp({ settings, db, clock: systemClock, log });
  const background = startBackground({ settings, db, clock: systemClock, log, senders: app.channels.senders });
  app.replies.onFlush(() => background.flush());
  const server = createServer(app.koa.callback());
  let marker: ServerMarker | undefined;
  server.listen(settings.PORT, settings.HOST, () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : settings.PORT;
    // Tells `npm run cli -- restore` that this database is in use.
    marker = markServerRunning(settings.DATABASE_URL, port);
    log.info({ msg: "listening", port });
    void app.channels.start();
  });
  const stop = async (signal: string) => {
    log.info({ msg: "shutting down", signal });
    await background.stop();
    server.close();
    await app.channels.drain();
    await db.$disconnect();
    marker?.remove();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
