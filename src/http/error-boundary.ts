import type { Middleware } from "koa";
import type { Logger } from "../infra/logger.js";
import { recordIfDatabaseError } from "../metrics/registry.js";

/** The one place an uncaught error becomes a response: a short message, never internals. */
export function errorBoundary(log: Logger): Middleware {
  return async (ctx, next) => {
    const started = Date.now();
    try {
      await next();
    } catch (err) {
      const status = typeof (err as { status?: number }).status === "number" ? (err as { status: number }).status : 500;
      ctx.status = status;
      ctx.body = status >= 500 ? "internal error" : ((err as Error).message ?? "bad request");
      if (status >= 500) recordIfDatabaseError("http", err);
      if (status >= 500) log.error({ msg: "request failed", method: ctx.method, path: ctx.path, err });
      else log.warn({ msg: "request refused", method: ctx.method, path: ctx.path, status, reason: (err as Error).message });
    } finally {
      log.debug({ msg: "request", method: ctx.method, path: ctx.path, status: ctx.status, ms: Date.now() - started });
    }
  };
}
