import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Reply } from "../messages/reply.js";
import type { Clock } from "../infra/clock.js";
import type { Db } from "../infra/db.js";
import type { Logger } from "../infra/logger.js";
import { recordSend } from "../metrics/registry.js";
import { DEFAULT_RETRY, retryDelay, type RetryPolicy } from "./backoff.js";
import { claimRows, type ClaimStamp, markFailed, markSent, release } from "./claims.js";
import { type DeliveryPolicy, planUnits, type Row, SEND_EACH, type Unit } from "./policy.js";
import { type PlatformLimits, SharedPace } from "./rate-limit.js";
import type { ChannelSender, SendResult } from "./sender.js";

/**
 * The durable outbox's sending side (DESIGN.md §3). Each round reads the due rows, takes the
 * platform's pace for them from the shared buckets, claims them in one conditional update
 * (src/outbox/claims.ts), sends, and marks the sent ones in updates of MARK_EVERY rows: a handful
 * of statements per round rather than several per message. Two processes never send the same row.
 * A row left in `sending` longer than the lease belongs to a worker that died mid-send (or before
 * it marked what it sent): it is claimed again and re-sent with the same idempotency key.
 */
export interface OutboxWorkerOptions {
  db: Db;
  senders: ChannelSender[];
  clock: Clock;
  log: Logger;
  /** Names this process in claimedBy; unique per worker. */
  workerId?: string;
  /** How long a claim holds; far longer than any round of sends, or a slow round is sent twice. */
  leaseMs?: number;
  retry?: RetryPolicy;
  /** Rows read, claimed and marked per round. */
  batchSize?: number;
  /** Recipients served at once; one recipient's rows always go one after another, in order. */
  concurrency?: number;
  limits?: PlatformLimits;
  /** Digests and the like (src/outbox/policy.ts); default: every row sent as it is. */
  policy?: DeliveryPolicy;
  /** Jitter source; tests pass a fixed one. */
  random?: () => number;
}

export interface DrainResult {
  sent: number;
  retrying: number;
  dead: number;
  /** Rows taken over from a worker whose claim had expired. */
  reclaimed: number;
  /** Rows left for a later tick because the platform's pace was reached. */
  deferred: number;
}

type Deferral = { platform: string; recipient?: string };

export const DEFAULT_LEASE_MS = 5 * 60_000;
/** Bounds one drain so a tick ends and the next one sees newly due rows. */
const MAX_ROUNDS = 20;
/**
 * Sent rows are marked in one update per this many: few statements per message, and a worker that dies
 * mid-round leaves at most this many sent-but-unmarked rows to be sent again after the lease.
 */
const MARK_EVERY = 25;

export class OutboxWorker {
  readonly workerId: string;
  private readonly senders: Map<string, ChannelSender>;
  private readonly pace: SharedPace;
  private readonly leaseMs: number;
  private readonly retry: RetryPolicy;
  private readonly policy: DeliveryPolicy;
  private current: Promise<DrainResult> | null = null;
  private readonly warnedPlatforms = new Set<string>();

  constructor(private readonly o: OutboxWorkerOptions) {
    this.workerId = o.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.senders = new Map(o.senders.map((s) => [s.platform, s]));
    this.pace = new SharedPace(o.db, o.clock, o.limits);
    this.leaseMs = o.leaseMs ?? DEFAULT_LEASE_MS;
    this.retry = o.retry ?? DEFAULT_RETRY;
    this.policy = o.policy ?? SEND_EACH;
  }

  /** Sends what is due now. Overlapping calls share one drain rather than racing each other. */
  drainOnce(): Promise<DrainResult> {
    this.current ??= this.drain().finally(() => (this.current = null));
    return this.current;
  }

  /** Resolves when the drain in progress, if any, has finished (for shutdown). */
  async idle(): Promise<void> {
    await this.current?.catch(() => undefined);
  }

  private async drain(): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, retrying: 0, dead: 0, reclaimed: 0, deferred: 0 };
    // Paced recipients (and whole platforms, for app-level limits) are left out of the next query,
    // so one busy recipient does not hide the rest of the queue.
    const deferred: Deferral[] = [];
    await this.warnUnsendable();
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const rows = await this.due(deferred);
      if (rows.length === 0) break;
      await this.round(rows, deferred, result);
    }
    if (result.sent + result.retrying + result.dead > 0) this.o.log.info({ msg: "outbox drained", worker: this.workerId, ...result });
    return result;
  }

  private async round(rows: Row[], deferred: Deferral[], result: DrainResult): Promise<void> {
    const lanes = await this.paced(groupByRecipient(rows), deferred, result);
    const stamp: ClaimStamp = { workerId: this.workerId, claimedAt: this.o.clock.now() };
    const ours = await claimRows(this.o.db, lanes.flat().flatMap((u) => u.rows), stamp);
    await this.refundLost(lanes, ours);
    const sent: Row[] = [];
    const unsent: number[] = [];
    const covered: { ids: number[]; by: string }[] = [];
    let next = 0;
    const work = Array.from({ length: Math.min(this.o.concurrency ?? 4, lanes.length) }, async () => {
      while (next < lanes.length) {
        for (const unit of lanes[next++]) {
          const claimed = unit.rows.filter((r) => ours.has(r.id));
          if (claimed.length === 0) continue;
          // Outcomes are written at the end of the round: stop well before the claims could expire.
          if (this.o.clock.now().getTime() - stamp.claimedAt.getTime() > this.leaseMs / 2) {
            unsent.push(...claimed.map((r) => r.id));
            continue;
          }
          for (const r of claimed) {
            if (r.status !== "sending") continue;
            result.reclaimed += 1;
            this.o.log.warn({ msg: "outbox row reclaimed after an expired claim; sending again with the same key", id: r.id, key: r.idempotencyKey, previousWorker: r.claimedBy });
          }
          const outcome = await this.send(claimed, unit.digest?.reply);
          if (outcome.ok) {
            sent.push(...claimed);
            if (sent.length >= MARK_EVERY) await this.markSent(sent.splice(0), stamp, result);
            if (unit.digest?.covers.length) covered.push({ ids: unit.digest.covers.map((c) => c.id), by: claimed[0].idempotencyKey });
          } else {
            for (const r of claimed) {
              const status = await this.fail(r, stamp, outcome);
              if (status) result[status === "dead" ? "dead" : "retrying"] += 1;
            }
          }
        }
      }
    });
    await Promise.all(work);
    await release(this.o.db, unsent, stamp);
    await this.markSent(sent, stamp, result);
    for (const c of covered) {
      await this.o.db.outboxMessage.updateMany({ where: { id: { in: c.ids }, status: { in: ["pending", "failed"] } }, data: { status: "skipped", lastError: `covered by digest ${c.by}` } });
    }
  }

  private async markSent(rows: Row[], stamp: ClaimStamp, result: DrainResult): Promise<void> {
    const written = await markSent(this.o.db, rows.map((r) => r.id), stamp, this.o.clock.now());
    for (const r of rows) recordSend(r.platform, "sent");
    if (written !== rows.length) this.o.log.warn({ msg: "outbox claims expired before the outcome was written; those rows belong to another worker now", worker: this.workerId, sent: rows.length, written });
    result.sent += written;
  }

  /** Each recipient's sends (one lane each) within the platform's pace; the rest wait for a later tick. */
  private async paced(groups: Row[][], deferred: Deferral[], result: DrainResult): Promise<Unit[][]> {
    const lanes: Unit[][] = [];
    const byPlatform = new Map<string, Map<string, Unit[]>>();
    for (const g of groups) {
      const platform = byPlatform.get(g[0].platform) ?? new Map<string, Unit[]>();
      platform.set(g[0].recipient, planUnits(g, this.policy));
      byPlatform.set(g[0].platform, platform);
    }
    for (const [platform, recipients] of byPlatform) {
      const granted = await this.pace.take(platform, new Map([...recipients].map(([r, units]) => [r, units.length])));
      let refused = false;
      for (const [recipient, units] of recipients) {
        const n = granted.get(recipient) ?? 0;
        if (n > 0) lanes.push(units.slice(0, n));
        if (n < units.length) {
          refused = true;
          result.deferred += units.slice(n).reduce((a, u) => a + u.rows.length, 0);
          if (!this.pace.isPlatformWide(platform)) deferred.push({ platform, recipient });
        }
      }
      if (refused && this.pace.isPlatformWide(platform)) deferred.push({ platform });
    }
    return lanes;
  }

  /** Tokens taken for units another worker claimed first go back to the shared buckets. */
  private async refundLost(lanes: Unit[][], ours: Set<number>): Promise<void> {
    const lost = new Map<string, Map<string, number>>();
    for (const lane of lanes) {
      for (const u of lane) {
        if (u.rows.some((r) => ours.has(r.id))) continue;
        const { platform, recipient } = u.rows[0];
        const m = lost.get(platform) ?? new Map<string, number>();
        m.set(recipient, (m.get(recipient) ?? 0) + 1);
        lost.set(platform, m);
      }
    }
    for (const [platform, m] of lost) await this.pace.refund(platform, m);
  }

  /** Rows due now on platforms this process can send to, oldest first. */
  private async due(deferred: Deferral[]): Promise<Row[]> {
    const now = this.o.clock.now();
    return this.o.db.outboxMessage.findMany({
      where: {
        platform: { in: [...this.senders.keys()] },
        OR: [
          { status: { in: ["pending", "failed"] }, notBefore: { lte: now } },
          { status: "sending", claimedAt: { lt: new Date(now.getTime() - this.leaseMs) } },
        ],
        NOT: deferred.map((d) => (d.recipient === undefined ? { platform: d.platform } : { platform: d.platform, recipient: d.recipient })),
      },
      orderBy: { id: "asc" },
      take: this.o.batchSize ?? 100,
    });
  }

  /** One send for a unit: the row itself, or the digest in the first row's name. */
  private async send(rows: Row[], digest: Reply | undefined): Promise<SendResult> {
    const first = rows[0];
    let reply: Reply;
    try {
      reply = digest ?? (JSON.parse(first.payload) as Reply);
    } catch {
      return { ok: false, kind: "permanent", code: "payload", message: "payload is not valid JSON" };
    }
    try {
      return await this.senders.get(first.platform)!.send(first.recipient, reply, { idempotencyKey: digest ? `digest:${first.idempotencyKey}` : first.idempotencyKey });
    } catch (err) {
      // The contract says senders do not throw; if one does, treat it as a passing network fault.
      return { ok: false, kind: "retryable", code: "threw", message: err instanceof Error ? err.message : String(err) };
    }
  }

  /** Writes a failure if the claim is still ours; returns the new status, or null when it was lost. */
  private async fail(row: Row, stamp: ClaimStamp, result: Exclude<SendResult, { ok: true }>): Promise<string | null> {
    const now = this.o.clock.now();
    const attempts = row.attempts + 1;
    const error = `${result.kind}${result.code !== undefined ? ` ${result.code}` : ""}: ${result.message}`.slice(0, 500);
    const giveUp = result.kind === "permanent" || attempts >= this.retry.maxAttempts;
    const data = giveUp
      ? { status: "dead", lastError: error }
      : { status: "failed", lastError: error, notBefore: new Date(now.getTime() + retryDelay(attempts, this.retry, this.o.random, result.retryAfterMs)) };
    const log = { id: row.id, key: row.idempotencyKey, platform: row.platform, attempts, error, retryAt: "notBefore" in data ? data.notBefore?.toISOString() : undefined };
    if (giveUp) this.o.log.error({ msg: "outbox message given up (dead); fix the cause, then set its status back to pending to resend", ...log });
    else this.o.log.warn({ msg: "outbox send failed; will retry", ...log });
    recordSend(row.platform, data.status);
    if (await markFailed(this.o.db, row.id, stamp, data)) return data.status;
    this.o.log.warn({ msg: "outbox claim expired before the outcome was written; the row belongs to another worker now", id: row.id, key: row.idempotencyKey });
    return null;
  }

  /** Rows for a platform with no sender here wait; say so once, so the operator knows why. */
  private async warnUnsendable(): Promise<void> {
    const platforms = [...this.senders.keys()];
    const now = this.o.clock.now();
    const waiting = await this.o.db.outboxMessage.groupBy({
      by: ["platform"],
      where: { platform: { notIn: [...platforms, "none"] }, status: { in: ["pending", "failed"] }, notBefore: { lte: now } },
      _count: true,
    });
    for (const w of waiting) {
      if (this.warnedPlatforms.has(w.platform)) continue;
      this.warnedPlatforms.add(w.platform);
      this.o.log.warn({ msg: `outbox rows for ${w.platform} are waiting but that channel is not configured in this process; set its settings to deliver them`, platform: w.platform, rows: w._count });
    }
  }
}

function groupByRecipient(rows: Row[]): Row[][] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = `${r.platform}|${r.recipient}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.values()];
}
