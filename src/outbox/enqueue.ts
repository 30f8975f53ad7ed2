import type { Tx } from "../infra/db.js";
import type { Reply } from "../messages/reply.js";
import { rememberCards } from "../messages/cards.js";

export interface EnqueueOptions {
  /** Idempotency key, e.g. `negative-list:2026Q1:12`: the same key is never queued or sent twice. */
  key: string;
  /** Mandatory notices (§2.23 negative list to heads, escalations) ignore a user's mute and are never merged. */
  mandatory?: boolean;
  /** Optional messages of one group for one person may go out as one digest (the worker's DeliveryPolicy). */
  digestGroup?: string;
  now?: Date;
  /** Earliest send time (quiet hours). */
  notBefore?: Date;
  /** Send on this platform (a reply goes back where the question came from); default: preference order. */
  platform?: string;
  /** The target the notice is about, so a change of owner can withdraw it while it waits (src/outbox/withdraw.ts). */
  targetId?: number;
  /** The absent owner a stand-in receives it for, so 销假 can withdraw it while it waits. */
  standInForId?: number;
  /** A reply to the account that wrote: already resolved by the reply route, its cards recorded by the core. */
  replyTo?: { platform: string; externalId: string };
}

/** Platforms in order of preference when a user is bound on more than one. */
const PREFERENCE = ["wecom", "dingtalk", "console"];

/**
 * Writes an outbound message in the caller's transaction, so it exists exactly when the change that
 * caused it does. Returns false when the key was queued before.
 */
export async function enqueue(tx: Tx, userId: number, reply: Reply, opts: EnqueueOptions): Promise<boolean> {
  const existing = await tx.outboxMessage.findUnique({ where: { idempotencyKey: opts.key }, select: { id: true } });
  if (existing) return false;
  const identity = opts.replyTo ?? (await preferredIdentity(tx, userId, opts.platform));
  const now = opts.now ?? new Date();
  await tx.outboxMessage.create({
    data: {
      idempotencyKey: opts.key,
      platform: identity?.platform ?? "none",
      userId,
      recipient: identity?.externalId ?? "",
      payload: JSON.stringify(reply),
      mandatory: opts.mandatory ?? false,
      digestGroup: opts.digestGroup ?? null,
      // A person with no platform account cannot be reached; keep the row for the operator to see.
      status: identity ? "pending" : "dead",
      lastError: identity ? null : "user has no platform identity",
      notBefore: opts.notBefore ?? now,
      createdAt: now,
      targetId: opts.targetId ?? null,
      standInForId: opts.standInForId ?? null,
    },
  });
  if (identity && !opts.replyTo) await rememberCards(tx, identity.platform, userId, [reply]);
  return true;
}

async function preferredIdentity(tx: Tx, userId: number, platform: string | undefined): Promise<{ platform: string; externalId: string } | undefined> {
  const identities = await tx.platformIdentity.findMany({ where: { userId, ...(platform ? { platform } : {}) } });
  identities.sort((a, b) => PREFERENCE.indexOf(a.platform) - PREFERENCE.indexOf(b.platform));
  return identities[0];
}
