import { canViewAgency, seesProvince } from "../../domain/people/actor.js";
import { currentCycle } from "../../domain/calendar/cycles.js";
import { type AppealSubject, entryLabel, entryRefText, resolveAppealSubject, targetAppealEffect } from "../../domain/appeals/subject.js";
import { decideAppeal, fileAppeal as fileAppeal_, listAppeals } from "../../domain/appeals/appeals.js";
import { InputError } from "../../domain/errors.js";
import { APPEAL_STATUS_LABEL } from "../../domain/vocabulary.js";
import { CommandInput, type Command } from "../command.js";
import type { CommandContext } from "../context.js";
import { dateText, timeText } from "../format.js";
import { notifyAgencyHeads, notifyOffice } from "../notify.js";
import { fileEvaluationAppeal } from "./evaluation.js";

/** 申诉 <季度-条目号或目标编号> <理由> (§5.3e). Without a reason the bot asks for it. */
export const fileAppeal: Command = {
  name: "申诉",
  aliases: ["提出申诉"],
  usage: "申诉 <季度-条目号（如 2026Q3-2）、目标编号或“考评”> <申诉理由>",
  summary: "对负面清单条目或目标考核结果提出申诉",
  example: "申诉 2026Q3-2 该节点已于9月28日完成，佐证材料已上传台账",
  roles: ["officer", "head"],
  async run(ctx, input) {
    const subject = input.words[0];
    if (!subject) throw new InputError("请写明申诉的负面清单条目（季度和条目号，如 2026Q3-2）或目标编号。");
    // 申诉 考评 <理由>: appeals against the annual evaluation result share the appeal flow (§5.3e).
    if (subject === "考评") {
      const reason = input.rest(1);
      if (!reason) return ctx.ask("请写明对考评结果的申诉理由（事实和依据）：", "evaluation-reason");
      return fileEvaluationAppeal(ctx, null, reason);
    }
    const resolved = await resolve(ctx, input.words);
    const reason = input.rest(resolved.used);
    if (!reason) return ctx.ask(`请写明对“${resolved.label}”的申诉理由（事实和依据）：`, "reason", { words: input.words.slice(0, resolved.used) });
    await file(ctx, resolved, reason);
  },
  async resume(ctx, step, data, text) {
    // Resolved again: the window may have closed, or another appeal arrived, while the bot waited.
    if (step === "reason") await file(ctx, await resolve(ctx, data.words as string[]), text);
    if (step === "evaluation-reason") await fileEvaluationAppeal(ctx, null, text);
  },
};

async function resolve(ctx: CommandContext, words: string[]): Promise<AppealSubject> {
  return resolveAppealSubject(ctx.tx, ctx.actor, words, (await currentCycle(ctx.tx, ctx.now)).id, ctx.now, ctx.settings.appealWindowDays);
}

async function file(ctx: CommandContext, subject: AppealSubject, reason: string) {
  const appeal =
    subject.kind === "entry"
      ? await fileAppeal_(ctx.tx, ctx.actor, { entryId: subject.entry.id, targetId: subject.entry.targetId }, reason, ctx.now)
      : await fileAppeal_(ctx.tx, ctx.actor, { targetId: subject.target.id }, reason, ctx.now);
  const what = subject.kind === "entry" ? `${subject.label}（${subject.entry.target.code}）` : subject.label;
  await notifyOffice(ctx, `appeal-filed:${appeal.id}`, `【目标申诉】${appeal.agency.shortName} 对${what}提出申诉（申诉号 ${appeal.id}）。\n理由：${appeal.reason}\n处理：受理 ${appeal.id} 同意|驳回 <意见>`);
  const lead = subject.kind === "entry" && subject.viaTarget ? `目标 ${subject.viaTarget} 列入${subject.label}，已按该项提交申诉（申诉号 ${appeal.id}）` : `申诉已提交（申诉号 ${appeal.id}）`;
  ctx.reply(`${lead}，目标办受理后将通知您。查看处理记录：申诉列表 ${appeal.id}`);
}

/**
 * 申诉列表 [全部|<申诉号>]: the office sees pending (or all) appeals to decide; an agency's 目标办 and
 * head see their own agency's appeals; with an appeal number, anyone allowed to see it gets its full
 * record — filing, each decision and reply, in order (§5.3e: every step is recorded).
 */
export const appealList: Command = {
  name: "申诉列表",
  aliases: ["待办申诉", "申诉记录"],
  usage: "申诉列表 [全部|<申诉号>]",
  summary: "查看申诉及其处理记录",
  example: "申诉列表 3",
  roles: ["office", "officer", "head"],
  async run(ctx, input) {
    const first = input.words[0];
    if (first && /^\d+$/.test(first)) return appealHistory(ctx, Number(first));
    if (first && first !== "全部") throw new InputError(`“${first}”不是申诉号。查看某件申诉请写数字申诉号，例如：申诉列表 3。`);
    const office = seesProvince(ctx.actor);
    const all = first === "全部" || !office;
    const appeals = (await listAppeals(ctx.tx, all ? undefined : "pending")).filter((a) => office || a.agencyId === ctx.actor.agencyId);
    if (appeals.length === 0) return ctx.reply(office ? (all ? "暂无申诉。" : "暂无待受理的申诉。") : "本单位暂无申诉。");
    const lines = appeals.map((a) => {
      const what = a.negativeEntry ? `负面清单 ${entryRefText(a.negativeEntry.list.period, a.negativeEntry.seq)}（${a.negativeEntry.points} 分）` : a.evaluation ? `${a.evaluation.cycle.year}年度考评结果` : `目标 ${a.target?.code ?? "-"}`;
      return `${a.id}. ${a.agency.shortName}｜${what}｜${a.filer.name} ${dateText(a.filedAt)}｜${APPEAL_STATUS_LABEL[a.status]}｜${a.reason}`;
    });
    const title = office ? `${all ? "全部" : "待受理"}申诉` : "本单位申诉";
    const footer = office ? "处理：受理 <申诉号> 同意|驳回 <意见>；查看记录：申诉列表 <申诉号>" : "查看处理记录：申诉列表 <申诉号>";
    ctx.reply({ kind: "markdown", title, text: `**${title}（${appeals.length} 件）**\n${lines.join("\n")}\n\n${footer}` });
  },
};

const EVENT_LABEL: Record<string, string> = { filed: "提出申诉", accepted: "同意", rejected: "驳回", commented: "说明" };

async function appealHistory(ctx: CommandContext, id: number) {
  const appeal = await ctx.tx.appeal.findUnique({
    where: { id },
    include: { agency: true, filer: true, negativeEntry: { include: { list: true } }, target: true, evaluation: { include: { cycle: true } }, events: { include: { actor: true }, orderBy: [{ at: "asc" }, { id: "asc" }] } },
  });
  // Another agency's appeal is reported as not found, not as forbidden: its existence is not ours to show.
  if (!appeal || !canViewAgency(ctx.actor, appeal.agencyId)) throw new InputError(`未找到申诉号 ${id}。请用“申诉列表”查看可查阅的申诉。`);
  const subject = appeal.negativeEntry
    ? `${entryLabel(appeal.negativeEntry.list.period, appeal.negativeEntry.seq)}（${appeal.negativeEntry.points} 分，${appeal.negativeEntry.status === "withdrawn" ? "已撤销" : "有效"}）：${appeal.negativeEntry.reason}`
    : appeal.evaluation
      ? `${appeal.evaluation.cycle.year}年度考评结果（${appeal.evaluation.score} 分，第 ${appeal.evaluation.rank} 名）`
      : `目标 ${appeal.target?.code ?? "-"}「${appeal.target?.title ?? ""}」`;
  const steps = appeal.events.map((e) => `· ${timeText(e.at)} ${e.actor.name} ${EVENT_LABEL[e.action] ?? e.action}：${e.note}`);
  ctx.reply({
    kind: "markdown",
    title: `申诉 ${appeal.id}`,
    text: [`**申诉 ${appeal.id}｜${appeal.agency.shortName}｜${APPEAL_STATUS_LABEL[appeal.status]}**`, `申诉事项：${subject}`, `申诉人：${appeal.filer.name}`, "处理记录：", ...steps].join("\n"),
  });
}

function parseDecision(input: CommandInput): { id: number; accept: boolean; note: string } {
  const [idRaw, verdict] = input.words;
  if (!idRaw || !/^\d+$/.test(idRaw)) throw new InputError("请写明申诉号（数字）。");
  if (verdict !== "同意" && verdict !== "驳回") throw new InputError("请写明“同意”或“驳回”。");
  const note = input.rest(2);
  if (note.length < 2) throw new InputError("请写明受理意见。");
  return { id: Number(idRaw), accept: verdict === "同意", note };
}

/** 受理 <申诉号> 同意|驳回 <意见>: consequential, so confirmed first; filer and head are notified. */
export const decide: Command = {
  name: "受理",
  aliases: ["处理申诉"],
  usage: "受理 <申诉号> 同意|驳回 <受理意见>",
  summary: "同意或驳回申诉并答复",
  example: "受理 3 同意 经核查该节点已按期完成，撤销该条目",
  roles: ["office"],
  async confirm(ctx, input) {
    const d = parseDecision(input);
    const appeal = await ctx.tx.appeal.findUnique({ where: { id: d.id }, include: { agency: true, negativeEntry: { include: { list: true } }, target: true } });
    if (!appeal) throw new InputError(`未找到申诉号 ${d.id}。请用“申诉列表”查看。`);
    const withdraw = d.accept && appeal.negativeEntry ? `，撤销${entryLabel(appeal.negativeEntry.list.period, appeal.negativeEntry.seq)}并恢复扣分` : "";
    const effect = d.accept && appeal.subjectType === "target" && appeal.target ? (await targetAppealEffect(ctx.tx, appeal.agencyId, appeal.target, ctx.now, ctx.settings.appealWindowDays)).forOffice : "";
    return `将${d.accept ? "同意" : "驳回"}${appeal.agency.shortName}的申诉 ${d.id}${withdraw}。${effect}意见：${d.note}`;
  },
  async run(ctx, input) {
    const d = parseDecision(input);
    const { appeal, restoredPoints } = await decideAppeal(ctx.tx, ctx.actor, d.id, d.accept, d.note, ctx.now);
    const verdict = d.accept ? "同意" : "驳回";
    const restored = restoredPoints && appeal.negativeEntry ? `，${entryLabel(appeal.negativeEntry.list.period, appeal.negativeEntry.seq)}已撤销，恢复 ${restoredPoints} 分` : "";
    // Accepting an appeal against a target changes nothing by itself: say so, and name the entry if there is one.
    const effect = d.accept && appeal.subjectType === "target" && appeal.target ? `\n${(await targetAppealEffect(ctx.tx, appeal.agencyId, appeal.target, ctx.now, ctx.settings.appealWindowDays)).forAgency}` : "";
    const message = `【申诉答复】您单位的申诉（申诉号 ${appeal.id}）已${verdict === "同意" ? "获同意" : "被驳回"}${restored}。\n目标办意见：${d.note}${effect}`;
    await ctx.notify(appeal.filerId, { kind: "text", text: message }, { key: `appeal-decided:${appeal.id}:${appeal.filerId}` });
    await notifyAgencyHeads(ctx, appeal.agencyId, `appeal-decided:${appeal.id}`, message, [appeal.filerId]);
    ctx.reply(`已${verdict}申诉 ${appeal.id}${restored}，已通知申诉人及单位主要负责人。`);
  },
};
