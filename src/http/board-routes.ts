import Router from "@koa/router";
import type { Settings } from "../config/settings.js";
import type { Clock } from "../infra/clock.js";
import type { Db } from "../infra/db.js";

/** The read-only status board (看板) behind short-lived signed links. */
export function boardRoutes(_deps: { settings: Settings; db: Db; clock: Clock }): Router {
  return new Router();
}
