import type { Clock } from "../../infra/clock.js";
import type { Db } from "../../infra/db.js";

/**
 * response_code per card (task_id): the only handle for message/update_template_card (doc 94888).
 * One comes back from message/send for an interactive card and a fresh one with every click callback
 * (doc 90240); each works once and only for 72 hours, so the newest one wins and `take` consumes it.
 * In the database (WecomResponseCode), a card update handled by another instance than the one that
 * saw the code finds it; the memory store is for a process with no database.
 */
export interface ResponseCodeStore {
  put(taskId: string, code: string): Promise<void>;
  take(taskId: string): Promise<string | undefined>;
}

const TTL_MS = 72 * 3600_000;
/** Expired codes are deleted on every this-many puts, so the table stays the size of 72 hours of cards. */
const PRUNE_EVERY = 100;

export class DbResponseCodes implements ResponseCodeStore {
  private puts = 0;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async put(taskId: string, code: string): Promise<void> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + TTL_MS);
    await this.db.wecomResponseCode.upsert({ where: { taskId }, create: { taskId, code, expiresAt }, update: { code, expiresAt } });
    if (++this.puts % PRUNE_EVERY === 0) await this.db.wecomResponseCode.deleteMany({ where: { expiresAt: { lte: now } } });
  }

  async take(taskId: string): Promise<string | undefined> {
    const row = await this.db.wecomResponseCode.findUnique({ where: { taskId } });
    if (!row) return undefined;
    // Deleting exactly the code read makes it single use across instances: one delete wins.
    const taken = await this.db.wecomResponseCode.deleteMany({ where: { taskId, code: row.code } });
    return taken.count === 1 && row.expiresAt > this.clock.now() ? row.code : undefined;
  }
}

export class MemoryResponseCodes implements ResponseCodeStore {
  private readonly codes = new Map<string, { code: string; expiresAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly maxEntries = 10_000,
  ) {}

  async put(taskId: string, code: string): Promise<void> {
    this.codes.delete(taskId);
    this.codes.set(taskId, { code, expiresAt: this.clock.now().getTime() + TTL_MS });
    // Maps iterate in insertion order: the first key is the oldest.
    while (this.codes.size > this.maxEntries) this.codes.delete(this.codes.keys().next().value as string);
  }

  async take(taskId: string): Promise<string | undefined> {
    const entry = this.codes.get(taskId);
    this.codes.delete(taskId);
    return entry && entry.expiresAt > this.clock.now().getTime() ? entry.code : undefined;
  }
}
