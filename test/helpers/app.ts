import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp, type App } from "../../src/app.js";
import { OutboxWorker } from "../../src/outbox/worker.js";
import { loadSettings, type Settings } from "../../src/config/settings.js";
import { FixedClock } from "../../src/infra/clock.js";
import type { Db } from "../../src/infra/db.js";
import { createLogger, type Logger } from "../../src/infra/logger.js";
import { freshDb } from "./db.js";
import { deliveryPolicy } from "../../src/jobs/reminder-digest.js";

export interface TestApp {
  url: string;
  db: Db;
  dbUrl: string;
  app: App;
  clock: FixedClock;
  settings: Settings;
  close(): Promise<void>;
}

/**
 * The real app on a loopback port with its own SQLite file and a settable clock. `env` adds settings
 * (for example the WECOM_* values of a simulator).
 */
export async function startTestApp(opts: { env?: Record<string, string>; now?: Date; db?: { db: Db; url: string }; log?: Logger } = {}): Promise<TestApp> {
  const { db, url: dbUrl } = opts.db ?? (await freshDb("app"));
  const settings = loadSettings({ NODE_ENV: "test", DATABASE_URL: dbUrl, LOG_LEVEL: "silent", SCHEDULER_ENABLED: "false", ...opts.env });
  const clock = new FixedClock(opts.now ?? new Date("2026-05-20T02:00:00Z"));
  const log = opts.log ?? createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
  const app = createApp({ settings, db, clock, log });
  // As in production, replies that cannot go inline leave through the outbox, sent at once.
  const worker = new OutboxWorker({ db, senders: app.channels.senders, clock, log, policy: deliveryPolicy });
  app.replies.onFlush(() => worker.drainOnce());
  const server: Server = createServer(app.koa.callback());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    dbUrl,
    app,
    clock,
    settings,
    async close() {
      await app.channels.drain();
      await worker.idle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.$disconnect();
    },
  };
}
