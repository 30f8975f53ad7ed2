import Koa from "koa";
import Router from "@koa/router";
import { dingtalkEnabled, wecomEnabled, type Settings } from "./config/settings.js";
import type { Clock } from "./infra/clock.js";
import type { Db } from "./infra/db.js";
import type { Logger } from "./infra/logger.js";
import { errorBoundary } from "./http/error-boundary.js";
import { healthRoutes } from "./http/health.js";
import { boardRoutes } from "./http/board-routes.js";
import type { Channels } from "./channels/index.js";
import { callbackMetrics, metricsRoutes } from "./metrics/http.js";

export interface AppDeps {
  settings: Settings;
  db: Db;
  clock: Clock;
  log: Logger;
  /** The configured platforms' receivers, wired by the composition root (src/bot.ts). */
  channels: Channels;
}

/**
 * The HTTP app reads as its middleware order: error boundary, health, then each configured
 * platform's receiver. Platforms without settings are not mounted (DESIGN.md §4).
 */
export function createApp(deps: AppDeps): Koa {
  const { channels } = deps;
  const koa = new Koa({ proxy: true });
  // Koa prints errors that escape the middleware (a request that could not be parsed, a socket
  // error) as plain text on stderr; they go to the JSON log instead.
  koa.silent = true;
  koa.on("error", (err: Error & { status?: number; code?: string }) => {
    deps.log.warn({ msg: "http error outside a request handler", status: err.status, code: err.code, reason: err.message });
  });
  koa.use(errorBoundary(deps.log));
  koa.use(callbackMetrics());
  const router = new Router();
  router.use(healthRoutes(deps.db, deps.clock).routes());
  router.use(boardRoutes(deps).routes());
  if (deps.settings.METRICS_TOKEN) router.use(metricsRoutes({ db: deps.db, clock: deps.clock, token: deps.settings.METRICS_TOKEN }).routes());
  for (const routes of channels.routes) router.use(routes.routes(), routes.allowedMethods());
  koa.use(router.routes()).use(router.allowedMethods());
  deps.log.info({
    msg: "app ready",
    wecom: wecomEnabled(deps.settings) ? "mounted at /wecom/callback" : "not configured (WECOM_* unset)",
    dingtalk: dingtalkEnabled(deps.settings) ? "mounted at /dingtalk/callback and /dingtalk/card" : "not configured (DINGTALK_* unset)",
  });
  return koa;
}
