import { seesProvince } from "../../../domain/people/actor.js";
import { ForbiddenError } from "../../../domain/errors.js";
import { type BoardScope, boardUrl, signBoardToken } from "../../../board/link.js";
import type { Command } from "../../command.js";
import { timeText } from "../../format.js";

/**
 * 看板: a short-lived signed link to the read-only status board — the province for the office and
 * third parties, the speaker's own agency for officers and heads.
 */
export const board: Command = {
  name: "看板",
  aliases: ["数据看板", "进度看板"],
  usage: "看板",
  summary: "获取目标进度看板链接（限时有效）",
  roles: ["office", "assessor", "officer", "head"],
  async run(ctx) {
    let scope: BoardScope;
    if (seesProvince(ctx.actor)) scope = { kind: "province" };
    else if (ctx.actor.agencyId !== null) scope = { kind: "agency", agencyId: ctx.actor.agencyId };
    else throw new ForbiddenError("您的账号未关联单位，无法查看看板。");
    const expiresAt = new Date(ctx.now.getTime() + ctx.settings.boardLinkTtlHours * 3600_000);
    const url = boardUrl(ctx.settings.publicBaseUrl, signBoardToken(scope, expiresAt, ctx.settings.linkSecret));
    const what = scope.kind === "province" ? "全省目标进度看板" : "本单位目标进度看板";
    ctx.reply({
      kind: "markdown",
      title: what,
      text: [`**${what}**`, `[点击打开${what}](${url})`, `链接有效期至 ${timeText(expiresAt)}，仅供本人查看，请勿转发。过期后请重新发送“看板”。`].join("\n"),
    });
  },
};
