import { InputError } from "../../domain/errors.js";
import { assignOwners } from "../../domain/targets/owners.js";
import { entryLabel } from "../../domain/appeals/subject.js";
import { appealLastDay } from "../../domain/appeals/appeals.js";
import { listRecipients } from "../../domain/negative-list/negative-list.js";
import { supplementNegativeList } from "../../domain/negative-list/supplement.js";
import { loadRules } from "../../domain/rules.js";
import { type FindingEffect, parseFinding, parseMethod, parseMilestoneQuarter, recordVerification } from "../../domain/ledger/verification.js";
import { supplementReplies } from "../negative-list-supplement-view.js";
import { VERIFICATION_METHOD_LABEL } from "../../domain/vocabulary.js";
import type { Command } from "../command.js";
import { withdrawWaiting } from "../../outbox/withdraw.js";
import { visibleTarget } from "./visible-target.js";

/**
 * 核查 <编号> [第N季度] <方式> <属实|不属实> <核查情况> (§2.17): recorded by the office or a commissioned
 * third party, and it counts — see recordVerification. A 不属实 finding after the quarter's list went
 * out adds the miss to that list and tells the head at once, as a mandatory notice open to appeal.
 */
export const verify: Command = {
  name: "核查",
  aliases: ["目标核查"],
  usage: "核查 <目标编号> [第N季度] <核查方式> <属实|不属实> <核查情况>",
  summary: "记录目标或季度节点的核查结果（网上评审、实地核查等）",
  example: "核查 FGW-03 第三季度 实地核查 属实 现场查阅了第三季度调研报告及会议纪要",
  roles: ["office", "assessor"],
  async run(ctx, input) {
    const code = input.words[0];
    const quarter = input.words[1] ? parseMilestoneQuarter(input.words[1]) : null;
    const at = quarter ? 2 : 1;
    const [methodRaw, findingRaw] = input.words.slice(at);
    if (!code || !methodRaw || !findingRaw) throw new InputError(`请写明目标编号、核查方式和结论。核查方式可选：${Object.values(VERIFICATION_METHOD_LABEL).join("、")}。`);
    const method = parseMethod(methodRaw);
    const result = parseFinding(findingRaw);
    const { cycle, target } = await visibleTarget(ctx, code);
    const { verification: v, milestone, effect } = await recordVerification(ctx.tx, ctx.actor, target, { method, result, finding: input.rest(at + 2), quarter }, ctx.now);
    const subject = `目标 ${target.code}${milestone ? ` 第${"一二三四"[milestone.quarter - 1]}季度节点` : ""}`;
    const noticeAt = ctx.settings.deliveryTime(ctx.now);
    const supplement = result === "not_confirmed" ? await supplementNegativeList(ctx.tx, target, milestone, v.id, loadRules(cycle.year, ctx.settings.rulesDir), noticeAt) : null;
    const changed = [effect === "verified" && milestone ? "该节点标记为已核查" : EFFECT_TEXT[effect], supplement ? `已补充列入${supplement.entries.map((e) => entryLabel(supplement.list.period, e.seq)).join("、")}${supplement.list.notifiedAt ? "，并通知单位主要负责人" : "，随清单一并送达"}` : ""].filter(Boolean);
    const methodText = VERIFICATION_METHOD_LABEL[method];
    const notice = `【目标核查】${subject}「${target.title}」经${methodText}，结论：${result === "confirmed" ? "属实" : "不属实"}。\n核查情况：${v.finding}${changed.length ? `\n${changed.join("；")}。` : ""}`;
    const officers = await ctx.tx.user.findMany({ where: { agencyId: target.agencyId, role: "officer", active: true } });
    for (const o of officers) await ctx.notify(o.id, { kind: "text", text: notice }, { key: `verification:${v.id}:${o.id}` });
    if (supplement?.list.notifiedAt) {
      const replies = supplementReplies(target.agency.name, supplement, { method: methodText, text: v.finding }, appealLastDay(noticeAt, ctx.settings.appealWindowDays));
      for (const userId of await listRecipients(ctx.tx, target.agencyId)) {
        const key = `negative-list-supplement:${supplement.entries[0].id}:${userId}`;
        for (const [i, reply] of replies.entries()) await ctx.notify(userId, reply, { key: i === 0 ? key : `${key}:appeal-card`, mandatory: true, notBefore: noticeAt });
      }
    }
    ctx.reply(`已记录${subject}${milestone ? "" : " "}的核查结果（核查记录 ${v.id}）${changed.length ? `：${changed.join("；")}` : ""}，并通知${target.agency.shortName}目标办。`);
  },
};

const EFFECT_TEXT: Record<FindingEffect, string> = {
  verified: "目标标记为已核查",
  unmarked: "该节点改为未达成",
  reopened: "目标改为执行中",
  none: "",
};

/** 指定责任人 <编号> <姓名或账号…>: the agency's target office names its targets' owners. */
export const assign: Command = {
  name: "指定责任人",
  aliases: ["责任人"],
  usage: "指定责任人 <目标编号> <姓名或账号>[、<姓名或账号>…]",
  summary: "指定或更换本单位目标的责任人",
  example: "指定责任人 FGW-03 赵磊、孙婷",
  roles: ["officer"],
  async run(ctx, input) {
    const [code, names] = [input.words[0], input.rest(1).split(/[、，,\s]+/).filter(Boolean)];
    if (!code) throw new InputError("请写明目标编号和责任人。");
    const { target } = await visibleTarget(ctx, code);
    const people = await assignOwners(ctx.tx, ctx.actor, target, names);
    for (const p of people) {
      await ctx.notify(p.id, { kind: "text", text: `【责任人指定】本单位目标办指定您为目标 ${target.code}「${target.title}」的责任人。查看详情：目标 ${target.code}` }, { key: `owner-assigned:${target.id}:${p.id}:${ctx.event.eventKey}` });
    }
    const lines = [`目标 ${target.code} 的责任人已设为：${people.map((p) => p.name).join("、")}。`];
    // Former owners: reminders still waiting for them (or their stand-ins) no longer hold; they are told.
    const removed = target.owners.map((o) => o.user).filter((u) => !people.some((p) => p.id === u.id));
    if (removed.length) {
      const withdrawn = await withdrawWaiting(ctx.tx, { targetId: target.id, aboutUserIds: removed.map((u) => u.id) }, `owner changed: ${target.code}`);
      const now = people.map((p) => p.name).join("、");
      for (const u of removed) {
        const n = withdrawn.byUser.get(u.id) ?? 0;
        await ctx.notify(
          u.id,
          { kind: "text", text: `【责任人变更】本单位目标办已将目标 ${target.code}「${target.title}」的责任人改为${now}，您不再负责该目标。${n ? `此前尚未发出的 ${n} 条相关提醒已撤回。` : ""}` },
          { key: `owner-removed:${target.id}:${u.id}:${ctx.event.eventKey}` },
        );
        lines.push(n ? `已撤回发给${u.name}的 ${n} 条尚未发出的提醒，并通知其本人。` : `已通知${u.name}不再负责该目标。`);
      }
    }
    ctx.reply(lines.join("\n"));
  },
};
