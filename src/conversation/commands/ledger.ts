import { completionSource, latestVerifications } from "../../domain/ledger/verification.js";
import { ALL_ROLES, type Command } from "../command.js";
import { dateText, statusLabel } from "../format.js";
import { targetTimeline } from "../ledger-timeline.js";
import { codeAfter, visibleTarget } from "./visible-target.js";

/**
 * 台账 <编号>: the target's append-only records (§7.3), newest first, each with its PDCA stage (§2.18);
 * every 核查 finding (§2.17) is a 检查 entry, and the head line says whether the completion is verified
 * or self-reported.
 */
export const ledger: Command = {
  name: "台账",
  aliases: ["汇报记录", "进度记录"],
  usage: "台账 <目标编号>",
  summary: "查看一项目标的台账（计划、执行、检查（含核查）、处理改进）",
  example: "台账 FGW-03",
  roles: ALL_ROLES,
  async run(ctx, input) {
    const { target: t } = await visibleTarget(ctx, codeAfter("台账", input.words[0]));
    const entries = await targetTimeline(ctx.tx, t, 20);
    if (entries.length === 0) return ctx.reply(`目标 ${t.code} 暂无台账记录。`);
    const lastTargetCheck = (await latestVerifications(ctx.tx, t.id, 20)).find((v) => v.milestoneId === null);
    const state =
      t.status === "completed"
        ? completionSource(t.verifiedAt) === "已核查"
          ? `已完成（已核查${lastTargetCheck ? `：${dateText(lastTargetCheck.createdAt)} ${lastTargetCheck.verifier.name}` : ""}）`
          : "已完成（自报，未核查）"
        : `${statusLabel(t.status)}（进度 ${t.progress}%${lastTargetCheck?.result === "not_confirmed" ? "，最近核查不属实" : ""}）`;
    const text = [
      `**${t.code} ${t.title} 台账（最近 ${entries.length} 条）**`,
      `完成情况：${state}`,
      ...entries.map((e) => e.text),
      "PDCA：计划（P）、执行（D）、检查（C，含核查）、处理改进（A）",
    ];
    ctx.reply({ kind: "markdown", title: `台账 ${t.code}`, text: text.join("\n") });
  },
};
