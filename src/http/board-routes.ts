import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Router from "@koa/router";
import type { Context } from "koa";
import type { Settings } from "../config/settings.js";
import type { Clock } from "../infra/clock.js";
import type { Db } from "../infra/db.js";
import { conversationSettings } from "../conversation/create-core.js";
import { careRules } from "../conversation/care-rules.js";
import { timeText } from "../conversation/format.js";
import { currentCycle } from "../domain/calendar/cycles.js";
import { NotFoundError } from "../domain/errors.js";
import { agencyPage } from "../board/agency-page.js";
import { BOARD_CLIENT_JS } from "../board/client.js";
import { agencyBoard, provinceBoard } from "../board/data.js";
import { refusalPage } from "../board/html.js";
import { type BoardScope, verifyBoardToken } from "../board/link.js";
import { provincePage } from "../board/province-page.js";

const REFUSAL = {
  malformed: "链接无效，请确认链接完整。",
  tampered: "链接无效或已被修改。",
  expired: "链接已过期。",
  other: "该链接无权查看其他单位的数据。",
} as const;

/** Pages carry a link secret in their URL: never cached, never indexed, never sent on as a referrer. */
function privateHeaders(ctx: Context): void {
  ctx.set("Cache-Control", "no-store");
  ctx.set("Referrer-Policy", "no-referrer");
  ctx.set("X-Robots-Tag", "noindex, nofollow");
  ctx.set("X-Content-Type-Options", "nosniff");
  ctx.set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
}

function refuse(ctx: Context, reason: keyof typeof REFUSAL): void {
  privateHeaders(ctx);
  ctx.status = 403;
  ctx.type = "text/html; charset=utf-8";
  ctx.body = refusalPage(REFUSAL[reason]);
}

let echartsSource: Buffer | null = null;
function echartsJs(): Buffer {
  // Served by the bot itself: the in-app browsers of WeCom and DingTalk may not reach a public CDN.
  echartsSource ??= readFileSync(createRequire(import.meta.url).resolve("echarts/dist/echarts.min.js"));
  return echartsSource;
}

/**
 * The read-only status board (看板) behind short-lived signed links: GET /board?t=<token> opens the
 * link's own scope; GET /board/agency/<code>?t=<token> drills into one agency, which a province link
 * may do and an agency link only for its own agency.
 */
export function boardRoutes(deps: { settings: Settings; db: Db; clock: Clock }): Router {
  const router = new Router();
  const secret = conversationSettings(deps.settings).linkSecret;

  router.get("/board/assets/echarts.min.js", (ctx) => {
    ctx.set("Cache-Control", "public, max-age=86400");
    ctx.type = "application/javascript; charset=utf-8";
    ctx.body = echartsJs();
  });
  router.get("/board/assets/board.js", (ctx) => {
    ctx.set("Cache-Control", "public, max-age=3600");
    ctx.type = "application/javascript; charset=utf-8";
    ctx.body = BOARD_CLIENT_JS;
  });

  const render = async (ctx: Context, scope: BoardScope, agencyId: number | null, token: string, expiresAt: Date) => {
    const now = deps.clock.now();
    const cycle = await currentCycle(deps.db, now).catch((err: unknown) => {
      if (err instanceof NotFoundError) return null;
      throw err;
    });
    if (!cycle) {
      privateHeaders(ctx);
      ctx.status = 404;
      ctx.type = "text/html; charset=utf-8";
      ctx.body = refusalPage("系统中尚未建立考评周期，暂无可显示的数据。");
      return;
    }
    const { warnings } = careRules(deps.settings.RULES_DIR, cycle.year);
    const common = { asOf: timeText(now), expires: timeText(expiresAt) };
    privateHeaders(ctx);
    ctx.type = "text/html; charset=utf-8";
    if (agencyId === null) {
      ctx.body = provincePage(await provinceBoard(deps.db, cycle, now, warnings), { ...common, token });
      return;
    }
    const board = await agencyBoard(deps.db, cycle, agencyId, now, warnings);
    if (!board) return refuse(ctx, "malformed");
    const backLink = scope.kind === "province" ? `/board?t=${encodeURIComponent(token)}` : null;
    ctx.body = agencyPage(board, { ...common, timeText, backLink });
  };

  router.get("/board", async (ctx) => {
    const token = typeof ctx.query.t === "string" ? ctx.query.t : undefined;
    const check = verifyBoardToken(token, secret, deps.clock.now());
    if (!check.ok) return refuse(ctx, check.reason);
    await render(ctx, check.scope, check.scope.kind === "agency" ? check.scope.agencyId : null, token!, check.expiresAt);
  });

  router.get("/board/agency/:code", async (ctx) => {
    const token = typeof ctx.query.t === "string" ? ctx.query.t : undefined;
    const check = verifyBoardToken(token, secret, deps.clock.now());
    if (!check.ok) return refuse(ctx, check.reason);
    const agency = await deps.db.agency.findUnique({ where: { code: String(ctx.params.code).toUpperCase() } });
    // An agency link asking for another agency gets the same answer whether that agency exists or not.
    if (check.scope.kind === "agency" && agency?.id !== check.scope.agencyId) return refuse(ctx, "other");
    if (!agency) return refuse(ctx, "malformed");
    await render(ctx, check.scope, agency.id, token!, check.expiresAt);
  });

  return router;
}
