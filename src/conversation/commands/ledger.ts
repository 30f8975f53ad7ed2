import { currentCycle } from "../../domain/cycles.js";
import { InputError } from "../../domain/errors.js";
import { listReports } from "../../domain/ledger.js";
import { getVisibleTarget } from "../../domain/targets.js";
import { PDCA_LABEL, type PdcaStage } from "../../domain/vocabulary.js";
import { ALL_ROLES, type Command } from "../command.js";
import { timeText } from "../format.js";

/** 台账 <编号>: the target's append-only progress records (§7.3), newest first. */
export const ledger: Command = {
  name: "台账",
  aliases: ["汇报记录", "进度记录"],
  usage: "台账 <目标编号>",
  summary: "查看一项目标的台账（历次进度汇报）",
  example: "台账 FGW-03",
  roles: ALL_ROLES,
  async run(ctx, input) {
    const code = input.words[0];
    if (!code) throw new InputError("请在“台账”后写明目标编号。");
    const cycle = await currentCycle(ctx.tx, ctx.now);
    const t = await getVisibleTarget(ctx.tx, ctx.actor, cycle.id, code);
    const reports = await listReports(ctx.tx, t.id, 20);
    if (reports.length === 0) return ctx.reply(`目标 ${t.code} 暂无台账记录。`);
    const lines = reports.map((r) => {
      const who = r.onBehalfOf ? `${r.reporter.name}（代${r.onBehalfOf.name}）` : r.reporter.name;
      const evidence = r.evidence.length ? `｜佐证：${r.evidence.map((e) => e.name).join("、")}` : "";
      return `${r.id}. ${timeText(r.createdAt)}｜${who}｜${r.progress}%｜${PDCA_LABEL[r.pdcaStage as PdcaStage] ?? r.pdcaStage}｜${r.note}${evidence}`;
    });
    ctx.reply({ kind: "markdown", title: `台账 ${t.code}`, text: `**${t.code} ${t.title} 台账（最近 ${reports.length} 条）**\n${lines.join("\n")}` });
  },
};
