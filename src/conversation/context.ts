import type { Logger } from "../infra/logger.js";
import type { Tx } from "../infra/db.js";
import type { Actor } from "../domain/people/actor.js";
import type { InboundEvent } from "./event.js";
import type { Reply } from "../messages/reply.js";
import { text } from "../messages/reply.js";
import { enqueue, type EnqueueOptions } from "../outbox/enqueue.js";
import { noReadCache, type ReadCaches } from "./read-cache.js";

/** Settings the conversation needs, injected so tests control them. */
export interface ConversationSettings {
  appealWindowDays: number;
  dialogTtlMinutes: number;
  rulesDir: string;
  publicBaseUrl: string;
  linkSecret: string;
  boardLinkTtlHours: number;
  evidenceDir: string;
  /** When a push queued now may go out: the next moment inside QUIET_HOURS on a working day. */
  deliveryTime(now: Date): Date;
}

/** One context per event: who is speaking, the transaction, a tagged logger, and reply(). */
export class CommandContext {
  readonly replies: Reply[] = [];
  /** Set by ask(): the dialog step to wait for. */
  pendingDialog: { step: string; data: Record<string, unknown> } | null = null;
  /** Set when the command finished a dialog (or wants it gone). */
  clearDialog = false;

  constructor(
    readonly tx: Tx,
    readonly actor: Actor,
    readonly event: InboundEvent,
    readonly now: Date,
    readonly settings: ConversationSettings,
    readonly log: Logger,
    /** The core's memory of rarely changed rows; a context made elsewhere reads them each time. */
    readonly cached: ReadCaches = noReadCache,
  ) {}

  /** The current 考评周期 (§2.20), from the core's cache. */
  currentCycle() {
    return this.cached.cycle(this.tx, this.now);
  }

  reply(r: Reply | string): void {
    this.replies.push(typeof r === "string" ? text(r) : r);
  }

  /** Asks the user for the next piece and waits for their next message in this conversation. */
  ask(question: string, step: string, data: Record<string, unknown> = {}): void {
    this.reply(question);
    this.pendingDialog = { step, data };
  }

  /** Queues a message to another person through the outbox, in this same transaction. */
  async notify(userId: number, reply: Reply, options: EnqueueOptions): Promise<void> {
    // Pushes wait for working hours (QUIET_HOURS); the answer to the speaker is not a push and never waits.
    await enqueue(this.tx, userId, reply, { ...options, now: options.now ?? this.now, notBefore: options.notBefore ?? this.settings.deliveryTime(this.now) });
  }
}
