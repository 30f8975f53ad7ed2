import type { Reply } from "../messages/reply.js";
import type { Clock } from "../infra/clock.js";
import type { Db } from "../infra/db.js";
import { enqueue } from "./enqueue.js";

/**
 * Replies a channel could not give inline (cards, files, answers after the platform's deadline) go
 * through the durable outbox like every other outbound message (DESIGN.md §3): written with a key per
 * event and reply, so a redelivered event or a crash never sends them twice, and paced with the rest.
 * `flush` asks the worker to send now rather than at its next tick.
 */
export class ReplyOutbox {
  private flusher: () => Promise<unknown> = async () => undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Set once the outbox worker exists (it needs the channels' senders, so it comes after them). */
  onFlush(fn: () => Promise<unknown>): void {
    this.flusher = fn;
  }

  /**
   * Queues the replies for the platform account and sends them. Returns false when the account is
   * bound to nobody (an unregistered person): those replies have no user to queue for.
   */
  async deliver(platform: string, externalId: string, replies: { reply: Reply; key: string }[]): Promise<boolean> {
    const identity = await this.db.platformIdentity.findUnique({ where: { platform_externalId: { platform, externalId } } });
    if (!identity) return false;
    await this.db.$transaction(async (tx) => {
      const now = this.clock.now();
      for (const r of replies) await enqueue(tx, identity.userId, r.reply, { key: r.key, platform, now });
    });
    await this.flusher();
    return true;
  }
}
