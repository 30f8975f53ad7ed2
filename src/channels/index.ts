import type Router from "@koa/router";
import type { Settings } from "../config/settings.js";
import type { Clock } from "../infra/clock.js";
import type { Logger } from "../infra/logger.js";
import type { InboundEvent } from "../conversation/event.js";
import type { Reply } from "../conversation/reply.js";
import type { ChannelSender } from "../outbox/sender.js";

export interface Channels {
  routes: Router[];
  senders: ChannelSender[];
}

export interface ChannelDeps {
  settings: Settings;
  clock: Clock;
  log: Logger;
  handle: (ev: InboundEvent) => Promise<Reply[]>;
}

/** Mounts each platform whose settings are complete; the rest stay off. */
export function createChannels(_deps: ChannelDeps): Channels {
  const routes: Router[] = [];
  const senders: ChannelSender[] = [];
  return { routes, senders };
}
