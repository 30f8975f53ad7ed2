import { currentCycle } from "../../domain/cycles.js";
import { InputError } from "../../domain/errors.js";
import { listReports } from "../../domain/ledger.js";
import { getVisibleTarget } from "../../domain/targets.js";
import { completionSource, latestVerifications } from "../../domain/verification.js";
import { PDCA_LABEL, VERIFICATION_METHOD_LABEL, type PdcaStage, type VerificationMethod } from "../../domain/vocabulary.js";
import { ALL_ROLES, type Command } from "../command.js";
import { dateText, statusLabel, timeText } from "../format.js";

/**
 * 台账 <编号>: the target's append-only progress records (§7.3), newest first, with every 核查 finding
 * (§2.17) beside them and whether the completion is verified or self-reported.
 */
export const ledger: Command = {
  name: "台账",
  aliases: ["汇报记录", "进度记录"],
  usage: "台账 <目标编号>",
  summary: "查看一项目标的台账（历次进度汇报和核查记录）",
  example: "台账 FGW-03",
  roles: ALL_ROLES,
  async run(ctx, input) {
    const code = input.words[0];
    if (!code) throw new InputError("请在“台账”后写明目标编号。");
    const cycle = await currentCycle(ctx.tx, ctx.now);
    const t = await getVisibleTarget(ctx.tx, ctx.actor, cycle.id, code);
    const reports = await listReports(ctx.tx, t.id, 20);
    const checks = await latestVerifications(ctx.tx, t.id, 20);
    if (reports.length === 0 && checks.length === 0) return ctx.reply(`目标 ${t.code} 暂无台账记录。`);
    const lines = reports.map((r) => {
      const who = r.onBehalfOf ? `${r.reporter.name}（代${r.onBehalfOf.name}）` : r.reporter.name;
      const evidence = r.evidence.length ? `｜佐证：${r.evidence.map((e) => e.name).join("、")}` : "";
      return `${r.id}. ${timeText(r.createdAt)}｜${who}｜${r.progress}%｜${PDCA_LABEL[r.pdcaStage as PdcaStage] ?? r.pdcaStage}｜${r.note}${evidence}`;
    });
    const checkLines = checks.map((v) => {
      const what = `${VERIFICATION_METHOD_LABEL[v.method as VerificationMethod] ?? v.method}${v.milestone ? `（第${"一二三四"[v.milestone.quarter - 1]}季度节点）` : ""}`;
      return `· ${timeText(v.createdAt)}｜${v.verifier.name}｜${what}｜${v.result === "confirmed" ? "属实" : "不属实"}｜${v.finding}`;
    });
    const lastTargetCheck = checks.find((v) => v.milestoneId === null);
    const state =
      t.status === "completed"
        ? completionSource(t.verifiedAt) === "已核查"
          ? `已完成（已核查${lastTargetCheck ? `：${dateText(lastTargetCheck.createdAt)} ${lastTargetCheck.verifier.name}` : ""}）`
          : "已完成（自报，未核查）"
        : `${statusLabel(t.status)}（进度 ${t.progress}%${lastTargetCheck?.result === "not_confirmed" ? "，最近核查不属实" : ""}）`;
    const text = [
      `**${t.code} ${t.title} 台账（最近 ${reports.length} 条）**`,
      `完成情况：${state}`,
      ...(lines.length ? lines : ["暂无进度汇报。"]),
      ...(checkLines.length ? ["**核查记录**", ...checkLines] : []),
    ];
    ctx.reply({ kind: "markdown", title: `台账 ${t.code}`, text: text.join("\n") });
  },
};
