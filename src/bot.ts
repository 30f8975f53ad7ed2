import type Koa from "koa";
import type { Settings } from "./config/settings.js";
import type { Clock } from "./infra/clock.js";
import type { Db } from "./infra/db.js";
import type { Logger } from "./infra/logger.js";
import { createApp } from "./app.js";
import { createChannels, type Channels } from "./channels/index.js";
import type { ConversationSettings } from "./conversation/context.js";
import type { ConversationCore } from "./conversation/core.js";
import { createCore } from "./conversation/create-core.js";
import { startBackground } from "./jobs/background.js";
import { ReplyRoute } from "./outbox/replies.js";
import type { ChannelSender } from "./outbox/sender.js";
import { deliveryPolicy } from "./jobs/reminder-digest.js";
import { OutboxWorker } from "./outbox/worker.js";

export interface BotOptions {
  clock: Clock;
  db: Db;
  log: Logger;
  /** Senders beside the platforms' own: the console's, in the terminal tools. */
  senders?: ChannelSender[];
  /**
   * false: the configured platforms are not mounted and their senders not used (the terminal chat
   * and demo answer through the console only; platform messages wait for the server's outbox).
   */
  platforms?: boolean;
  /** The demo delivers pushes at once instead of in working hours. */
  conversation?: Partial<ConversationSettings>;
}

export interface Bot {
  settings: Settings;
  db: Db;
  clock: Clock;
  log: Logger;
  core: ConversationCore;
  channels: Channels;
  /** The HTTP app (src/app.ts): error boundary, health, board, metrics, each configured platform. */
  koa: Koa;
  /** Sends what the outbox holds; the reply route asks it to send replies at once. */
  worker: OutboxWorker;
  /** The scheduled jobs and backup beside the outbox loop (`npm start`); returns their stop. */
  startBackground(): { stop(): Promise<void> };
  /** Waits for replies still being delivered after their webhook was answered (shutdown, tests). */
  drain(): Promise<void>;
}

/**
 * The one composition root, as Probot's createProbot: `npm start`, the terminal tools and the tests
 * all get the core, the channels, the reply route, the outbox worker and the HTTP app wired here.
 */
export function createBot(settings: Settings, opts: BotOptions): Bot {
  const { db, clock, log } = opts;
  const core = createCore({ settings, db, clock, log }, opts.conversation);
  const route = new ReplyRoute({ db, clock, log });
  const channels =
    opts.platforms === false ? noChannels() : createChannels({ settings, clock, log, db, handle: (ev) => core.handle(ev), route });
  const worker = new OutboxWorker({ db, clock, log, senders: [...channels.senders, ...(opts.senders ?? [])], policy: deliveryPolicy, leaseMs: settings.OUTBOX_LEASE_SECONDS * 1000 });
  route.onFlush(() => worker.drainOnce());
  const koa = createApp({ settings, db, clock, log, channels });
  return {
    settings,
    db,
    clock,
    log,
    core,
    channels,
    koa,
    worker,
    startBackground: () => startBackground({ settings, db, clock, log, worker }),
    async drain() {
      await channels.drain();
      await worker.idle();
    },
  };
}

function noChannels(): Channels {
  return { routes: [], senders: [], start: async () => undefined, drain: async () => undefined };
}
