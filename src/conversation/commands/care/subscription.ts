import { InputError } from "../../../domain/errors.js";
import { ALL_ROLES, type Command, type CommandInput } from "../../command.js";
import type { CommandContext } from "../../context.js";

/** What can be (un)subscribed: only optional reminders; the standard's mandatory notices cannot. */
function assertTopic(input: CommandInput, verb: string): void {
  const topic = input.rest(0);
  if (topic !== "" && topic !== "提醒") throw new InputError(`目前可${verb}的只有“提醒”，请发送“${verb} 提醒”。`);
}

async function setMute(ctx: CommandContext, mute: boolean): Promise<void> {
  await ctx.tx.user.update({ where: { id: ctx.actor.id }, data: { muteOptional: mute } });
}

/** 退订 提醒: no more optional reminders; the negative list to heads and escalations still arrive. */
export const unsubscribe: Command = {
  name: "退订",
  usage: "退订 提醒",
  summary: "不再接收非必要提醒（负面清单、督办等必要通知照常送达）",
  roles: ALL_ROLES,
  async run(ctx, input) {
    assertTopic(input, "退订");
    await setMute(ctx, true);
    ctx.reply(
      "已退订非必要提醒（到期提醒、未报提醒、提醒汇总等）。负面清单、逾期督办等按规定必须送达的通知仍会照常发送。如需恢复，请回复“订阅 提醒”。",
    );
  },
};

export const subscribe: Command = {
  name: "订阅",
  usage: "订阅 提醒",
  summary: "恢复接收到期提醒等非必要提醒",
  roles: ALL_ROLES,
  async run(ctx, input) {
    assertTopic(input, "订阅");
    await setMute(ctx, false);
    ctx.reply("已恢复接收提醒。提醒仅在工作日工作时间内推送，同一天的多条提醒合并为一条。");
  },
};
