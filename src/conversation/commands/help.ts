import type { Command } from "../command.js";
import { ALL_ROLES, usageOf } from "../command.js";

/**
 * Help groups, in the order shown. A command not named here (a feature added later) is listed under
 * 其他 rather than left out.
 */
const GROUPS: [group: string, names: string[]][] = [
  ["目标与汇报", ["我的目标", "目标", "汇报", "佐证", "台账", "代报", "指定责任人"]],
  ["督办与统计", ["逾期", "未报", "提醒未报", "统计", "查询", "看板", "核查"]],
  ["负面清单与申诉", ["负面清单", "申诉", "申诉列表", "受理"]],
  ["绩效沟通", ["沟通", "回复"]],
  ["目标制定与下达", ["审核", "下达", "动态目标", "导出"]],
  ["人员", ["未登记", "绑定"]],
  ["考评", ["考评录入", "考评", "考评明细", "考评报告", "考评发布", "考评申诉"]],
  ["外出与提醒", ["请假", "出差", "销假", "退订", "订阅"]],
];

/**
 * 帮助 [命令]: without a name, the names of the commands this person's role may use, by group — short
 * enough for one WeCom message (2,048 bytes) for every role; with a name, that command's form for
 * this role, an example and its other names.
 */
export function helpCommand(all: () => Command[]): Command {
  return {
    name: "帮助",
    aliases: ["help", "菜单", "?", "？"],
    usage: "帮助 [命令名]",
    summary: "查看可用命令；“帮助 命令名”查看用法和示例",
    example: "帮助 汇报",
    roles: ALL_ROLES,
    async run(ctx, input) {
      const role = ctx.actor.role;
      const mine = all().filter((c) => c.roles.includes(role));
      const asked = input.words[0];
      if (asked) {
        const c = mine.find((x) => x.name === asked || x.aliases?.includes(asked));
        if (!c) return ctx.reply(`没有您可用的命令“${asked}”。回复“帮助”查看全部命令。`);
        const lines = [`${c.name}：${c.summary}`, `用法：${usageOf(c, role)}`];
        if (c.example) lines.push(`示例：${c.example}`);
        if (c.aliases?.length) lines.push(`也可输入：${c.aliases.join("、")}`);
        return ctx.reply(lines.join("\n"));
      }
      const listed = new Set<string>();
      const lines: string[] = [];
      for (const [group, names] of GROUPS) {
        const here = names.filter((n) => n !== "帮助" && mine.some((c) => c.name === n));
        here.forEach((n) => listed.add(n));
        if (here.length) lines.push(`**${group}**：${here.join("、")}`);
      }
      const other = mine.filter((c) => c.name !== "帮助" && !listed.has(c.name)).map((c) => c.name);
      if (other.length) lines.push(`**其他**：${other.join("、")}`);
      ctx.reply({
        kind: "markdown",
        title: "使用帮助",
        text: [`**${ctx.actor.name}，您好。您可以使用以下命令：**`, ...lines, "", "发送“帮助 命令名”查看用法和示例，如“帮助 汇报”；多步操作中回复“取消”可退出。"].join("\n"),
      });
    },
  };
}
