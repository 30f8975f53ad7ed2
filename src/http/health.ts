import Router from "@koa/router";
import type { Clock } from "../infra/clock.js";
import type { Db } from "../infra/db.js";
import { recordIfDatabaseError } from "../metrics/registry.js";

/** Larger than a database page, so the probe needs a new page: a full disk shows, not only a lock. */
const PROBE_PAYLOAD = "h".repeat(8_192);
const PROBE_TIMEOUT_MS = 8_000;

/**
 * GET /healthz → 200 when the database answers a read and takes a write; 503 otherwise. The write
 * is a row inserted and deleted in one transaction, so a read-only, full or locked database, or a
 * dropped connection, reports as the failure it is instead of "ok" (issue 14).
 */
export function healthRoutes(db: Db, clock: Clock): Router {
  const router = new Router();
  router.get("/healthz", async (ctx) => {
    const started = Date.now();
    try {
      await db.$queryRawUnsafe("SELECT 1");
      const readMs = Date.now() - started;
      await bounded(writeProbe(db, clock), PROBE_TIMEOUT_MS);
      ctx.body = {
        status: "ok",
        database: { status: "ok", latencyMs: readMs, write: { status: "ok", latencyMs: Date.now() - started - readMs } },
        time: clock.now().toISOString(),
      };
    } catch (err) {
      recordIfDatabaseError("healthz", err);
      ctx.status = 503;
      ctx.body = { status: "degraded", database: { status: "error", error: (err as Error).message.split("\n").at(-1)?.slice(0, 300) } };
    }
  });
  return router;
}

async function writeProbe(db: Db, clock: Clock): Promise<void> {
  await db.$transaction(
    async (tx) => {
      const row = await tx.healthProbe.create({ data: { payload: PROBE_PAYLOAD, checkedAt: clock.now() } });
      await tx.healthProbe.delete({ where: { id: row.id } });
    },
    { timeout: PROBE_TIMEOUT_MS, maxWait: PROBE_TIMEOUT_MS },
  );
}

function bounded<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`database write probe took longer than ${ms} ms`)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
