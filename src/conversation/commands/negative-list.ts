import { seesProvince } from "../../domain/actor.js";
import { type Quarter, parsePeriod, periodOf, quarterLabel } from "../../domain/calendar.js";
import { ForbiddenError, InputError } from "../../domain/errors.js";
import { getNegativeList, latestNegativeList } from "../../domain/negative-list.js";
import type { Command } from "../command.js";
import { negativeListForOffice, negativeListReplies } from "../negative-list-view.js";
import { findAgency } from "../../domain/agencies.js";
import { improvementsBySubject } from "../../domain/improvements.js";

/** 负面清单 [季度] (§2.23): heads and officers see their agency's list; the office sees the province summary. */
export const negativeList: Command = {
  name: "负面清单",
  aliases: ["清单"],
  usage: "负面清单 [季度，如 2026Q1]（目标办查看单位明细：负面清单 <季度> <单位>）",
  summary: "查看本单位季度负面清单及申诉方式",
  example: "负面清单 2026Q1",
  roles: ["office", "officer", "head"],
  async run(ctx, input) {
    let q: Quarter | null = null;
    if (input.words[0] && !(seesProvince(ctx.actor) && input.words.length >= 2)) {
      q = parsePeriod(input.words.join(""));
      if (!q) throw new InputError(`无法识别季度“${input.words.join(" ")}”。请写成 2026Q1 或 2026年第一季度。`);
    }
    if (seesProvince(ctx.actor) && input.words.length >= 2) {
      // 负面清单 <季度> <单位>: one agency's list, with the owners' 改进措施 (§7.2).
      const quarter = parsePeriod(input.words[0]);
      if (!quarter) throw new InputError(`无法识别季度“${input.words[0]}”。请写成：负面清单 2026Q3 发改委。`);
      const agency = await findAgency(ctx.tx, input.rest(1));
      const list = await getNegativeList(ctx.tx, agency.id, periodOf(quarter));
      if (!list) return ctx.reply(`${agency.shortName}${quarterLabel(quarter)}负面清单尚未生成。`);
      return ctx.reply(negativeListForOffice(list, await improvementsBySubject(ctx.tx, list.entries)));
    }
    if (seesProvince(ctx.actor)) {
      if (!q) throw new InputError("请写明季度，例如：负面清单 2026Q1。");
      const lists = await ctx.tx.negativeList.findMany({ where: { period: periodOf(q) }, include: { agency: true, entries: { where: { status: "active" } } }, orderBy: { agencyId: "asc" } });
      if (lists.length === 0) return ctx.reply(`${quarterLabel(q)}负面清单尚未生成。`);
      const lines = lists.map((l) => `· ${l.agency.shortName}：${l.entries.length} 项，${l.totalPoints} 分`);
      return ctx.reply({ kind: "markdown", title: "负面清单汇总", text: `**${quarterLabel(q)}负面清单汇总**\n${lines.join("\n")}` });
    }
    if (ctx.actor.agencyId === null) throw new ForbiddenError("您的账号未关联单位，无法查看负面清单。");
    const list = q ? await getNegativeList(ctx.tx, ctx.actor.agencyId, periodOf(q)) : await latestNegativeList(ctx.tx, ctx.actor.agencyId);
    if (!list) return ctx.reply(q ? `${quarterLabel(q)}本单位负面清单尚未生成。` : "本单位暂无负面清单。");
    for (const r of negativeListReplies(list, ctx.settings.appealWindowDays, ctx.now)) ctx.reply(r);
  },
};
