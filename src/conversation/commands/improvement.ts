import { InputError } from "../../domain/errors.js";
import { answerImprovement, assertCanAnswer, checkedText, missName, missText, unanswered } from "../../domain/care/improvements.js";
import type { Command } from "../command.js";
import type { CommandContext } from "../context.js";
import { visibleTarget } from "./visible-target.js";

/**
 * 改进 <编号> [原因分析]: after a missed milestone or deadline, the owner (or the agency's officer)
 * gives 原因分析 and then 改进措施 (§7.2), kept in the 台账 as the A of PDCA (§2.18). The oldest
 * request still open on the target is answered first.
 */
export const improve: Command = {
  name: "改进",
  aliases: ["改进措施", "原因分析"],
  usage: "改进 <目标编号> [原因分析]",
  summary: "目标或季度节点未按期达成后，填写原因分析和改进措施",
  example: "改进 FGW-04 项目前期手续办理滞后",
  roles: ["officer", "staff"],
  async run(ctx, input) {
    const code = input.words[0];
    if (!code) return listOpen(ctx);
    const { target } = await visibleTarget(ctx, code);
    assertCanAnswer(ctx.actor, target);
    const [first] = await unanswered(ctx.tx, { targetId: target.id });
    if (!first) return ctx.reply(`目标 ${target.code} 没有待填写的原因分析和改进措施。`);
    const cause = input.rest(1);
    const head = `目标 ${target.code} ${missText(first)}。`;
    if (cause) return askMeasures(ctx, first.id, target.code, checkedText(cause, "原因分析"), head);
    ctx.ask(`${head}\n请填写原因分析（未按期达成的主要原因）：`, "cause", { id: first.id, code: target.code });
  },
  async resume(ctx, step, data, reply) {
    const id = Number(data.id);
    const code = String(data.code);
    if (step === "cause") {
      try {
        return askMeasures(ctx, id, code, checkedText(reply, "原因分析"), "");
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        return ctx.ask(`${err.message}\n请重新填写原因分析：`, "cause", data);
      }
    }
    if (step === "measures") {
      const saved = await answerImprovement(ctx.tx, ctx.actor, id, String(data.cause), reply, ctx.now);
      const left = await unanswered(ctx.tx, { targetId: saved.targetId });
      ctx.reply(
        [
          `已记入台账（PDCA：处理改进）：目标 ${code} ${missName(saved)}的原因分析和改进措施。`,
          ...(left.length ? [`目标 ${code} 另有 ${left.length} 项待填写，请再次发送：改进 ${code}`] : []),
        ].join("\n"),
      );
    }
  },
};

function askMeasures(ctx: CommandContext, id: number, code: string, cause: string, head: string): void {
  ctx.ask(`${head}请填写改进措施（下一步如何补救、何时完成）：`, "measures", { id, code, cause });
}

/** Without a code: what the speaker still owes. */
async function listOpen(ctx: CommandContext): Promise<void> {
  const open = (await unanswered(ctx.tx)).filter(
    (i) => i.target.owners.some((o) => o.userId === ctx.actor.id) || (ctx.actor.role === "officer" && i.target.agencyId === ctx.actor.agencyId),
  );
  if (open.length === 0) return ctx.reply("您目前没有待填写的原因分析和改进措施。");
  const lines = open.slice(0, 20).map((i) => `· ${i.target.code} ${i.target.title}：${missText(i)}`);
  ctx.reply(`待填写原因分析和改进措施（${open.length} 项）：\n${lines.join("\n")}\n填写：改进 <编号>`);
}
