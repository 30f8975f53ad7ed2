import type { Tx } from "../infra/db.js";

/**
 * Withdrawing notices that still wait in the outbox when what they say stopped being true: a 销假
 * (the stand-in no longer receives the absent owner's reminders) or a new owner (the former owner no
 * longer owns the target). Rows already sent stay as they are; the caller tells whoever was told.
 */
export interface WithdrawScope {
  /** Notices a stand-in receives for this absent owner. */
  standInForId?: number;
  /** Notices about this target … */
  targetId?: number;
  /** … to these people, or received for them by a stand-in. */
  aboutUserIds?: number[];
  /** Further rows by idempotency key (e.g. the 代理通知 itself). */
  keys?: string[];
}

export interface Withdrawn {
  /** Recipients of the withdrawn rows, with how many each lost. */
  byUser: Map<number, number>;
  total: number;
}

const WAITING = ["pending", "failed"];

export async function withdrawWaiting(tx: Tx, scope: WithdrawScope, reason: string): Promise<Withdrawn> {
  const or = [];
  if (scope.standInForId !== undefined) or.push({ standInForId: scope.standInForId });
  if (scope.targetId !== undefined && scope.aboutUserIds?.length) {
    or.push({ targetId: scope.targetId, userId: { in: scope.aboutUserIds } });
    or.push({ targetId: scope.targetId, standInForId: { in: scope.aboutUserIds } });
  }
  if (scope.keys?.length) or.push({ idempotencyKey: { in: scope.keys } });
  const byUser = new Map<number, number>();
  if (or.length === 0) return { byUser, total: 0 };
  const rows = await tx.outboxMessage.findMany({ where: { status: { in: WAITING }, OR: or }, select: { id: true, userId: true } });
  if (rows.length === 0) return { byUser, total: 0 };
  // Conditional on still waiting: a worker that claimed a row meanwhile keeps it (it is being sent).
  await tx.outboxMessage.updateMany({ where: { id: { in: rows.map((r) => r.id) }, status: { in: WAITING } }, data: { status: "withdrawn", lastError: reason } });
  for (const r of rows) if (r.userId !== null) byUser.set(r.userId, (byUser.get(r.userId) ?? 0) + 1);
  return { byUser, total: rows.length };
}

/** Who of `userIds` has already received something matching the scope (they were told, so they are told again). */
export async function alreadyTold(tx: Tx, userIds: number[], where: { standInForId?: number; keys?: string[] }): Promise<Set<number>> {
  const or = [];
  if (where.standInForId !== undefined) or.push({ standInForId: where.standInForId });
  if (where.keys?.length) or.push({ idempotencyKey: { in: where.keys } });
  if (or.length === 0 || userIds.length === 0) return new Set();
  const rows = await tx.outboxMessage.findMany({ where: { status: "sent", userId: { in: userIds }, OR: or }, select: { userId: true } });
  return new Set(rows.map((r) => r.userId!));
}
