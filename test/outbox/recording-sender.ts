import type { Reply } from "../../src/messages/reply.js";
import type { Platform } from "../../src/domain/vocabulary.js";
import type { Clock } from "../../src/infra/clock.js";
import type { ChannelSender, SendMeta, SendResult } from "../../src/outbox/sender.js";

/**
 * The one outbound seam, recorded: every call with its time, and failures injected per call
 * (a result to return, or "hang" for a send that never answers, as in a process dying mid-send).
 */
export class RecordingSender implements ChannelSender {
  readonly calls: { recipient: string; reply: Reply; key: string; at: number }[] = [];
  readonly delivered: { recipient: string; reply: Reply; key: string; at: number }[] = [];
  private readonly script: (SendResult | "hang")[] = [];
  private readonly hanging: ((r: SendResult) => void)[] = [];
  private readonly waiting: { n: number; resolve: () => void }[] = [];

  constructor(
    readonly platform: Platform,
    private readonly clock: Clock,
  ) {}

  /** The next sends answer with these, in order; after them every send succeeds. */
  then(...results: (SendResult | "hang")[]): this {
    this.script.push(...results);
    return this;
  }

  /** Lets the sends that hung answer now (a worker that was presumed dead wakes up). */
  release(result: SendResult = { ok: true }): void {
    for (const resolve of this.hanging.splice(0)) resolve(result);
  }

  /** Resolves once `n` sends have been asked for (an awaited signal instead of polling). */
  untilCalls(n: number): Promise<void> {
    if (this.calls.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ n, resolve }));
  }

  async send(recipient: string, reply: Reply, meta: SendMeta): Promise<SendResult> {
    const call = { recipient, reply, key: meta.idempotencyKey, at: this.clock.now().getTime() };
    this.calls.push(call);
    for (const w of this.waiting.filter((x) => this.calls.length >= x.n)) {
      this.waiting.splice(this.waiting.indexOf(w), 1);
      w.resolve();
    }
    const next = this.script.shift() ?? { ok: true };
    if (next === "hang") return new Promise((resolve) => this.hanging.push(resolve));
    if (next.ok) this.delivered.push(call);
    return next;
  }
}

export const retryable = (message = "HTTP 502"): SendResult => ({ ok: false, kind: "retryable", code: 502, message });
export const rateLimited = (retryAfterMs?: number): SendResult => ({ ok: false, kind: "rate_limited", code: 45009, message: "api freq out of limit", retryAfterMs });
export const permanent = (): SendResult => ({ ok: false, kind: "permanent", code: 81013, message: "user not in app visible range" });
