import { createServer, type Server } from "node:http";
import Router from "@koa/router";
import Koa from "koa";
import type { Settings } from "../config/settings.js";
import { boardRoutes } from "../http/board-routes.js";
import { errorBoundary } from "../http/error-boundary.js";
import { healthRoutes } from "../http/health.js";
import type { Clock } from "../infra/clock.js";
import type { Db } from "../infra/db.js";
import type { Logger } from "../infra/logger.js";

/**
 * The demo serves its own board, so the link 看板 gives opens: it is signed with this process's
 * secret and points at this server (a second process, e.g. `npm start`, would sign with another).
 * Listens on 127.0.0.1 only; when the port asked for is taken, on any free one.
 */
export async function listenLocal(port: number): Promise<{ server: Server; baseUrl: string }> {
  const server = createServer();
  const bound = await new Promise<number>((resolve, reject) => {
    const tryPort = (p: number) => {
      server.once("error", (err: NodeJS.ErrnoException) => (err.code === "EADDRINUSE" && p !== 0 ? tryPort(0) : reject(err)));
      server.listen(p, "127.0.0.1", () => resolve((server.address() as { port: number }).port));
    };
    tryPort(port);
  });
  return { server, baseUrl: `http://127.0.0.1:${bound}` };
}

export function serveBoard(server: Server, deps: { settings: Settings; db: Db; clock: Clock; log: Logger }): void {
  const koa = new Koa();
  koa.use(errorBoundary(deps.log));
  const router = new Router();
  router.use(healthRoutes(deps.db, deps.clock).routes());
  router.use(boardRoutes(deps).routes());
  koa.use(router.routes()).use(router.allowedMethods());
  server.on("request", koa.callback());
}
