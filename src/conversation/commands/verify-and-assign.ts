import { currentCycle } from "../../domain/cycles.js";
import { InputError } from "../../domain/errors.js";
import { assignOwners } from "../../domain/owners.js";
import { getVisibleTarget } from "../../domain/targets.js";
import { parseFinding, parseMethod, recordVerification } from "../../domain/verification.js";
import { VERIFICATION_METHOD_LABEL } from "../../domain/vocabulary.js";
import type { Command } from "../command.js";
import { withdrawWaiting } from "../../outbox/withdraw.js";

/** 核查 <编号> <方式> <属实|不属实> <核查情况> (§2.17): recorded by the office or a commissioned third party. */
export const verify: Command = {
  name: "核查",
  aliases: ["目标核查"],
  usage: "核查 <目标编号> <核查方式> <属实|不属实> <核查情况>",
  summary: "记录目标核查结果（网上评审、实地核查等）",
  example: "核查 FGW-03 实地核查 属实 现场查阅了第三季度调研报告及会议纪要",
  roles: ["office", "assessor"],
  async run(ctx, input) {
    const [code, methodRaw, findingRaw] = input.words;
    if (!code || !methodRaw || !findingRaw) throw new InputError(`请写明目标编号、核查方式和结论。核查方式可选：${Object.values(VERIFICATION_METHOD_LABEL).join("、")}。`);
    const method = parseMethod(methodRaw);
    const result = parseFinding(findingRaw);
    const cycle = await currentCycle(ctx.tx, ctx.now);
    const target = await getVisibleTarget(ctx.tx, ctx.actor, cycle.id, code);
    const v = await recordVerification(ctx.tx, ctx.actor, target, { method, result, finding: input.rest(3) }, ctx.now);
    const officers = await ctx.tx.user.findMany({ where: { agencyId: target.agencyId, role: "officer", active: true } });
    const notice = `【目标核查】目标 ${target.code}「${target.title}」经${VERIFICATION_METHOD_LABEL[method]}，结论：${result === "confirmed" ? "属实" : "不属实"}。\n核查情况：${v.finding}`;
    for (const o of officers) await ctx.notify(o.id, { kind: "text", text: notice }, { key: `verification:${v.id}:${o.id}` });
    ctx.reply(`已记录目标 ${target.code} 的核查结果（核查记录 ${v.id}），并通知${target.agency.shortName}目标办。`);
  },
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
    const code = input.words[0];
    if (!code) throw new InputError("请写明目标编号和责任人。");
    const names = input.rest(1).split(/[、，,\s]+/).filter(Boolean);
    const cycle = await currentCycle(ctx.tx, ctx.now);
    const target = await getVisibleTarget(ctx.tx, ctx.actor, cycle.id, code);
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
