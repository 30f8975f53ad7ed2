import Router from "@koa/router";
import type { Clock } from "../infra/clock.js";
import type { Db } from "../infra/db.js";
import { recordIfDatabaseError } from "../metrics/registry.js";

/** GET /healthz → 200 with database status, 503 when the database does not answer. */
export function healthRoutes(db: Db, clock: Clock): Router {
  const router = new Router();
  router.get("/healthz", async (ctx) => {
    const started = Date.now();
    try {
      await db.$queryRawUnsafe("SELECT 1");
      ctx.body = { status: "ok", database: { status: "ok", latencyMs: Date.now() - started }, time: clock.now().toISOString() };
    } catch (err) {
      recordIfDatabaseError("healthz", err);
      ctx.status = 503;
      ctx.body = { status: "degraded", database: { status: "error", error: (err as Error).message } };
    }
  });
  return router;
}
