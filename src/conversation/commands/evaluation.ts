import { findAgency } from "../../domain/people/agencies.js";
import { seesProvince } from "../../domain/people/actor.js";
import { ForbiddenError, InputError, NotFoundError, StateError } from "../../domain/errors.js";
import { explanationMarkdown, resultNotice, tierLabel } from "../../domain/evaluation/describe.js";
import { formatH } from "../../domain/evaluation/hundredths.js";
import { declinedAward } from "../../domain/evaluation/input-text.js";
import { declineRefusal } from "../../domain/evaluation/innovation.js";
import { describeInput, inputFromWords, itemForm } from "../../domain/evaluation/input-words.js";
import { loadReportData } from "../../domain/evaluation/report-data.js";
import { loadResult, loadResults } from "../../domain/evaluation/results-store.js";
import { computeEvaluation, evaluationCycle, evaluationWarnings, parseYear, publicationKey, runEvaluation, staleResults } from "../../domain/evaluation/service.js";
import { recordInput } from "../../domain/evaluation/store.js";
import { INPUT_ITEM_LABEL, INPUT_ITEMS, findInputItem } from "../../domain/evaluation/vocabulary.js";
import { fileAppealAgainstEvaluation } from "../../domain/appeals/evaluation-appeal.js";
import { loadRules, type YearRules } from "../../domain/rules.js";
import { agencyReport, memberUnitsReport, orgDepartmentReport } from "../../excel/evaluation-reports.js";
import type { Command, CommandInput } from "../command.js";
import type { CommandContext } from "../context.js";
import { notifyOffice } from "../notify.js";

/**
 * 目标考评 commands (§8, §9): evaluation inputs (考评录入), the annual evaluation (考评), its explanation
 * (考评明细), the §9 reports (考评报告), publication to agency heads (考评发布) and appeals (考评申诉).
 * The scoring itself is pure (src/domain/evaluation); these commands load, confirm, store and reply.
 */

function rulesFor(ctx: CommandContext, year: number): YearRules {
  try {
    return loadRules(year, ctx.settings.rulesDir);
  } catch (err) {
    ctx.log.error({ msg: "evaluation rules unavailable", year, err });
    throw new StateError(`${year} 年度考评规则（rules/${year}.json）缺失或有误，请联系系统管理员。`);
  }
}

/** Splits an optional year (anywhere) from the other words. */
function yearAndWords(input: CommandInput): { year: number | null; words: string[] } {
  const year = input.words.map(parseYear).find((y) => y !== null) ?? null;
  return { year, words: input.words.filter((w) => parseYear(w) === null) };
}

const ITEM_NAMES = INPUT_ITEMS.map((i) => INPUT_ITEM_LABEL[i]).join("、");

/**
 * 考评录入 [年度] <单位> <项目> <值…> [说明]: one correction at a time; bulk input comes by Excel. The
 * third party enters 公众评议 results only, and only in a year the office commissioned it (§2.14, §2.24).
 */
const enterInput: Command = {
  name: "考评录入",
  aliases: ["录入考评"],
  usage: "考评录入 [年度] <单位> <项目> <分值或结果> [说明]",
  summary: "录入或更正一项考评数据（党建各项、省领导评价、创新项目、二级考评、公众测评、纪律记录）；第三方机构受委托时录入公众评议结果",
  example: "考评录入 省发改委 思想建设 95 省直机关工委年终抽查结果",
  roles: ["office", "assessor"],
  async run(ctx, input) {
    const first = parseYear(input.words[0]);
    const words = first ? input.words.slice(1) : input.words;
    const [agencyName, itemWord, ...rest] = words;
    if (!agencyName || !itemWord) throw new InputError(`请写明单位、项目和分值。项目可为：${ITEM_NAMES}。`);
    const item = findInputItem(itemWord);
    if (!item) throw new InputError(`无法识别考评项目“${itemWord}”。项目可为：${ITEM_NAMES}。`);
    const agency = await findAgency(ctx.tx, agencyName);
    const cycle = await evaluationCycle(ctx.tx, ctx.now, first);
    const rules = rulesFor(ctx, cycle.year);
    if (ctx.actor.role === "assessor") assertCommissioned(item, cycle.year, rules);
    if (rest.length === 0) throw new InputError(`请写明${INPUT_ITEM_LABEL[item]}的录入内容。\n格式：考评录入 <单位> ${itemForm(item, rules.evaluation)}`);
    const newInput = inputFromWords(item, rest, rules.evaluation);
    const refusal = declinedAward(newInput) ? declineRefusal(agency) : null;
    if (refusal) throw new InputError(refusal);
    const { record, previous, changed } = await recordInput(ctx.tx, newInput, { cycleId: cycle.id, agencyId: agency.id, source: "chat", enteredById: ctx.actor.id, now: ctx.now });
    const what = `${cycle.year} 年度 ${agency.shortName} ${INPUT_ITEM_LABEL[item]}`;
    if (!changed) return ctx.reply(`${what}已是“${describeInput(record)}”（录入记录 #${record.id}），无需重复录入。`);
    const was = previous ? `，原为“${describeInput(previous)}”` : "";
    ctx.reply(`已录入${what}：${describeInput(record)}（录入记录 #${record.id}${was}）。重新执行“考评 ${cycle.year}”后计入考评结果。`);
  },
};

/** 公众评议 (§2.14) may be commissioned to the third party (§2.24) in the year's rules file. */
function assertCommissioned(item: string, year: number, rules: YearRules): void {
  if (item !== "public_survey") throw new ForbiddenError(`第三方机构只能录入受委托实施的公众评议（${INPUT_ITEM_LABEL.public_survey}）结果。`);
  if (!rules.evaluation.survey.enteredByAssessor) {
    throw new ForbiddenError(`目标办尚未委托第三方机构实施 ${year} 年度公众评议（§2.14），暂不能由第三方机构录入。请联系目标办。`);
  }
}

function requireYear(input: CommandInput, example: string): number {
  const year = parseYear(input.words[0]);
  if (!year) throw new InputError(`请写明考评年度，例如：${example}。`);
  return year;
}

/** 考评 <年度>: computes, ranks, tiers and stores every agency's result; confirmed first. */
const evaluate: Command = {
  name: "考评",
  aliases: ["目标考评"],
  usage: "考评 <年度>",
  summary: "计算各单位年度考评得分、排名、获奖等次和个人获奖比例",
  example: "考评 2026",
  roles: ["office"],
  async confirm(ctx, input) {
    const year = requireYear(input, "考评 2026");
    const cycle = await evaluationCycle(ctx.tx, ctx.now, year);
    const { province } = await computeEvaluation(ctx.tx, cycle.id, rulesFor(ctx, year));
    const warnings = await evaluationWarnings(ctx.tx, cycle.id, province);
    const s = province.slots;
    const third = s.third === null ? "其余三等奖" : `三等奖 ${s.third} 名，其余无等次`;
    return [
      `将按 ${year} 年度考评规则，对 ${province.agencies.length} 个单位计算考评得分、排名、获奖等次（一等奖 ${s.first} 名、二等奖 ${s.second} 名、${third}；名额为上限）和个人获奖比例，并保存结果。`,
      ...warnings.map((w) => `· ${w}`),
    ].join("\n");
  },
  async run(ctx, input) {
    const year = requireYear(input, "考评 2026");
    const cycle = await evaluationCycle(ctx.tx, ctx.now, year);
    const { province, summary } = await runEvaluation(ctx.tx, cycle, rulesFor(ctx, year), ctx.now);
    const survey = (h: number | null) => (h === null ? "未测评" : `${formatH(h)}%`);
    const rows = province.agencies.map((a) => `| ${a.rank} | ${a.shortName} | ${formatH(a.totalH)} | ${survey(a.dissatisfactionH)} | ${tierLabel(a.tier)} |`);
    const republish = summary.republishNeeded.length ? `\n已发布结果有变化的单位：${summary.republishNeeded.join("、")}，请重新发布。` : "";
    ctx.reply({
      kind: "markdown",
      title: `${year}年度考评结果`,
      text: [
        `**${year}年度目标考评结果（${province.agencies.length} 个单位，尚未发布）**`,
        "| 排名 | 单位 | 得分 | 不满意度（参考） | 获奖等次 |",
        "| --- | --- | --- | --- | --- |",
        ...rows,
        `\n查看明细：考评明细 <单位> ${year}；导出报告：考评报告 ${year} 成员单位|组织部|<单位>；发布：考评发布 ${year}。${republish}`,
      ].join("\n"),
    });
  },
};

/** Heads and officers see their own agency's result once published; the office sees all, any time. */
async function visibleResult(ctx: CommandContext, agencyWords: string[], year: number | null) {
  const cycle = await evaluationCycle(ctx.tx, ctx.now, year);
  let agency;
  if (agencyWords.length && agencyWords.join("") !== "本单位") agency = await findAgency(ctx.tx, agencyWords.join(""));
  if (!seesProvince(ctx.actor)) {
    if (ctx.actor.agencyId === null) throw new ForbiddenError("您的账号未关联单位，无法查看考评结果。");
    if (agency && agency.id !== ctx.actor.agencyId) throw new ForbiddenError("您只能查看本单位的考评结果。");
    agency = await ctx.tx.agency.findUniqueOrThrow({ where: { id: ctx.actor.agencyId } });
  }
  if (!agency) return { cycle, agency: null, result: null };
  const result = await loadResult(ctx.tx, cycle.id, agency.id);
  if (!result || (!result.publishedAt && !seesProvince(ctx.actor))) {
    throw new NotFoundError(`${agency.shortName} ${cycle.year} 年度考评结果尚未${result ? "发布" : "产生"}。`);
  }
  return { cycle, agency, result };
}

/** 考评明细 [单位] [年度]: the explanation line by line; the lines add up to the score. */
const explain: Command = {
  name: "考评明细",
  aliases: ["考评结果"],
  usage: "考评明细 [单位] [年度]",
  summary: "查看考评得分明细：逐项权重、录入值、得分、依据及等次评定",
  example: "考评明细 省发改委 2026",
  roles: ["office", "officer", "head"],
  async run(ctx, input) {
    const { year, words } = yearAndWords(input);
    const { cycle, agency, result } = await visibleResult(ctx, words, year);
    if (!agency || !result) {
      const all = await loadResults(ctx.tx, cycle.id);
      if (all.length === 0) return ctx.reply(`${cycle.year} 年度尚未考评。执行“考评 ${cycle.year}”开始考评。`);
      const lines = all.map((r) => `${r.rank}. ${r.agency.shortName}｜${r.score.toFixed(2)} 分｜${tierLabel(r.tier)}${r.publishedAt ? "" : "（未发布）"}`);
      return ctx.reply({ kind: "markdown", title: "考评结果", text: [`**${cycle.year}年度考评结果**`, ...lines, "", "查看某单位明细：考评明细 <单位>"].join("\n") });
    }
    ctx.reply({ kind: "markdown", title: `${agency.shortName}考评明细`, text: explanationMarkdown(agency.name, cycle.year, result, result.detail) });
  },
};

const MEMBER_UNITS = ["成员单位", "领导小组", "领导小组成员单位"];
const ORG_DEPARTMENT = ["组织部", "省委组织部", "公务员局", "省公务员局", "组织部公务员局"];

/** 考评报告 <年度> 成员单位|组织部|<单位>: the §9 report as an Excel file. */
const report: Command = {
  name: "考评报告",
  aliases: ["考评导出"],
  usage: "考评报告 <年度> 成员单位|组织部|<单位>",
  summary: "导出考评结果报告（领导小组成员单位、组织部和公务员局、各单位）",
  example: "考评报告 2026 成员单位",
  roles: ["office", "officer", "head"],
  async run(ctx, input) {
    const { year, words } = yearAndWords(input);
    const audience = words.join("");
    if (!audience && seesProvince(ctx.actor)) throw new InputError("请写明报告对象：成员单位、组织部或单位名称。");
    const cycle = await evaluationCycle(ctx.tx, ctx.now, year);
    const rules = rulesFor(ctx, cycle.year);
    let file;
    if (MEMBER_UNITS.includes(audience) || ORG_DEPARTMENT.includes(audience)) {
      if (!seesProvince(ctx.actor)) throw new ForbiddenError("该报告由目标办报送，单位只能获取本单位的反馈报告（考评报告 <年度> 本单位）。");
      const data = await loadReportData(ctx.tx, cycle, rules);
      file = MEMBER_UNITS.includes(audience) ? await memberUnitsReport(data) : await orgDepartmentReport(data);
    } else {
      const { result } = await visibleResult(ctx, words, cycle.year);
      if (!result) throw new InputError("请写明报告对象：成员单位、组织部或单位名称。");
      file = await agencyReport(await loadReportData(ctx.tx, cycle, rules), result);
    }
    ctx.reply({ kind: "file", fileName: file.fileName, base64: file.buffer.toString("base64"), caption: `${cycle.year}年度目标考评报告` });
  },
};

async function publishable(ctx: CommandContext, year: number) {
  const cycle = await evaluationCycle(ctx.tx, ctx.now, year);
  const rules = rulesFor(ctx, year);
  const results = await loadResults(ctx.tx, cycle.id);
  if (results.length === 0) throw new StateError(`${year} 年度尚未考评，请先执行“考评 ${year}”。`);
  const stale = await staleResults(ctx.tx, cycle.id, rules);
  if (stale.length) throw new StateError(`以下单位的考评数据在上次考评后有变化：${stale.join("、")}。请先重新执行“考评 ${year}”，核对后再发布。`);
  const pending = results.filter((r) => !r.publishedAt);
  if (pending.length === 0) throw new StateError(`${year} 年度考评结果已全部发布，无需重复发布。`);
  return { cycle, rules, results, pending };
}

/** 考评发布 <年度>: each agency head receives the result (§9.3) through the outbox; confirmed first. */
const publish: Command = {
  name: "考评发布",
  aliases: ["发布考评"],
  usage: "考评发布 <年度>",
  summary: "向各单位主要负责人发布年度考评结果",
  example: "考评发布 2026",
  roles: ["office"],
  async confirm(ctx, input) {
    const year = requireYear(input, "考评发布 2026");
    const { pending, rules } = await publishable(ctx, year);
    return `将向 ${pending.length} 个单位的主要负责人发布 ${year} 年度考评结果（得分、排名、获奖等次、个人获奖比例）。发布后，各单位可在 ${rules.evaluation.appealWindowDays} 日内申诉。`;
  },
  async run(ctx, input) {
    const year = requireYear(input, "考评发布 2026");
    const { cycle, rules, results, pending } = await publishable(ctx, year);
    const noHead: string[] = [];
    let sent = 0;
    for (const r of pending) {
      const heads = await ctx.tx.user.findMany({ where: { agencyId: r.agencyId, role: "head", active: true }, select: { id: true } });
      if (heads.length === 0) noHead.push(r.agency.shortName);
      const revision = r.detail.revision;
      const message = resultNotice(r.agency.name, year, r, r.detail, results.length, rules.evaluation.appealWindowDays, revision > 0);
      for (const h of heads) {
        await ctx.notify(h.id, { kind: "text", text: message }, { key: publicationKey(year, r.agencyId, h.id, revision), mandatory: true });
        sent += 1;
      }
      await ctx.tx.evaluationResult.update({ where: { id: r.id }, data: { publishedAt: ctx.now } });
    }
    await ctx.tx.cycle.update({ where: { id: cycle.id }, data: { status: "closed" } });
    const missing = noHead.length ? `\n以下单位未登记主要负责人，未能发送通知：${noHead.join("、")}。` : "";
    ctx.reply(`已发布 ${year} 年度考评结果：${pending.length} 个单位，已通知 ${sent} 位主要负责人。${missing}`);
  },
};

/** 考评申诉 [年度] <理由> (§5.3e): an agency appeals its published result; the office decides with 受理. */
const appeal: Command = {
  name: "考评申诉",
  usage: "考评申诉 [年度] <申诉理由>",
  summary: "对本单位年度考评结果提出申诉",
  example: "考评申诉 二级考评得分录入有误，应为96分，附考评文件",
  roles: ["officer", "head"],
  async run(ctx, input) {
    const year = parseYear(input.words[0]);
    const reason = input.rest(year ? 1 : 0);
    if (!reason) return ctx.ask("请写明对考评结果的申诉理由（事实和依据）：", "reason", { year });
    await fileEvaluationAppeal(ctx, year, reason);
  },
  async resume(ctx, step, data, text) {
    if (step === "reason") await fileEvaluationAppeal(ctx, (data.year as number | null) ?? null, text);
  },
};

/** Also the entry point for “申诉 考评 <理由>” in the appeal command. */
export async function fileEvaluationAppeal(ctx: CommandContext, year: number | null, reason: string): Promise<void> {
  const { appeal: filed, year: y } = await fileAppealAgainstEvaluation(ctx.tx, ctx.actor, {
    year,
    reason,
    now: ctx.now,
    windowDays: (forYear) => rulesFor(ctx, forYear).evaluation.appealWindowDays,
  });
  await notifyOffice(
    ctx,
    `appeal-filed:${filed.id}`,
    `【考评申诉】${filed.agency.shortName} 对 ${y} 年度考评结果提出申诉（申诉号 ${filed.id}）。\n理由：${filed.reason}\n处理：受理 ${filed.id} 同意|驳回 <意见>；同意后请更正考评数据，重新执行“考评 ${y}”并发布。`,
  );
  ctx.reply(`申诉已提交（申诉号 ${filed.id}），目标办受理后将通知您。`);
}

export const evaluationCommands: Command[] = [enterInput, evaluate, explain, report, publish, appeal];
