import { importTargetFile } from "../excel/import-file.js";
import { addReportSheet, newWorkbook, toBuffer } from "../excel/workbook.js";
import { beijingDate } from "../domain/calendar.js";
import type { FileHandler } from "./core.js";

/** Problems listed in the chat reply; a longer list also comes back as a workbook. */
const CHAT_PROBLEMS = 20;

/**
 * Files sent to the bot: the office's 目标任务分解表 (.xlsx) is imported (目标制定, Fig. 1). The core
 * runs this inside the event's transaction, and the import writes only a file without problems.
 * The year is the one named in the file name (“2027年目标任务分解表.xlsx”), else the current one.
 */
export const handleFile: FileHandler = async (ctx, file) => {
  if (ctx.actor.role !== "office") {
    return ctx.reply(`已收到文件“${file.fileName}”。通过 Excel 导入目标仅限省目标办使用；汇报进度请发送“汇报 <目标编号> <进度> <说明>”。`);
  }
  if (!/\.xlsx$/i.test(file.fileName)) {
    return ctx.reply(`文件“${file.fileName}”不是 .xlsx 格式。请用系统模板（发送“导出 模板”获取）填写目标任务分解表，保存为 .xlsx 后重新发送。`);
  }
  const named = /(20\d{2})\s*年?/.exec(file.fileName);
  const year = named ? Number(named[1]) : Number(beijingDate(ctx.now).slice(0, 4));
  const { result, text, sha256 } = await importTargetFile(ctx.tx, file.content, { fileName: file.fileName, year, problemLimit: CHAT_PROBLEMS });
  ctx.log.info({ msg: "target import", file: file.fileName, sha256, ok: result.ok, problems: result.ok ? 0 : result.problems.length });
  ctx.reply(text);
  if (!result.ok && result.problems.length > CHAT_PROBLEMS) {
    const wb = newWorkbook();
    addReportSheet(wb, "问题清单", `《${file.fileName}》校验问题清单`, [{ header: "序号", width: 8 }, { header: "问题", width: 100 }], result.problems.map((p, i) => [i + 1, p]));
    ctx.reply({ kind: "file", fileName: "导入问题清单.xlsx", base64: (await toBuffer(wb)).toString("base64"), caption: `共 ${result.problems.length} 处问题` });
  }
};
