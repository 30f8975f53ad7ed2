import type { Reply } from "../messages/reply.js";
import type { Db } from "../infra/db.js";

/**
 * What the worker does with messages beyond sending them one by one, decided by whoever starts it:
 * the outbox itself knows messages, not what they are about. A digest group (set by the job that
 * enqueued, column digestGroup) with a renderer here merges a recipient's optional messages of that
 * group, due together, into one message; the group's optional cards are then left unsent, since the
 * digest says how to act and a pile of cards is the flood it avoids.
 */
export interface DeliveryPolicy {
  digests: Record<string, (replies: Reply[]) => Reply>;
}

export const SEND_EACH: DeliveryPolicy = { digests: {} };

export type Row = Awaited<ReturnType<Db["outboxMessage"]["findMany"]>>[number];

/** One send: a single row, or a digest of several rows (with the cards it makes unnecessary). */
export interface Unit {
  rows: Row[];
  digest?: { reply: Reply; covers: Row[] };
}

function kindOf(row: Row): string | undefined {
  try {
    return (JSON.parse(row.payload) as Reply).kind;
  } catch {
    return undefined;
  }
}

/** A recipient's due rows (oldest first) as sends: each digest first, then the other rows in order. */
export function planUnits(rows: Row[], policy: DeliveryPolicy): Unit[] {
  const digests: Unit[] = [];
  const merged = new Set<Row>();
  for (const [group, render] of Object.entries(policy.digests)) {
    const optional = rows.filter((r) => r.digestGroup === group && !r.mandatory);
    const items = optional.filter((r) => ["text", "markdown"].includes(kindOf(r) ?? ""));
    if (items.length < 2) continue;
    const covers = optional.filter((r) => kindOf(r) === "card");
    const reply = render(items.map((r) => JSON.parse(r.payload) as Reply));
    digests.push({ rows: items, digest: { reply, covers } });
    for (const r of [...items, ...covers]) merged.add(r);
  }
  return [...digests, ...rows.filter((r) => !merged.has(r)).map((r) => ({ rows: [r] }))];
}
