import { Prisma } from "../generated/prisma/client.js";
import type { Clock } from "../infra/clock.js";
import type { Db } from "../infra/db.js";

/**
 * Pacing per platform with token buckets (platforms.md). A bucket of `capacity` tokens refilled one
 * token every `refillMs` lets through at most capacity + window / refillMs sends in any window, so
 * each bucket below is sized to keep that sum at or under the platform's published limit:
 * - WeCom: at most 30 messages a minute and 1,000 an hour to one member per app; the excess is dropped
 *   silently with no error (doc 90312), so this pacing is the only protection. 10 + 60 s / 3 s = 30 and
 *   100 + 3600 s / 4 s = 1,000.
 * - DingTalk: 20 requests a second per app and API. 10 + 1 s / 100 ms = 20.
 * - console: no limit.
 * The buckets live in the database (OutboxPace), so every instance sending for one app shares them.
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

export interface Bucket {
  tokens: number;
  /** Epoch ms the last whole refill was counted from. */
  at: number;
}

/** "tokens@ms,…" as stored; a missing or unreadable state is a full set of buckets. */
export function readBuckets(state: string | undefined, specs: BucketSpec[], now: number): Bucket[] {
  const parts = state?.split(",") ?? [];
  return specs.map((spec, i) => {
    const [tokens, at] = (parts[i] ?? "").split("@").map(Number);
    return Number.isFinite(tokens) && Number.isFinite(at) ? { tokens, at } : { tokens: spec.capacity, at: now };
  });
}

export const writeBuckets = (buckets: Bucket[]): string => buckets.map((b) => `${b.tokens}@${b.at}`).join(",");

/** Adds the tokens earned since each bucket's last refill. */
export function refill(buckets: Bucket[], specs: BucketSpec[], now: number): Bucket[] {
  return buckets.map((b, i) => {
    const spec = specs[i];
    const earned = Math.floor((now - b.at) / spec.refillMs);
    if (earned <= 0) return b;
    const tokens = Math.min(spec.capacity, b.tokens + earned);
    // Keep the remainder of a partly elapsed interval; a full bucket starts counting afresh.
    return { tokens, at: tokens === spec.capacity ? now : b.at + earned * spec.refillMs };
  });
}

/** Whole tokens every bucket can give. */
export const available = (buckets: Bucket[]): number => Math.max(0, Math.floor(Math.min(Infinity, ...buckets.map((b) => b.tokens))));

export const spend = (buckets: Bucket[], n: number): Bucket[] => buckets.map((b) => ({ ...b, tokens: b.tokens - n }));

interface Scope {
  key: string;
  specs: BucketSpec[];
  buckets: Bucket[];
  version: number;
  spent: number;
}

/**
 * The shared buckets. A take reads the scopes it needs in one query and writes them back in one
 * upsert that succeeds per row only on the version it read (optimistic concurrency): a scope another
 * worker changed meanwhile grants nothing this time, so two workers together never overspend.
 */
export class SharedPace {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly limits: PlatformLimits = PLATFORM_LIMITS,
  ) {}

  /** Whether a platform's limit applies to the whole app (then one refusal stops the platform's queue). */
  isPlatformWide(platform: string): boolean {
    return this.specs(platform, "platform").length > 0;
  }

  /**
   * How many of the wanted sends may go now, per recipient, in the order given (an app-wide bucket
   * serves the first recipients first). Tokens granted are spent whether or not they are used.
   */
  async take(platform: string, wants: Map<string, number>): Promise<Map<string, number>> {
    const perRecipient = this.specs(platform, "recipient");
    const appWide = this.specs(platform, "platform");
    if (perRecipient.length === 0 && appWide.length === 0) return new Map(wants);
    const now = this.clock.now().getTime();
    const keys = [...(appWide.length ? [`${platform}|*`] : []), ...(perRecipient.length ? [...wants.keys()].map((r) => `${platform}|${r}`) : [])];
    const stored = new Map((await this.db.outboxPace.findMany({ where: { key: { in: keys } } })).map((r) => [r.key, r]));
    const scope = (key: string, specs: BucketSpec[]): Scope => {
      const row = stored.get(key);
      return { key, specs, buckets: refill(readBuckets(row?.state, specs, now), specs, now), version: row?.version ?? 0, spent: 0 };
    };
    const app = appWide.length ? scope(`${platform}|*`, appWide) : null;
    const scopes = new Map<string, Scope>();
    const granted = new Map<string, number>();
    let appLeft = app ? available(app.buckets) : Infinity;
    for (const [recipient, want] of wants) {
      const own = perRecipient.length ? scope(`${platform}|${recipient}`, perRecipient) : null;
      const n = Math.min(want, own ? available(own.buckets) : Infinity, appLeft);
      appLeft -= n;
      granted.set(recipient, n);
      if (own && n > 0) scopes.set(recipient, { ...own, spent: n });
    }
    if (app) app.spent = [...granted.values()].reduce((a, b) => a + b, 0);
    const writes = [...(app && app.spent > 0 ? [app] : []), ...scopes.values()];
    const written = await this.write(writes);
    if (app && app.spent > 0 && !written.has(app.key)) return new Map([...wants.keys()].map((r) => [r, 0]));
    for (const [recipient, s] of scopes) if (!written.has(s.key)) granted.set(recipient, 0);
    return granted;
  }

  /** Gives back tokens taken for sends that did not happen (a row another worker claimed first). */
  async refund(platform: string, unused: Map<string, number>): Promise<void> {
    const entries = [...unused].filter(([, n]) => n > 0);
    if (entries.length === 0) return;
    const now = this.clock.now().getTime();
    const give = new Map<string, { specs: BucketSpec[]; n: number }>();
    const appWide = this.specs(platform, "platform");
    const perRecipient = this.specs(platform, "recipient");
    if (appWide.length) give.set(`${platform}|*`, { specs: appWide, n: entries.reduce((a, [, n]) => a + n, 0) });
    if (perRecipient.length) for (const [r, n] of entries) give.set(`${platform}|${r}`, { specs: perRecipient, n });
    const rows = await this.db.outboxPace.findMany({ where: { key: { in: [...give.keys()] } } });
    // Best effort: a scope changed meanwhile keeps its tokens spent, which only slows sending.
    await this.write(
      rows.map((row) => {
        const { specs, n } = give.get(row.key)!;
        const buckets = refill(readBuckets(row.state, specs, now), specs, now).map((b, i) => ({ ...b, tokens: Math.min(specs[i].capacity, b.tokens + n) }));
        return { key: row.key, specs, buckets, version: row.version, spent: 0 };
      }),
    );
  }

  private specs(platform: string, scope: BucketSpec["scope"]): BucketSpec[] {
    return (this.limits[platform] ?? []).filter((s) => s.scope === scope);
  }

  /** One upsert for all scopes; returns the keys written (those nobody changed since they were read). */
  private async write(scopes: Scope[]): Promise<Set<string>> {
    if (scopes.length === 0) return new Set();
    const values = scopes.map((s) => Prisma.sql`(${s.key}, ${writeBuckets(spend(s.buckets, s.spent))}, ${s.version + 1})`);
    const rows = await this.db.$queryRaw<{ key: string }[]>`
      INSERT INTO "OutboxPace" ("key", "state", "version") VALUES ${Prisma.join(values)}
      ON CONFLICT ("key") DO UPDATE SET "state" = excluded."state", "version" = excluded."version"
      WHERE "OutboxPace"."version" = excluded."version" - 1
      RETURNING "key"`;
    return new Set(rows.map((r) => r.key));
  }
}
