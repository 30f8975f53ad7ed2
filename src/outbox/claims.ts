import type { Db } from "../infra/db.js";
import type { Row } from "./policy.js";

/**
 * Claims and outcomes, written in batches. A claim is a conditional update (pending|failed → sending,
 * stamped with the worker and the time), so two processes never send the same row; an outcome is
 * written only while the claim is still ours. Fresh rows of a round are claimed with one statement;
 * a row whose claim expired (its worker died mid-send) is taken over alone, on the exact claim seen.
 */
export interface ClaimStamp {
  workerId: string;
  claimedAt: Date;
}

/** The ids this worker now holds, out of `rows`. */
export async function claimRows(db: Db, rows: Row[], stamp: ClaimStamp): Promise<Set<number>> {
  const data = { status: "sending", claimedBy: stamp.workerId, claimedAt: stamp.claimedAt, attempts: { increment: 1 } };
  const fresh = rows.filter((r) => r.status !== "sending");
  const ours = new Set<number>();
  if (fresh.length) {
    const ids = fresh.map((r) => r.id);
    const claim = await db.outboxMessage.updateMany({ where: { id: { in: ids }, status: { in: ["pending", "failed"] }, notBefore: { lte: stamp.claimedAt } }, data });
    if (claim.count === ids.length) ids.forEach((id) => ours.add(id));
    else if (claim.count > 0) {
      // Some were taken by another worker between our read and our claim: ask which are ours.
      const mine = await db.outboxMessage.findMany({ where: { id: { in: ids }, ...held(stamp) }, select: { id: true } });
      mine.forEach((r) => ours.add(r.id));
    }
  }
  for (const r of rows.filter((x) => x.status === "sending")) {
    const taken = await db.outboxMessage.updateMany({ where: { id: r.id, status: "sending", claimedBy: r.claimedBy, claimedAt: r.claimedAt }, data });
    if (taken.count === 1) ours.add(r.id);
  }
  return ours;
}

/** The claim as this worker wrote it: outcomes go only to rows still held so. */
export const held = (stamp: ClaimStamp) => ({ status: "sending", claimedBy: stamp.workerId, claimedAt: stamp.claimedAt });

/** Marks rows sent in one statement; returns how many were still ours. */
export async function markSent(db: Db, ids: number[], stamp: ClaimStamp, sentAt: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const written = await db.outboxMessage.updateMany({ where: { id: { in: ids }, ...held(stamp) }, data: { status: "sent", sentAt, lastError: null } });
  return written.count;
}

/** Writes a failure outcome on one row if it is still ours. */
export async function markFailed(db: Db, id: number, stamp: ClaimStamp, data: { status: string; lastError: string; notBefore?: Date }): Promise<boolean> {
  const written = await db.outboxMessage.updateMany({ where: { id, ...held(stamp) }, data });
  return written.count === 1;
}

/** Gives claimed rows back unsent (a round that ran long stops before its claims could expire). */
export async function release(db: Db, ids: number[], stamp: ClaimStamp): Promise<void> {
  if (ids.length === 0) return;
  await db.outboxMessage.updateMany({ where: { id: { in: ids }, ...held(stamp) }, data: { status: "pending", claimedBy: null, claimedAt: null, attempts: { decrement: 1 } } });
}
