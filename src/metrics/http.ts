import { timingSafeEqual } from "node:crypto";
import Router from "@koa/router";
import type { Middleware } from "koa";
import { Gauge, Registry } from "prom-client";
import type { Clock } from "../infra/clock.js";
import type { Db } from "../infra/db.js";
import { recordCallback, recordIfDatabaseError, registry, withCallbackNote } from "./registry.js";

/** Platform callback paths, by the platform they belong to. */
const CALLBACK_PATH = /^\/(wecom|dingtalk)\/(callback|card)$/;

/** Why a callback was refused, by the status the receiver answered with. */
const REFUSAL_REASON: Record<number, string> = {
  400: "malformed",
  401: "signature",
  403: "forbidden",
  404: "not_found",
  405: "method",
  408: "timeout",
  413: "too_large",
  415: "media_type",
  429: "rate_limited",
  503: "unavailable",
};

/**
 * Counts every POSTed platform callback by outcome and times its answer. Sits in front of the
 * receivers, so they stay transport-only; the core notes duplicates through the callback note.
 */
export function callbackMetrics(): Middleware {
  return async (ctx, next) => {
    const m = ctx.method === "POST" ? CALLBACK_PATH.exec(ctx.path) : null;
    if (!m) return next();
    const started = process.hrtime.bigint();
    const { note, done } = withCallbackNote(() => next());
    try {
      await done;
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = ctx.status;
      if (status >= 400) recordCallback(m[1], "refused", REFUSAL_REASON[status] ?? (status >= 500 ? "error" : String(status)));
      else recordCallback(m[1], note.duplicate ? "duplicate" : "accepted", "", seconds);
    }
  };
}

/**
 * GET /metrics in the Prometheus text format, for a bearer token (METRICS_TOKEN). The outbox gauges
 * are read from the database at scrape time, so every instance reports the shared queue.
 */
export function metricsRoutes(deps: { db: Db; clock: Clock; token: string }): Router {
  const expected = Buffer.from(`Bearer ${deps.token}`);
  const router = new Router();
  router.get("/metrics", async (ctx) => {
    const given = Buffer.from(ctx.get("authorization"));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      ctx.status = 401;
      ctx.set("WWW-Authenticate", 'Bearer realm="metrics"');
      ctx.body = "metrics token required";
      return;
    }
    const outbox = new Registry();
    try {
      await outboxGauges(deps.db, deps.clock.now(), outbox);
    } catch (err) {
      recordIfDatabaseError("metrics", err);
    }
    const merged = Registry.merge([registry, outbox]);
    ctx.type = merged.contentType;
    ctx.body = await merged.metrics();
  });
  return router;
}

const WAITING = ["pending", "failed", "sending"];

async function outboxGauges(db: Db, now: Date, into: Registry): Promise<void> {
  const depth = new Gauge({ name: "jxmb_outbox_depth", help: "Outbox messages not yet sent, by status.", labelNames: ["status"] as const, registers: [into] });
  const age = new Gauge({ name: "jxmb_outbox_oldest_due_age_seconds", help: "Age of the oldest outbox message that is due and not yet sent (0 when none).", registers: [into] });
  const counts = await db.outboxMessage.groupBy({ by: ["status"], where: { status: { in: WAITING } }, _count: true });
  for (const s of WAITING) depth.set({ status: s }, counts.find((c) => c.status === s)?._count ?? 0);
  const oldest = await db.outboxMessage.findFirst({
    where: { status: { in: WAITING }, notBefore: { lte: now } },
    orderBy: { notBefore: "asc" },
    select: { notBefore: true },
  });
  age.set(oldest ? Math.max(0, (now.getTime() - oldest.notBefore.getTime()) / 1000) : 0);
}
