import { absenceOn, absenceText, findColleague } from "../../../domain/care/absence.js";
import { beijingDate } from "../../../domain/calendar/calendar.js";
import { ForbiddenError, InputError, StateError } from "../../../domain/errors.js";
import { parseProgress, recordProgress } from "../../../domain/ledger/progress-reports.js";
import { permitReport } from "../../../domain/targets/targets.js";
import type { Command } from "../../command.js";
import { dateText } from "../../format.js";
import { visibleTarget } from "../visible-target.js";

/**
 * 代报 <姓名或账号> <编号> <进度> <说明>: the agency officer adds a 台账 record (§7.3) for an owner who
 * is on leave or a trip. The record keeps both who reported (the officer) and for whom (the owner).
 */
export const proxyReport: Command = {
  name: "代报",
  aliases: ["代为汇报"],
  usage: "代报 <姓名或账号> <目标编号> <进度0-100> <进度说明>",
  summary: "为请假或出差的责任人代为汇报进度，台账同时记录代报人和责任人",
  example: "代报 赵磊 FGW-01 80 第四季度材料已报送，由目标办代报",
  roles: ["officer"],
  async run(ctx, input) {
    const [who, code, progressRaw] = input.words;
    const note = input.rest(3);
    if (!who || !code || !progressRaw || !note) throw new InputError("请写明责任人、目标编号、进度和进度说明。");
    if (ctx.actor.agencyId === null) throw new ForbiddenError("您的账号未关联单位，无法代报。");
    const owner = await findColleague(ctx.tx, ctx.actor.agencyId, who);
    const today = beijingDate(ctx.now);
    const absence = await absenceOn(ctx.tx, owner.id, today);
    if (!absence) {
      throw new StateError(`${owner.name}今日未登记请假或出差，应由本人汇报。如其确已外出，请先登记：请假 ${owner.name} <开始日期> 至 <结束日期>。`);
    }
    const { target } = await visibleTarget(ctx, code);
    if (!target.owners.some((o) => o.userId === owner.id)) {
      const owners = target.owners.map((o) => o.user.name).join("、") || "未指定";
      throw new InputError(`目标 ${target.code} 的责任人是${owners}，不是${owner.name}，不能代其汇报。`);
    }
    const progress = parseProgress(progressRaw);
    const { report, milestonesReached, completed } = await recordProgress(
      ctx.tx,
      ctx.actor,
      permitReport(ctx.actor, target),
      { progress, note, channel: ctx.event.platform, onBehalfOfId: owner.id },
      ctx.now,
    );
    const lines = [
      `已代${owner.name}记入台账：${target.code} ${target.title}，进度 ${progress}%（台账记录 ${report.id}，代报人：${ctx.actor.name}）。`,
      ...milestonesReached.map((m) => `第${"一二三四"[m.quarter - 1]}季度节点（${dateText(m.dueOn)} 前达到 ${m.expectedProgress}%）已达成。`),
      ...(completed ? ["目标已标记为完成，此后不再接受进度汇报。"] : []),
    ];
    ctx.reply(lines.join("\n"));
    // The owner reads it on return: what was reported in their name, and by whom.
    await ctx.notify(
      owner.id,
      { kind: "text", text: `您${absenceText(absence)}期间，本单位目标办${ctx.actor.name}已代您汇报目标 ${target.code} 进度 ${progress}%：${note}` },
      { key: `proxy-report:${report.id}` },
    );
  },
};
