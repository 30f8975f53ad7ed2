import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Reply } from "../messages/reply.js";
import type { Clock } from "../infra/clock.js";
import type { Db } from "../infra/db.js";
import type { Logger } from "../infra/logger.js";
import { DEFAULT_RETRY, retryDelay, type RetryPolicy } from "./backoff.js";
import { type PlatformLimits, RateLimiter } from "./rate-limit.js";
import type { ChannelSender, SendResult } from "./sender.js";
import { digestReply } from "./calm.js";
import { recordSend } from "../metrics/registry.js";

/**
 * The durable outbox's sending side (DESIGN.md §3). Rows are claimed one by one with a conditional
 * update (pending|failed → sending, stamped with this worker and the time), so two processes never
 * send the same row. A row left in `sending` longer than the lease belongs to a worker that died
 * mid-send: it is claimed again and re-sent with the same idempotency key. Outcomes are written only
 * while the claim is still ours.
 */
export interface OutboxWorkerOptions {
  db: Db;
  senders: ChannelSender[];
  clock: Clock;
  log: Logger;
  /** Names this process in claimedBy; unique per worker. */
  workerId?: string;
  /** How long a claim holds; far longer than any send's HTTP timeout, or a slow send is sent twice. */
  leaseMs?: number;
  retry?: RetryPolicy;
  /** Rows read per query. */
  batchSize?: number;
  /** Recipients served at once; one recipient's rows always go one after another, in order. */
  concurrency?: number;
  limits?: PlatformLimits;
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

type Row = Awaited<ReturnType<Db["outboxMessage"]["findMany"]>>[number];

export const DEFAULT_LEASE_MS = 5 * 60_000;
/** Bounds one drain so a tick ends and the next one sees newly due rows. */
const MAX_ROUNDS = 20;

export class OutboxWorker {
  readonly workerId: string;
  private readonly senders: Map<string, ChannelSender>;
  private readonly limiter: RateLimiter;
  private readonly leaseMs: number;
  private readonly retry: RetryPolicy;
  private current: Promise<DrainResult> | null = null;
  private readonly warnedPlatforms = new Set<string>();

  constructor(private readonly o: OutboxWorkerOptions) {
    this.workerId = o.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.senders = new Map(o.senders.map((s) => [s.platform, s]));
    this.limiter = new RateLimiter(o.clock, o.limits);
    this.leaseMs = o.leaseMs ?? DEFAULT_LEASE_MS;
    this.retry = o.retry ?? DEFAULT_RETRY;
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
    // Skipped recipients (and whole platforms, for app-level limits) are left out of the next query,
    // so one busy recipient does not hide the rest of the queue.
    const deferred: { platform: string; recipient?: string }[] = [];
    await this.warnUnsendable();
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const rows = await this.due(deferred);
      if (rows.length === 0) break;
      const groups = groupByRecipient(rows);
      let next = 0;
      const lanes = Array.from({ length: Math.min(this.o.concurrency ?? 4, groups.length) }, async () => {
        while (next < groups.length) {
          let group = groups[next++];
          // Calm reminders: several optional reminders for one person in one drain go as one digest.
          const { digest, cards, rest } = splitDigest(group);
          if (digest.length >= 2) {
            const outcome = await this.processDigest(digest, cards);
            if (outcome === "deferred") {
              result.deferred += digest.length;
              deferred.push({ platform: digest[0].platform, recipient: digest[0].recipient });
              continue;
            }
            result.sent += outcome.sent;
            result.retrying += outcome.retrying;
            result.dead += outcome.dead;
            group = rest;
          }
          for (const row of group) {
            const outcome = await this.process(row);
            if (outcome === "deferred") {
              result.deferred += 1;
              const wide = this.limiter.isPlatformWide(row.platform);
              deferred.push(wide ? { platform: row.platform } : { platform: row.platform, recipient: row.recipient });
              break;
            }
            if (outcome === "lost") continue;
            if (outcome.reclaimed) result.reclaimed += 1;
            result[outcome.status === "sent" ? "sent" : outcome.status === "dead" ? "dead" : "retrying"] += 1;
          }
        }
      });
      await Promise.all(lanes);
    }
    if (result.sent + result.retrying + result.dead > 0) this.o.log.info({ msg: "outbox drained", worker: this.workerId, ...result });
    return result;
  }

  /** Rows due now on platforms this process can send to, oldest first. */
  private async due(deferred: { platform: string; recipient?: string }[]): Promise<Row[]> {
    const now = this.o.clock.now();
    const platforms = [...this.senders.keys()];
    return this.o.db.outboxMessage.findMany({
      where: {
        platform: { in: platforms },
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

  private async process(row: Row): Promise<"deferred" | "lost" | { status: string; reclaimed: boolean }> {
    if (!this.limiter.tryTake(row.platform, row.recipient)) return "deferred";
    const claimedAt = this.o.clock.now();
    const reclaimed = row.status === "sending";
    if (!(await this.claim(row, claimedAt))) {
      this.limiter.refund(row.platform, row.recipient);
      return "lost";
    }
    if (reclaimed) this.o.log.warn({ msg: "outbox row reclaimed after an expired claim; sending again with the same key", id: row.id, key: row.idempotencyKey, previousWorker: row.claimedBy });
    const attempts = row.attempts + 1;
    const result = await this.send(row);
    const status = await this.record(row, attempts, claimedAt, result);
    return status ? { status, reclaimed } : "lost";
  }

  /**
   * One digest for a recipient's optional reminders: every row is claimed, one message is sent, and
   * each row records the same outcome. The reminders' report cards are skipped once the digest is out
   * (the digest says how to report), since a pile of cards is the flood the digest avoids.
   */
  private async processDigest(rows: Row[], cards: Row[]): Promise<"deferred" | { sent: number; retrying: number; dead: number }> {
    const first = rows[0];
    if (!this.limiter.tryTake(first.platform, first.recipient)) return "deferred";
    const claimedAt = this.o.clock.now();
    const claimed: Row[] = [];
    for (const row of rows) if (await this.claim(row, claimedAt)) claimed.push(row);
    const counts = { sent: 0, retrying: 0, dead: 0 };
    if (claimed.length === 0) return counts;
    const reply = digestReply(claimed.map((r) => JSON.parse(r.payload) as Reply));
    if (reply.kind === "markdown") reply.text += "\n\n汇报进度：汇报 <目标编号> <进度> <说明>；用卡片汇报：目标 <目标编号>。";
    const result = await this.send({ ...first, payload: JSON.stringify(reply), idempotencyKey: `digest:${first.idempotencyKey}` });
    for (const row of claimed) {
      const status = await this.record(row, row.attempts + 1, claimedAt, result);
      if (status) counts[status === "sent" ? "sent" : status === "dead" ? "dead" : "retrying"] += 1;
    }
    if (result.ok && cards.length) {
      await this.o.db.outboxMessage.updateMany({
        where: { id: { in: cards.map((c) => c.id) }, status: { in: ["pending", "failed"] } },
        data: { status: "skipped", lastError: `covered by digest ${first.idempotencyKey}` },
      });
    }
    return counts;
  }

  /** Conditional claim: only a row still due (or whose claim expired unchanged) becomes ours. */
  private async claim(row: Row, claimedAt: Date): Promise<boolean> {
    const reclaimed = row.status === "sending";
    const claim = await this.o.db.outboxMessage.updateMany({
      where: reclaimed
        ? { id: row.id, status: "sending", claimedBy: row.claimedBy, claimedAt: row.claimedAt }
        : { id: row.id, status: { in: ["pending", "failed"] }, notBefore: { lte: claimedAt } },
      data: { status: "sending", claimedBy: this.workerId, claimedAt, attempts: { increment: 1 } },
    });
    return claim.count === 1;
  }

  private async send(row: Row): Promise<SendResult> {
    let reply: Reply;
    try {
      reply = JSON.parse(row.payload) as Reply;
    } catch {
      return { ok: false, kind: "permanent", code: "payload", message: "payload is not valid JSON" };
    }
    try {
      return await this.senders.get(row.platform)!.send(row.recipient, reply, { idempotencyKey: row.idempotencyKey });
    } catch (err) {
      // The contract says senders do not throw; if one does, treat it as a passing network fault.
      return { ok: false, kind: "retryable", code: "threw", message: err instanceof Error ? err.message : String(err) };
    }
  }

  /** Writes the outcome if the claim is still ours; returns the new status, or null when it was lost. */
  private async record(row: Row, attempts: number, claimedAt: Date, result: SendResult): Promise<string | null> {
    const now = this.o.clock.now();
    const mine = { id: row.id, status: "sending", claimedBy: this.workerId, claimedAt };
    let data: { status: string; sentAt?: Date; lastError?: string | null; notBefore?: Date };
    if (result.ok) {
      data = { status: "sent", sentAt: now, lastError: null };
    } else {
      const error = `${result.kind}${result.code !== undefined ? ` ${result.code}` : ""}: ${result.message}`.slice(0, 500);
      const giveUp = result.kind === "permanent" || attempts >= this.retry.maxAttempts;
      data = giveUp
        ? { status: "dead", lastError: error }
        : { status: "failed", lastError: error, notBefore: new Date(now.getTime() + retryDelay(attempts, this.retry, this.o.random, result.retryAfterMs)) };
      const log = { id: row.id, key: row.idempotencyKey, platform: row.platform, attempts, error, retryAt: data.notBefore?.toISOString() };
      if (giveUp) this.o.log.error({ msg: "outbox message given up (dead); fix the cause, then set its status back to pending to resend", ...log });
      else this.o.log.warn({ msg: "outbox send failed; will retry", ...log });
    }
    recordSend(row.platform, data.status);
    const written = await this.o.db.outboxMessage.updateMany({ where: mine, data });
    if (written.count !== 1) {
      this.o.log.warn({ msg: "outbox claim expired before the outcome was written; the row belongs to another worker now", id: row.id, key: row.idempotencyKey });
      return null;
    }
    return data.status;
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

const isReminder = (r: Row) => r.idempotencyKey.startsWith("reminder:") && !r.mandatory;

/** A recipient's optional reminder texts (digestible), their report cards, and everything else. */
function splitDigest(group: Row[]): { digest: Row[]; cards: Row[]; rest: Row[] } {
  const digest = group.filter((r) => isReminder(r) && !r.idempotencyKey.endsWith(":card") && /^\{"kind":"(text|markdown)"/.test(r.payload));
  const cards = group.filter((r) => isReminder(r) && r.idempotencyKey.endsWith(":card"));
  return { digest, cards, rest: group.filter((r) => !digest.includes(r) && !cards.includes(r)) };
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
