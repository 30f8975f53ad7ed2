import { answerQuestion, askQuestion, openThreads } from "../../domain/communication.js";
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

/** 回复 <沟通号> <答复>: the office answers; with no arguments it lists open questions. */
export const answer: Command = {
  name: "回复",
  aliases: ["答复"],
  usage: "回复 <沟通号> <答复内容>",
  summary: "答复绩效沟通问题（不带参数则列出待答复问题）",
  example: "回复 5 可以，请在台账中上传上级文件作为佐证",
  roles: ["office"],
  async run(ctx, input) {
    const idRaw = input.words[0];
    if (!idRaw) {
      const open = await openThreads(ctx.tx);
      if (open.length === 0) return ctx.reply("暂无待答复的绩效沟通。");
      return ctx.reply(`待答复的绩效沟通：\n${open.map((t) => `${t.id}. ${t.agency?.shortName ?? ""} ${t.asker.name} ${dateText(t.createdAt)}：${t.subject}`).join("\n")}`);
    }
    if (!/^\d+$/.test(idRaw)) throw new InputError("沟通号应为数字。");
    const body = input.rest(1);
    if (!body) throw new InputError("请写明答复内容。");
    const thread = await answerQuestion(ctx.tx, ctx.actor, Number(idRaw), body, ctx.now);
    const question = thread.messages[0]?.body ?? thread.subject;
    await ctx.notify(thread.askerId, { kind: "text", text: `【绩效沟通答复】您的问题（沟通号 ${thread.id}）：${question}\n目标办答复：${body}` }, { key: `communication-answered:${thread.id}:${thread.messages.length}` });
    ctx.reply(`已答复沟通 ${thread.id}，并通知 ${thread.asker.name}。`);
  },
};
