import { InputError } from "../../domain/errors.js";
import { attachLink, latestOwnReport } from "../../domain/ledger/evidence.js";
import type { Command } from "../command.js";
import { visibleTarget } from "./visible-target.js";

/** 佐证 <编号> <链接> [名称]: a link as evidence for the speaker's latest report on the target (§7.3). */
export const evidence: Command = {
  name: "佐证",
  aliases: ["上传佐证", "佐证材料"],
  usage: "佐证 <目标编号> <链接> [材料名称]（也可直接发送文件，作为最近一次汇报的佐证）",
  summary: "为最近一次进度汇报补充佐证材料",
  example: "佐证 FGW-01 https://oa.example.gov.cn/doc/123 第三季度调研报告",
  roles: ["officer", "staff"],
  async run(ctx, input) {
    const [code, url] = input.words;
    if (!code || !url) throw new InputError("请写明目标编号和佐证材料的链接。");
    const { target } = await visibleTarget(ctx, code);
    const report = await latestOwnReport(ctx.tx, ctx.actor, ctx.now, target.id);
    await attachLink(ctx.tx, report.id, url, input.rest(2), ctx.now);
    ctx.reply(`已为目标 ${target.code} 台账记录 ${report.id} 补充佐证材料。`);
  },
};
