import { seesProvince } from "../../domain/people/actor.js";
import { type Quarter, periodOf, quarterLabel } from "../../domain/calendar/calendar.js";
import { findAgency } from "../../domain/people/agencies.js";
import { ForbiddenError, InputError } from "../../domain/errors.js";
import { getNegativeList, latestNegativeList } from "../../domain/negative-list/negative-list.js";
import type { Command } from "../command.js";
import { negativeListForOffice, negativeListReplies } from "../negative-list-view.js";
import { improvementsBySubject } from "../../domain/care/improvements.js";
import { parseQuarterText } from "../normalize.js";

/** 负面清单 [季度] (§2.23): heads and officers see their agency's list; the office sees the province summary. */
export const negativeList: Command = {
  name: "负面清单",
  aliases: ["清单"],
  usage: "负面清单 [季度，如 2026Q1] [单位]",
  usageFor: { officer: "负面清单 [季度，如 2026Q1、Q3、三季度]", head: "负面清单 [季度，如 2026Q1、Q3、三季度]" },
  summary: "查看季度负面清单及申诉方式（目标办可查看全省汇总或某一单位）",
  example: "负面清单 2026Q1",
  roles: ["office", "officer", "head"],
  async run(ctx, input) {
    // The quarter is the longest run of leading words that reads as one (2026 Q3, 2026年 第三季度);
    // for the office, what follows names an agency.
    let q: Quarter | null = null;
    let used = 0;
    for (let n = input.words.length; n > 0 && !q; n--) {
      q = parseQuarterText(input.words.slice(0, n).join(""), ctx.now);
      if (q) used = n;
    }
    const agencyText = input.rest(used);
    if (seesProvince(ctx.actor)) {
      if (agencyText) {
        if (used === 0 && /^\d/.test(input.words[0])) {
          throw new InputError(`无法识别季度“${input.words[0]}”。请写成 2026Q1、Q1、一季度或 2026年第一季度。`);
        }
        const agency = await findAgency(ctx.tx, agencyText);
        const list = q ? await getNegativeList(ctx.tx, agency.id, periodOf(q)) : await latestNegativeList(ctx.tx, agency.id);
        if (!list) return ctx.reply(q ? `${agency.shortName}${quarterLabel(q)}负面清单尚未生成。` : `${agency.shortName}暂无负面清单。`);
        // The office reads the list with the owners' 改进措施 (§7.2); the appeal card is the agency's.
        return ctx.reply(negativeListForOffice(list, await improvementsBySubject(ctx.tx, list.entries)));
      }
      if (!q) throw new InputError("请写明季度，例如：负面清单 2026Q1，或负面清单 2026Q1 省发改委。");
      const lists = await ctx.tx.negativeList.findMany({ where: { period: periodOf(q) }, include: { agency: true, entries: { where: { status: "active" } } }, orderBy: { agencyId: "asc" } });
      if (lists.length === 0) return ctx.reply(`${quarterLabel(q)}负面清单尚未生成。`);
      const lines = lists.map((l) => `· ${l.agency.shortName}：${l.entries.length} 项，${l.totalPoints} 分`);
      return ctx.reply({
        kind: "markdown",
        title: "负面清单汇总",
        text: `**${quarterLabel(q)}负面清单汇总**\n${lines.join("\n")}`,
        more: `发送“导出 负面清单 ${periodOf(q)}”获取全部内容的 Excel 文件。`,
      });
    }
    if (agencyText) throw new InputError(`无法识别季度“${agencyText}”。请写成 2026Q1、Q1、一季度或 2026年第一季度。`);
    if (ctx.actor.agencyId === null) throw new ForbiddenError("您的账号未关联单位，无法查看负面清单。");
    const list = q ? await getNegativeList(ctx.tx, ctx.actor.agencyId, periodOf(q)) : await latestNegativeList(ctx.tx, ctx.actor.agencyId);
    if (!list) return ctx.reply(q ? `${quarterLabel(q)}本单位负面清单尚未生成。` : "本单位暂无负面清单。");
    for (const r of negativeListReplies(list, ctx.settings.appealWindowDays, ctx.now)) ctx.reply(r);
  },
};
