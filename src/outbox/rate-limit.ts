import type { Clock } from "../infra/clock.js";

/**
 * Pacing per platform with token buckets (platforms.md). A bucket of `capacity` tokens refilled one
 * token every `refillMs` lets through at most capacity + window / refillMs sends in any window, so
 * each bucket below is sized to keep that sum at or under the platform's published limit:
 * - WeCom: at most 30 messages a minute and 1,000 an hour to one member per app; the excess is dropped
 *   silently with no error (doc 90312), so this pacing is the only protection. 10 + 60 s / 3 s = 30 and
 *   100 + 3600 s / 4 s = 1,000.
 * - DingTalk: 20 requests a second per app and API. 10 + 1 s / 100 ms = 20.
 * - console: no limit.
 * Buckets live in this process: with several instances sending, divide the rates among them.
 */
export interface BucketSpec {
  capacity: number;
  refillMs: number;
  /** One bucket per recipient, or one for the whole platform (app-level limits). */
  scope: "recipient" | "platform";
}

export type PlatformLimits = Record<string, BucketSpec[]>;

export const PLATFORM_LIMITS: PlatformLimits = {
  wecom: [
    { capacity: 10, refillMs: 3_000, scope: "recipient" },
    { capacity: 100, refillMs: 4_000, scope: "recipient" },
  ],
  dingtalk: [{ capacity: 10, refillMs: 100, scope: "platform" }],
  console: [],
};

interface Bucket {
  tokens: number;
  at: number;
}

/** Forget full buckets once this many are kept, so a province of recipients does not grow memory forever. */
const PRUNE_AT = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: PlatformLimits = PLATFORM_LIMITS,
  ) {}

  /** Whether a platform's limit applies to the whole app (then one refusal stops the platform's queue). */
  isPlatformWide(platform: string): boolean {
    return (this.limits[platform] ?? []).some((s) => s.scope === "platform");
  }

  /** Takes one token from every bucket that applies, or none when any of them is empty. */
  tryTake(platform: string, recipient: string): boolean {
    const specs = this.limits[platform] ?? [];
    const now = this.clock.now().getTime();
    const buckets = specs.map((spec, i) => this.bucket(`${platform}|${i}|${spec.scope === "platform" ? "*" : recipient}`, spec, now));
    if (buckets.some((b) => b.tokens < 1)) return false;
    for (const b of buckets) b.tokens -= 1;
    return true;
  }

  /** Gives the token back when the row it was taken for was claimed by someone else. */
  refund(platform: string, recipient: string): void {
    (this.limits[platform] ?? []).forEach((spec, i) => {
      const b = this.buckets.get(`${platform}|${i}|${spec.scope === "platform" ? "*" : recipient}`);
      if (b) b.tokens = Math.min(spec.capacity, b.tokens + 1);
    });
  }

  private bucket(key: string, spec: BucketSpec, now: number): Bucket {
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= PRUNE_AT) this.prune(now);
      b = { tokens: spec.capacity, at: now };
      this.buckets.set(key, b);
      return b;
    }
    const refill = Math.floor((now - b.at) / spec.refillMs);
    if (refill > 0) {
      b.tokens = Math.min(spec.capacity, b.tokens + refill);
      // Keep the remainder of a partly elapsed interval; a full bucket starts counting afresh.
      b.at = b.tokens === spec.capacity ? now : b.at + refill * spec.refillMs;
    }
    return b;
  }

  private prune(now: number): void {
    for (const [key, b] of this.buckets) {
      const [platform, i] = key.split("|");
      const spec = this.limits[platform]?.[Number(i)];
      if (!spec || b.tokens + (now - b.at) / spec.refillMs >= spec.capacity) this.buckets.delete(key);
    }
  }
}
