import { currentCycle } from "../../domain/calendar/cycles.js";
import { beijingDate } from "../../domain/calendar/calendar.js";
import { listTargetsFor, reachedLateText, stateText } from "../../domain/targets/targets.js";
import { listReports } from "../../domain/ledger/progress-reports.js";
import { latestVerifications } from "../../domain/ledger/verification.js";
import { VERIFICATION_METHOD_LABEL, type VerificationMethod } from "../../domain/vocabulary.js";
import { ALL_ROLES, type Command } from "../command.js";
import { dateText, kindLabel, statusLabel } from "../format.js";
import { reportCard } from "../report-card.js";
import { careRules } from "../care-rules.js";
import { LIGHT_EMOJI, LIGHT_LEGEND, milestoneLight, targetLight } from "../../domain/care/warnings.js";
import { codeAfter, visibleTarget } from "./visible-target.js";

/** 我的目标: staff see the targets they own; officers and heads their agency's. */
export const myTargets: Command = {
  name: "我的目标",
  aliases: ["目标列表", "我的任务"],
  usage: "我的目标",
  summary: "查看本人负责（或本单位）的目标及进度",
  roles: ["officer", "head", "staff"],
  async run(ctx) {
    const cycle = await currentCycle(ctx.tx, ctx.now);
    const targets = await listTargetsFor(ctx.tx, ctx.actor, cycle.id);
    if (targets.length === 0) {
      return ctx.reply(`${cycle.year}年度暂无${ctx.actor.role === "staff" ? "由您负责" : "本单位"}的已下达目标。`);
    }
    const today = beijingDate(ctx.now);
    const { warnings } = careRules(ctx.settings.rulesDir, cycle.year);
    const lines = targets.map((t) => {
      const light = targetLight(t, today, warnings);
      // A warning says why; red already says 已逾期 or 未完成 in the state label.
      const why = light.light === "yellow" ? `｜预警：${light.reason}` : "";
      return `· ${LIGHT_EMOJI[light.light]} ${t.code} ${t.title}｜进度 ${t.progress}%｜${stateText(t, today)}｜时限 ${dateText(t.deadline)}${why}`;
    });
    ctx.reply({
      kind: "markdown",
      title: "我的目标",
      text: `**${cycle.year}年度${ctx.actor.role === "staff" ? "我负责的" : "本单位"}目标（${targets.length} 项）**\n${lines.join("\n")}\n${LIGHT_LEGEND}\n\n查看详情：目标 <编号>；汇报进度：汇报 <编号> <进度> <说明>`,
    });
  },
};

/** 目标 <编号>: one target with its indicators (§2.9), quarterly milestones (§2.21) and latest report. */
export const targetDetail: Command = {
  name: "目标",
  aliases: ["查看目标", "详情"],
  usage: "目标 <目标编号>",
  summary: "查看一项目标的指标、季度节点和最近汇报",
  example: "目标 FGW-03",
  roles: ALL_ROLES,
  async run(ctx, input) {
    const { cycle, target: t } = await visibleTarget(ctx, codeAfter("目标", input.words[0]));
    const [latest] = await listReports(ctx.tx, t.id, 1);
    const [checked] = await latestVerifications(ctx.tx, t.id, 1);
    const today = beijingDate(ctx.now);
    const { warnings } = careRules(ctx.settings.rulesDir, cycle.year);
    const light = targetLight(t, today, warnings);
    const owners = t.owners.map((o) => o.user.name).join("、") || "未指定";
    const indicators = t.indicators.map((i) => `${"　".repeat(i.level - 1)}- ${["一", "二", "三"][i.level - 1]}级：${i.name}${i.targetValue !== null ? `（${i.targetValue}${i.unit ?? ""}）` : ""}${i.standard ? `，标准：${i.standard}` : ""}`);
    const milestones = t.milestones.map((m) => {
      const mark = m.achievedAt ? "✓ 已达成" : beijingDate(m.dueOn) < today ? `✗ ${reachedLateText(m) ?? "未按期达成"}` : "待完成";
      return `- ${LIGHT_EMOJI[milestoneLight(m, t.progress, today, warnings).light]} 第${"一二三四"[m.quarter - 1]}季度（${dateText(m.dueOn)} 前达到 ${m.expectedProgress}%）：${m.description}｜${mark}`;
    });
    const body = [
      `**${t.code} ${t.title}**`,
      `单位：${t.agency.shortName}｜类别：${kindLabel(t)}`,
      `状态：${LIGHT_EMOJI[light.light]} ${statusLabel(t.status)}（${stateText(t, today)}）｜进度：${t.progress}%｜权重：${t.weight} 分`,
      ...(light.light === "yellow" ? [`预警：${light.reason}`] : []),
      `完成时限：${dateText(t.deadline)}｜责任人：${owners}`,
      ...(t.description ? [`要求：${t.description}`] : []),
      ...(indicators.length ? ["**绩效指标**", ...indicators] : []),
      ...(milestones.length ? ["**季度节点**", ...milestones] : []),
      latest ? `**最近汇报**：${dateText(latest.createdAt)} ${latest.reporter.name} 报 ${latest.progress}%：${latest.note}` : "**最近汇报**：暂无",
      ...(checked
        ? [`**最近核查**：${dateText(checked.createdAt)} ${checked.verifier.name}（${VERIFICATION_METHOD_LABEL[checked.method as VerificationMethod] ?? checked.method}）${checked.result === "confirmed" ? "属实" : "不属实"}：${checked.finding}`]
        : []),
    ];
    ctx.reply({ kind: "markdown", title: `目标 ${t.code}`, text: body.join("\n") });
    const mayReport = ["issued", "in_progress"].includes(t.status) && (t.owners.some((o) => o.userId === ctx.actor.id) || (ctx.actor.role === "officer" && ctx.actor.agencyId === t.agencyId));
    if (mayReport) ctx.reply(reportCard(t, ctx.now));
  },
};
