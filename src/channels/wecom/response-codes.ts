import type { Clock } from "../../infra/clock.js";

/**
 * response_code per card (task_id): the only handle for message/update_template_card (doc 94888).
 * One comes back from message/send for an interactive card and a fresh one with every click callback
 * (doc 90240); each works once and only for 72 hours, so the newest one wins and `take` consumes it.
 *
 * In memory: a card-update handled by another instance than the one that saw the code simply finds
 * none (the card stays clickable; the core's card state still refuses a second submission).
 */
export interface ResponseCodeStore {
  put(taskId: string, code: string): void;
  take(taskId: string): string | undefined;
}

const TTL_MS = 72 * 3600_000;

export class MemoryResponseCodes implements ResponseCodeStore {
  private readonly codes = new Map<string, { code: string; expiresAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly maxEntries = 10_000,
  ) {}

  put(taskId: string, code: string): void {
    this.codes.delete(taskId);
    this.codes.set(taskId, { code, expiresAt: this.clock.now().getTime() + TTL_MS });
    // Maps iterate in insertion order: the first key is the oldest.
    while (this.codes.size > this.maxEntries) this.codes.delete(this.codes.keys().next().value as string);
  }

  take(taskId: string): string | undefined {
    const entry = this.codes.get(taskId);
    this.codes.delete(taskId);
    return entry && entry.expiresAt > this.clock.now().getTime() ? entry.code : undefined;
  }
}
