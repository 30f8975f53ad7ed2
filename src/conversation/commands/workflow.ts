import { assertCanViewAgency, seesProvince } from "../../domain/people/actor.js";
import { findAgency } from "../../domain/people/agencies.js";
import { currentCycle } from "../../domain/calendar/cycles.js";
import { periodOf } from "../../domain/calendar/calendar.js";
import { assertCanAddDynamic, checkDynamicInput, createDynamicTarget, nextTargetCode } from "../../domain/targets/dynamic.js";
import { ForbiddenError, InputError } from "../../domain/errors.js";
import { dynamicNotice, issueNotices } from "../../domain/targets/issue-notices.js";
import { type GateResult, type Scope, assertSomethingToDo, issueTargets, issuedTargets, planIssue, reviewTargets, workflowOverview } from "../../domain/targets/workflow.js";
import { exportBoard, exportLedger, exportNegativeList, type ExportFile } from "../../excel/exports.js";
import { targetTemplate } from "../../excel/template.js";
import type { Command, CommandInput } from "../command.js";
import type { CommandContext } from "../context.js";
import { chineseDateOf } from "../format.js";
import { parseQuarterText } from "../normalize.js";

/** 审核 / 下达 (Fig. 1 制定→审核→下达), 动态目标 (§2.7) and 导出 (Excel reports). */

const ALL_WORDS = new Set(["全部", "所有", "全省", "所有单位"]);

async function parseScope(ctx: CommandContext, input: CommandInput, verb: string): Promise<Scope> {
  const what = input.rest(0);
  if (!what) throw new InputError(`请写明${verb}范围：单位名称（或简称、代码），或“全部”。发送“审核”可查看各单位目标状态。`);
  if (ALL_WORDS.has(what)) return { all: true };
  return { all: false, agency: await findAgency(ctx.tx, what) };
}

function refusedLines(gate: GateResult): string[] {
  return gate.refused.map((r) => `· ${r.agency.shortName}：${r.reason}`);
}

const review: Command = {
  name: "审核",
  aliases: ["审核目标"],
  usage: "审核 <单位|全部>",
  summary: "审核制定中的目标（不带参数查看各单位目标制定情况）",
  example: "审核 省发改委",
  roles: ["office"],
  async run(ctx, input) {
    const cycle = await currentCycle(ctx.tx, ctx.now);
    if (!input.raw.trim()) return overview(ctx, cycle);
    const gate = await reviewTargets(ctx.tx, ctx.actor, cycle.id, await parseScope(ctx, input, "审核"), ctx.now);
    const done = gate.done.map((d) => `${d.agency.shortName} ${d.targetIds.length} 项`).join("、");
    const lines = [`已审核 ${cycle.year} 年度目标：${done}。`];
    if (gate.refused.length) lines.push("以下单位未审核：", ...refusedLines(gate));
    lines.push("下一步：下达 <单位|全部>。");
    ctx.reply(lines.join("\n"));
  },
};

async function overview(ctx: CommandContext, cycle: { id: number; year: number }) {
  const rows = await workflowOverview(ctx.tx, cycle.id);
  if (rows.length === 0) return ctx.reply(`${cycle.year}年度尚无目标。请发送目标任务分解表（.xlsx）导入，发送“导出 模板”获取模板。`);
  const table = rows.map((r) => `| ${r.agency} | ${r.draft} | ${r.reviewed} | ${r.issued} | ${r.onePlusSix.length ? r.onePlusSix.join("；") : "符合"} |`);
  ctx.reply({
    kind: "markdown",
    title: "目标制定情况",
    text: [`**${cycle.year}年度目标制定情况**`, "| 单位 | 制定中 | 已审核 | 已下达 | 1+6+N |", "| --- | --- | --- | --- | --- |", ...table, "", "审核：审核 <单位|全部>；下达：下达 <单位|全部>"].join("\n"),
  });
}

const issue: Command = {
  name: "下达",
  aliases: ["下达目标"],
  usage: "下达 <单位|全部>",
  summary: "下达已审核的目标，并通知单位目标办和责任人",
  example: "下达 全部",
  roles: ["office"],
  async confirm(ctx, input) {
    const cycle = await currentCycle(ctx.tx, ctx.now);
    const scope = await parseScope(ctx, input, "下达");
    const gate = await planIssue(ctx.tx, cycle.id, scope);
    assertSomethingToDo(gate, scope, "下达");
    const total = gate.done.reduce((n, d) => n + d.targetIds.length, 0);
    const lines = [`将下达 ${cycle.year} 年度目标：${gate.done.map((d) => `${d.agency.shortName} ${d.targetIds.length} 项`).join("、")}，共 ${total} 项，并通知各单位目标办和责任人。`];
    if (gate.refused.length) lines.push("以下单位暂不下达：", ...refusedLines(gate));
    return lines.join("\n");
  },
  async run(ctx, input) {
    const cycle = await currentCycle(ctx.tx, ctx.now);
    const gate = await issueTargets(ctx.tx, ctx.actor, cycle.id, await parseScope(ctx, input, "下达"), ctx.now);
    let notified = 0;
    for (const d of gate.done) {
      const targets = await issuedTargets(ctx.tx, d.targetIds);
      const officers = await ctx.tx.user.findMany({ where: { agencyId: d.agency.id, role: "officer", active: true }, select: { id: true } });
      for (const n of issueNotices(cycle.year, targets, officers)) {
        await ctx.notify(n.userId, { kind: "text", text: n.text }, { key: n.key });
        notified += 1;
      }
    }
    const lines = [`已下达 ${cycle.year} 年度目标：${gate.done.map((d) => `${d.agency.shortName} ${d.targetIds.length} 项`).join("、")}，已通知单位目标办和责任人共 ${notified} 人次。`];
    if (gate.refused.length) lines.push("以下单位未下达：", ...refusedLines(gate));
    ctx.reply(lines.join("\n"));
  },
};

async function dynamicInput(ctx: CommandContext, input: CommandInput) {
  const [agencyRef, documentNo, deadline] = input.words;
  const title = input.rest(3);
  if (!agencyRef || !documentNo || !deadline || !title) throw new InputError("请依次写明单位、文号、截止日期和目标名称。");
  const cycle = await currentCycle(ctx.tx, ctx.now);
  const agency = await findAgency(ctx.tx, agencyRef);
  const checked = checkDynamicInput({ documentNo, deadline, title }, cycle, ctx.now);
  return { cycle, target: { agency, ...checked } };
}

const dynamic: Command = {
  name: "动态目标",
  aliases: ["下达动态目标"],
  usage: "动态目标 <单位> <文号> <截止日期> <目标名称>",
  summary: "依据文件随时下达动态目标（§2.7）并通知单位目标办",
  example: "动态目标 省发改委 黔府办发〔2026〕12号 2026-06-30 制定全省低空经济发展实施方案",
  roles: ["office"],
  async confirm(ctx, input) {
    const { cycle, target } = await dynamicInput(ctx, input);
    await assertCanAddDynamic(ctx.tx, ctx.actor, cycle.id, target);
    const code = await nextTargetCode(ctx.tx, cycle.id, target.agency.code);
    return `将依据${target.documentNo}向${target.agency.name}下达动态目标 ${code}“${target.title}”，完成时限${chineseDateOf(target.deadline)}，并通知该单位目标办。`;
  },
  async run(ctx, input) {
    const { cycle, target } = await dynamicInput(ctx, input);
    const created = await createDynamicTarget(ctx.tx, ctx.actor, cycle.id, target, ctx.now);
    const officers = await ctx.tx.user.findMany({ where: { agencyId: target.agency.id, role: "officer", active: true }, select: { id: true } });
    for (const o of officers) {
      const n = dynamicNotice(created, o.id);
      await ctx.notify(n.userId, { kind: "text", text: n.text }, { key: n.key });
    }
    ctx.reply(`已向${target.agency.shortName}下达动态目标 ${created.code}“${created.title}”（依据${created.documentNo}，完成时限${chineseDateOf(target.deadline)}），已通知单位目标办 ${officers.length} 人。`);
  },
};

const exportCommand: Command = {
  name: "导出",
  aliases: ["导出报表"],
  usage: "导出 台账 [单位] | 负面清单 <季度> | 统计 | 模板",
  usageFor: { assessor: "导出 台账 <单位> | 负面清单 <季度> | 统计", officer: "导出 台账 | 负面清单 <季度>", head: "导出 台账 | 负面清单 <季度>" },
  summary: "导出 Excel：单位台账、季度负面清单、目标统计或目标任务分解表模板",
  example: "导出 负面清单 2026Q1",
  roles: ["office", "assessor", "officer", "head"],
  async run(ctx, input) {
    const file = await exportFor(ctx, input.words[0] ?? "", input.rest(1));
    ctx.reply({ kind: "file", fileName: file.fileName, base64: file.content.toString("base64"), caption: file.caption });
  },
};

async function exportFor(ctx: CommandContext, what: string, arg: string): Promise<ExportFile> {
  const province = seesProvince(ctx.actor);
  if (what === "台账") {
    if (!arg && (province || ctx.actor.agencyId === null)) throw new InputError("请写明要导出台账的单位，例如：导出 台账 省发改委。");
    const agency = arg ? await findAgency(ctx.tx, arg) : await ctx.tx.agency.findUniqueOrThrow({ where: { id: ctx.actor.agencyId! } });
    assertCanViewAgency(ctx.actor, agency.id, "其他单位的台账");
    return exportLedger(ctx.tx, await currentCycle(ctx.tx, ctx.now), agency, ctx.now);
  }
  if (what === "负面清单") {
    if (!arg) throw new InputError("请写明季度，例如：导出 负面清单 2026Q1。");
    const q = parseQuarterText(arg, ctx.now);
    if (q) arg = periodOf(q);
    if (province) return exportNegativeList(ctx.tx, arg, ctx.now);
    if (ctx.actor.agencyId === null) throw new ForbiddenError("您的账号未关联单位，无法导出负面清单。");
    const agency = await ctx.tx.agency.findUniqueOrThrow({ where: { id: ctx.actor.agencyId } });
    return exportNegativeList(ctx.tx, arg, ctx.now, agency);
  }
  if (what === "统计") {
    if (!province) throw new ForbiddenError("统计报表汇总全省各单位情况，仅供目标办、第三方机构导出。");
    return exportBoard(ctx.tx, await currentCycle(ctx.tx, ctx.now), ctx.now);
  }
  if (what === "模板") {
    if (ctx.actor.role !== "office") throw new ForbiddenError("目标任务分解表模板仅供目标办导出。");
    return { fileName: "目标任务分解表模板.xlsx", content: await targetTemplate(), caption: "填写后直接发送给我即可导入；填写要求见“填写说明”表。" };
  }
  throw new InputError(what ? `不能导出“${what}”。` : "请写明要导出的内容。");
}

export const workflowCommands: Command[] = [review, issue, dynamic, exportCommand];
