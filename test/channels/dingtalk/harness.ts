import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import Koa from "koa";
import { createLogger, type Logger } from "../../../src/infra/logger.js";
import { loadSettings, type Settings } from "../../../src/config/settings.js";
import type { InboundEvent } from "../../../src/conversation/event.js";
import type { Reply } from "../../../src/messages/reply.js";
import { BackgroundTasks } from "../../../src/channels/dingtalk/background.js";
import { createDingtalkRoutes, type DingtalkReceiverDeps } from "../../../src/channels/dingtalk/receiver.js";
import { createDingtalkChannel } from "../../../src/channels/dingtalk/channel.js";
import type { DingtalkCardOptions } from "../../../src/channels/dingtalk/sender.js";
import { directDelivery } from "../../../src/outbox/replies.js";
import type { DingtalkSimulator } from "../../../simulators/dingtalk/server.js";

/** Test helpers for the DingTalk channel: settings aimed at a simulator, a captured log, a bot. */

export function settingsFor(sim: DingtalkSimulator, extra: Record<string, string> = {}): Settings {
  return loadSettings({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    DINGTALK_APP_KEY: sim.appKey,
    DINGTALK_APP_SECRET: sim.appSecret,
    DINGTALK_ROBOT_CODE: sim.robotCode,
    DINGTALK_API_BASE: sim.apiBase,
    DINGTALK_OAPI_BASE: sim.oapiBase,
    ...extra,
  });
}

/** A debug-level logger whose output tests can search (for leaked secrets, operator hints). */
export function capturedLogger(): { log: Logger; lines: () => string } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString("utf8"));
      done();
    },
  });
  return { log: createLogger("debug", sink), lines: () => chunks.join("") };
}

/** The core, played by a stub that records every event and answers what the test says. */
export function recordingHandle(answer: (ev: InboundEvent) => Reply[] | Promise<Reply[]> = () => []): {
  handle: (ev: InboundEvent) => Promise<Reply[]>;
  events: InboundEvent[];
} {
  const events: InboundEvent[] = [];
  return {
    events,
    handle: async (ev) => {
      events.push(ev);
      return answer(ev);
    },
  };
}

export interface TestBot {
  url: string;
  tasks: BackgroundTasks;
  close(): Promise<void>;
}

/**
 * Mounts the DingTalk routes in a bare Koa app on 127.0.0.1:0 and points the simulator at it. Without
 * a database, replies the API carries are sent directly, once, as the reply route does for an
 * account bound to nobody.
 */
export async function startBot(
  sim: DingtalkSimulator,
  deps: Omit<DingtalkReceiverDeps, "tasks" | "api" | "deliver"> & { cards?: DingtalkCardOptions },
): Promise<TestBot> {
  const tasks = new BackgroundTasks(deps.log);
  const { api, sender } = createDingtalkChannel(deps.settings, { clock: deps.clock, log: deps.log, cards: deps.cards });
  const deliver = directDelivery(sender, deps.log);
  const app = new Koa();
  app.silent = true;
  app.use(createDingtalkRoutes({ ...deps, api, deliver, tasks }).routes());
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sim.setBotUrl(url);
  return {
    url,
    tasks,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
