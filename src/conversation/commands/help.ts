import type { Command } from "../command.js";
import { ALL_ROLES } from "../command.js";

/** 帮助 [命令]: the commands this person's role may use, each with its right form. */
export function helpCommand(all: () => Command[]): Command {
  return {
    name: "帮助",
    aliases: ["help", "菜单", "?", "？"],
    usage: "帮助 [命令名]",
    summary: "查看可用命令及用法",
    roles: ALL_ROLES,
    async run(ctx, input) {
      const mine = all().filter((c) => c.roles.includes(ctx.actor.role));
      const asked = input.words[0];
      if (asked) {
        const c = mine.find((x) => x.name === asked || x.aliases?.includes(asked));
        if (!c) return ctx.reply(`没有您可用的命令“${asked}”。回复“帮助”查看全部命令。`);
        return ctx.reply(`${c.name}：${c.summary}\n用法：${c.usage}${c.example ? `\n示例：${c.example}` : ""}${c.aliases?.length ? `\n也可输入：${c.aliases.join("、")}` : ""}`);
      }
      const lines = mine.map((c) => `· ${c.usage} — ${c.summary}`);
      ctx.reply({
        kind: "markdown",
        title: "使用帮助",
        text: `**${ctx.actor.name}，您好。您可以使用以下命令：**\n${lines.join("\n")}\n\n输入“帮助 命令名”查看示例；多步操作中回复“取消”可退出。`,
      });
    },
  };
}
