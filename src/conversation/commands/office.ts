import { findAgency } from "../../domain/people/agencies.js";
import { currentCycle } from "../../domain/calendar/cycles.js";
import { beijingDate } from "../../domain/calendar/calendar.js";
import { InputError } from "../../domain/errors.js";
import { overdueItems, provinceStats } from "../../domain/supervision/statistics.js";
import { classifyTarget, stateText } from "../../domain/targets/targets.js";
import { LIVE_STATUSES, CLOSED_STATUSES } from "../../domain/vocabulary.js";
import type { Command } from "../command.js";
import { chineseDateOf } from "../format.js";
import { agencyLights } from "../../domain/supervision/agency-lights.js";
import { LIGHT_EMOJI, LIGHT_LEGEND, targetLight } from "../../domain/care/warnings.js";
import { careRules } from "../care-rules.js";

/** 统计: issued / on track / late / done per agency (§7.4 实时监督). */
export const stats: Command = {
  name: "统计",
  aliases: ["汇总", "进度统计"],
  usage: "统计",
  summary: "按单位统计目标下达、正常推进、逾期、完成情况",
  roles: ["office", "assessor"],
  async run(ctx) {
    const cycle = await currentCycle(ctx.tx, ctx.now);
    const rows = await provinceStats(ctx.tx, cycle.id, ctx.now);
    const warned = new Map((await agencyLights(ctx.tx, cycle.id, ctx.now, careRules(ctx.settings.rulesDir, cycle.year).warnings)).map((l) => [l.agencyId, l.warning]));
    const total = rows.reduce(
      (s, r) => ({ issued: s.issued + r.issued, onTrack: s.onTrack + r.onTrack, late: s.late + r.late, done: s.done + r.done, warning: s.warning + (warned.get(r.agencyId) ?? 0) }),
      { issued: 0, onTrack: 0, late: 0, done: 0, warning: 0 },
    );
    const lines = rows.map((r) => `| ${r.agency} | ${r.issued} | ${r.onTrack} | ${r.late} | ${r.done} | ${warned.get(r.agencyId) ?? 0} |`);
    ctx.reply({
      kind: "markdown",
      title: "目标统计",
      text: [
        `**${cycle.year}年度目标统计（截至${chineseDateOf(ctx.now)}）**`,
        "| 单位 | 已下达 | 正常推进 | 逾期 | 已完成 | 预警 |",
        "| --- | --- | --- | --- | --- | --- |",
        ...lines,
        `| 合计 | ${total.issued} | ${total.onTrack} | ${total.late} | ${total.done} | ${total.warning} |`,
        "预警🟡：正常推进中临近时限且进度落后的目标，已计入“正常推进”。逾期🔴：超过完成时限或季度节点未按期达成。",
      ].join("\n"),
      more: "发送“导出 统计”获取全部单位的 Excel 文件。",
    });
  },
};

/** 查询 <单位>: one agency's targets at a glance. */
export const query: Command = {
  name: "查询",
  aliases: ["查单位", "单位"],
  usage: "查询 <单位名称或简称>",
  summary: "查看某单位的目标进度",
  example: "查询 发改委",
  roles: ["office", "assessor"],
  async run(ctx, input) {
    const name = input.rest(0);
    if (!name) throw new InputError("请写明单位名称或简称。");
    const agency = await findAgency(ctx.tx, name);
    const cycle = await currentCycle(ctx.tx, ctx.now);
    const targets = await ctx.tx.target.findMany({
      where: { cycleId: cycle.id, agencyId: agency.id, status: { in: [...LIVE_STATUSES, ...CLOSED_STATUSES] } },
      include: { milestones: true, owners: { include: { user: true } } },
      orderBy: { code: "asc" },
    });
    const [s] = await provinceStats(ctx.tx, cycle.id, ctx.now, agency.id);
    const today = beijingDate(ctx.now);
    const { warnings } = careRules(ctx.settings.rulesDir, cycle.year);
    const lights = targets.map((t) => targetLight(t, today, warnings));
    const warning = targets.filter((t, i) => lights[i].light === "yellow" && classifyTarget(t, today) === "on_track").length;
    const lines = targets.map(
      (t, i) => `· ${LIGHT_EMOJI[lights[i].light]} ${t.code} ${t.title}｜${t.progress}%｜${stateText(t, today)}｜${t.owners.map((o) => o.user.name).join("、") || "未指定"}`,
    );
    ctx.reply({
      kind: "markdown",
      title: `查询 ${agency.shortName}`,
      text: [
        `**${agency.name}（${agency.code}）${cycle.year}年度目标**`,
        `已下达 ${s.issued} 项：正常推进 ${s.onTrack}（其中预警 ${warning}），逾期 ${s.late}，已完成 ${s.done}。`,
        ...lines,
        LIGHT_LEGEND,
      ].join("\n"),
    });
  },
};

/** 逾期: milestones and targets past due; the office sees the province, others their agency. */
export const overdue: Command = {
  name: "逾期",
  aliases: ["逾期清单", "超期"],
  usage: "逾期",
  summary: "查看逾期未完成的目标和季度节点",
  roles: ["office", "assessor", "officer", "head"],
  async run(ctx) {
    const cycle = await currentCycle(ctx.tx, ctx.now);
    const items = await overdueItems(ctx.tx, ctx.actor, cycle.id, ctx.now);
    if (items.length === 0) return ctx.reply("目前没有逾期的目标或季度节点。");
    const lines = items.slice(0, 50).map((i) => `· ${i.agency}｜${i.code} ${i.title}｜${i.what}｜应于${chineseDateOf(i.dueOn)}｜${i.reachedLateOn ? `逾期达成（${chineseDateOf(i.reachedLateOn)}）` : `逾期 ${i.daysLate} 天`}｜${i.owners}`);
    ctx.reply({
      kind: "markdown",
      title: "逾期清单",
      text: [`**逾期事项（${items.length} 项）**`, ...lines, ...(items.length > 50 ? [`……另有 ${items.length - 50} 项，请导出查看。`] : [])].join("\n"),
    });
  },
};
