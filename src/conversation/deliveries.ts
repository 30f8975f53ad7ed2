import { isUniqueViolation } from "../infra/db-errors.js";
import type { Db, Tx } from "../infra/db.js";
import type { Reply } from "../messages/reply.js";
import { noteDuplicate, recordCommand, type CommandOutcome } from "../metrics/registry.js";
import type { InboundEvent } from "./event.js";

/**
 * Platform + sender + message id: a message id is unique per sender at best, so another user reusing
 * it is a new message, and a stored reply is only ever given back to the one who was answered.
 */
export function dedupeKey(event: InboundEvent): string {
  return `${event.senderId}\u001f${event.eventKey}`;
}

/**
 * Each delivery seen, with the answer it got (the InboundEvent table): a platform's redelivery gets the
 * same answer and takes effect once.
 */
export class Deliveries {
  constructor(private readonly db: Db) {}

  async storedReplies(event: InboundEvent): Promise<Reply[] | null> {
    const row = await this.db.inboundEvent.findUnique({ where: { platform_eventKey: { platform: event.platform, eventKey: dedupeKey(event) } } });
    return row ? (JSON.parse(row.replies) as Reply[]) : null;
  }

  /** Recorded last in the delivery's transaction: a concurrent duplicate fails here on the unique key. */
  async record(tx: Tx, event: InboundEvent, now: Date, userId: number | null, replies: Reply[]): Promise<void> {
    await tx.inboundEvent.create({
      data: { platform: event.platform, eventKey: dedupeKey(event), receivedAt: now, userId, replies: JSON.stringify(replies) },
    });
  }

  /** A redelivery: the answer stored the first time, and the event marked so nothing is sent actively. */
  async duplicate(event: InboundEvent): Promise<Reply[]> {
    noteDuplicate();
    event.redelivery = true;
    return (await this.storedReplies(event)) ?? [];
  }

  /**
   * A refused command is still a delivery seen: a retry must get the same answer, not a second try.
   * Returns the stored answer when this was itself a retry (text is not looked up before it runs).
   */
  async recordRefusal(event: InboundEvent, now: Date, replies: Reply[]): Promise<Reply[] | null> {
    try {
      await this.record(this.db, event, now, null, replies);
      return null;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return this.duplicate(event);
    }
  }
}

/**
 * Command outcomes of a delivery, counted once its transaction has committed: a retried text runs
 * its command again and rolls back, and must not be counted twice.
 */
export class CommandOutcomes {
  private readonly pending = new WeakMap<InboundEvent, [string, CommandOutcome][]>();

  note(event: InboundEvent, command: string, outcome: CommandOutcome): void {
    const list = this.pending.get(event) ?? [];
    list.push([command, outcome]);
    this.pending.set(event, list);
  }

  count(event: InboundEvent): void {
    for (const [command, outcome] of this.pending.get(event) ?? []) recordCommand(command, outcome);
    this.pending.delete(event);
  }

  drop(event: InboundEvent): void {
    this.pending.delete(event);
  }
}
