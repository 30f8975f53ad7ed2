import { findAgency } from "../../domain/people/agencies.js";
import { answerQuestion, askQuestion, openThreadToAgency, openThreads } from "../../domain/communication/communication.js";
import { InputError } from "../../domain/errors.js";
import type { Command } from "../command.js";
import type { CommandContext } from "../context.js";
import { dateText } from "../format.js";
import { notifyOffice } from "../notify.js";

/** 沟通 <问题> (§2.22): the question reaches every office user; the answer comes back to the asker. */
export const ask: Command = {
  name: "沟通",
  aliases: ["咨询", "提问"],
  usage: "沟通 <问题>",
  summary: "向目标办咨询绩效标准、考评方法等问题",
  example: "沟通 第二季度节点因上级文件调整，能否顺延至7月10日？",
  roles: ["officer", "head", "staff"],
  async run(ctx, input) {
    const question = input.rest(0);
    if (!question) return ctx.ask("请输入您要咨询的问题：", "question");
    await submit(ctx, question);
  },
  async resume(ctx, step, _data, text) {
    if (step === "question") await submit(ctx, text);
  },
};

async function submit(ctx: CommandContext, question: string) {
  const thread = await askQuestion(ctx.tx, ctx.actor, question, ctx.now);
  await notifyOffice(ctx, `communication-asked:${thread.id}`, `【绩效沟通】${thread.agency?.shortName ?? ""} ${ctx.actor.name} 提问（沟通号 ${thread.id}）：\n${question.trim()}\n答复：回复 ${thread.id} <答复内容>`);
  ctx.reply(`问题已送达目标办（沟通号 ${thread.id}），答复后将第一时间转告您。`);
}

/** 发起沟通 <单位> <内容> (§2.22): the office opens a thread to an agency; its 单位目标办 is told and answers. */
export const openToAgency: Command = {
  name: "发起沟通",
  aliases: ["约谈沟通"],
  usage: "发起沟通 <单位名称或简称> <沟通内容>",
  summary: "目标办向单位发起绩效沟通，单位目标办答复",
  example: "发起沟通 发改委 请说明FGW-04第三季度节点未达成的原因及下一步安排",
  roles: ["office"],
  async run(ctx, input) {
    const name = input.words[0];
    if (!name) throw new InputError("请写明单位和沟通内容。");
    const agency = await findAgency(ctx.tx, name);
    const text = input.rest(1);
    if (!text) throw new InputError(`请写明要与${agency.shortName}沟通的内容。`);
    const thread = await openThreadToAgency(ctx.tx, ctx.actor, agency.id, text, ctx.now);
    const officers = await ctx.tx.user.findMany({ where: { agencyId: agency.id, role: "officer", active: true }, orderBy: { id: "asc" } });
    const notice = `【绩效沟通】目标办${ctx.actor.name}（沟通号 ${thread.id}）：\n${text.trim()}\n答复：回复 ${thread.id} <答复内容>`;
    // The office's own communication is not an optional reminder: 退订 does not hold it back.
    for (const o of officers) await ctx.notify(o.id, { kind: "text", text: notice }, { key: `communication-opened:${thread.id}:${o.id}`, mandatory: true });
    ctx.reply(
      officers.length
        ? `已向${agency.shortName}目标办发起绩效沟通（沟通号 ${thread.id}），答复后将转告您。`
        : `已记录绩效沟通（沟通号 ${thread.id}），但${agency.shortName}尚未登记单位目标办人员，无法送达，请先登记。`,
    );
  },
};

/**
 * 回复 <沟通号> <答复>: the office answers what agencies asked; an agency's officer answers what the
 * office opened to the agency. With no arguments it lists what waits for the speaker's side.
 */
export const answer: Command = {
  name: "回复",
  aliases: ["答复"],
  usage: "回复 <沟通号> <答复内容>",
  summary: "答复绩效沟通（不带参数则列出待答复的沟通）",
  example: "回复 5 可以，请在台账中上传上级文件作为佐证",
  roles: ["office", "officer"],
  async run(ctx, input) {
    const idRaw = input.words[0];
    if (!idRaw) {
      const open = await openThreads(ctx.tx, ctx.actor);
      if (open.length === 0) return ctx.reply("暂无待答复的绩效沟通。");
      const who = (t: (typeof open)[number]) => (t.asker.role === "office" ? `目标办${t.asker.name}` : `${t.agency?.shortName ?? ""} ${t.asker.name}`);
      return ctx.reply(`待答复的绩效沟通：\n${open.map((t) => `${t.id}. ${who(t)} ${dateText(t.createdAt)}：${t.subject}`).join("\n")}`);
    }
    if (!/^\d+$/.test(idRaw)) throw new InputError("沟通号应为数字。");
    const body = input.rest(1);
    if (!body) throw new InputError("请写明答复内容。");
    const thread = await answerQuestion(ctx.tx, ctx.actor, Number(idRaw), body, ctx.now);
    const question = thread.messages[0]?.body ?? thread.subject;
    const text =
      ctx.actor.role === "office"
        ? `【绩效沟通答复】您的问题（沟通号 ${thread.id}）：${question}\n目标办答复：${body}`
        : `【绩效沟通答复】您发起的绩效沟通（沟通号 ${thread.id}）：${question}\n${thread.agency?.shortName ?? ""}${ctx.actor.name}答复：${body}`;
    await ctx.notify(thread.askerId, { kind: "text", text }, { key: `communication-answered:${thread.id}:${thread.messages.length}` });
    ctx.reply(ctx.actor.role === "office" ? `已答复沟通 ${thread.id}，并通知 ${thread.asker.name}。` : `已答复沟通 ${thread.id}，并通知${thread.asker.name}。`);
  },
};
