import type { Clock } from "../infra/clock.js";
import type { Db } from "../infra/db.js";
import type { Logger } from "../infra/logger.js";
import type { Reply } from "../messages/reply.js";
import { enqueue } from "./enqueue.js";
import type { ChannelSender } from "./sender.js";

/** A reply with its idempotency key: one per event and position, so a redelivery never sends twice. */
export interface KeyedReply {
  reply: Reply;
  key: string;
}

/** Delivers the replies a receiver could not give in its HTTP answer to one platform account. */
export type ReplyDeliverer = (externalId: string, replies: KeyedReply[]) => Promise<void>;

/**
 * The one place that decides where a reply goes once it cannot ride on the HTTP answer (DESIGN.md §3).
 * The platform account is resolved once per delivery: bound to a user, the replies are queued in the
 * durable outbox like every other outbound message (keyed, paced, retried) and sent at once; bound to
 * nobody (an unregistered person), they are sent directly, once, since there is no user to queue for.
 * Cards in replies were recorded by the core when it answered, so they are not recorded again here.
 */
export class ReplyRoute {
  private flusher: () => Promise<unknown> = async () => undefined;

  constructor(private readonly deps: { db: Db; clock: Clock; log: Logger }) {}

  /** Set once the outbox worker exists (it needs the channels' senders, so it comes after them). */
  onFlush(fn: () => Promise<unknown>): void {
    this.flusher = fn;
  }

  /** The deliverer of one platform; `sender` reaches the accounts bound to nobody. */
  deliverer(sender: ChannelSender): ReplyDeliverer {
    const direct = directDelivery(sender, this.deps.log);
    return async (externalId, replies) => {
      if (replies.length === 0) return;
      const { db, clock } = this.deps;
      const platform = sender.platform;
      const identity = await db.platformIdentity.findUnique({ where: { platform_externalId: { platform, externalId } }, select: { userId: true } });
      if (!identity) return direct(externalId, replies);
      await db.$transaction(async (tx) => {
        const now = clock.now();
        for (const r of replies) await enqueue(tx, identity.userId, r.reply, { key: r.key, now, replyTo: { platform, externalId } });
      });
      await this.flusher();
    };
  }
}

/** Sends each reply once through the platform API; a failure is logged, not retried. */
export function directDelivery(sender: ChannelSender, log: Logger): ReplyDeliverer {
  return async (externalId, replies) => {
    for (const { reply, key } of replies) {
      const result = await sender.send(externalId, reply, { idempotencyKey: key });
      if (!result.ok) log.error({ msg: `${sender.platform} reply not delivered`, key, reply: reply.kind, kind: result.kind, code: result.code });
    }
  };
}
