import { importParsedTargets, parseTargetFile, type ParsedTargetFile } from "../excel/import-file.js";
import { ParseWorkerFault } from "../excel/parse-pool.js";
import { addReportSheet, newWorkbook, toBuffer } from "../excel/workbook.js";
import { beijingDate } from "../domain/calendar/calendar.js";
import type { FileHandler, InboundFile } from "./core.js";
import type { CommandContext } from "./context.js";
import { attachFile, latestOwnReport } from "../domain/ledger/evidence.js";
import { NotFoundError } from "../domain/errors.js";
import type { Logger } from "../infra/logger.js";
import { storeEvidenceBlob, storeEvidenceFile } from "../infra/evidence-store.js";

/** A reporter's file is 佐证材料 for their latest report (§7.3 台账). */
async function attachEvidenceFile(ctx: CommandContext, file: { fileName: string; content: Buffer }): Promise<void> {
  if (file.content.length === 0) return ctx.reply(`文件“${file.fileName}”为空，未能保存，请重新发送。`);
  const report = await latestOwnReport(ctx.tx, ctx.actor, ctx.now).catch((err: unknown) => {
    if (err instanceof NotFoundError) return null;
    throw err;
  });
  if (!report) {
    return ctx.reply(
      `已收到文件“${file.fileName}”。通过 Excel 导入目标仅限省目标办使用；如为佐证材料，请先汇报进度（汇报 <目标编号> <进度> <说明>），再发送文件。`,
    );
  }
  await storeEvidenceBlob(ctx.tx, file.content);
  const ref = storeEvidenceFile(ctx.settings.evidenceDir, file.fileName, file.content);
  await attachFile(ctx.tx, report.id, file.fileName, file.content, ref, ctx.now);
  ctx.reply(`已将“${file.fileName}”作为目标 ${report.target.code} 台账记录 ${report.id} 的佐证材料。`);
}

/** Problems listed in the chat reply; a longer list also comes back as a workbook. */
const CHAT_PROBLEMS = 20;

/** The office's upload, opened before the transaction: its rows, or the refusal to reply with. */
type PreparedImport = { parsed: ParsedTargetFile } | { refusal: Error };

const isTargetUpload = (role: string, fileName: string) => role === "office" && /\.xlsx$/i.test(fileName);

/**
 * Files sent to the bot: the office's 目标任务分解表 (.xlsx) is imported (目标制定, Fig. 1). The core
 * runs this inside the event's transaction, and the import writes only a file without problems.
 * The workbook itself is opened by `prepare`, in a worker thread before the transaction, so a large
 * or hostile file holds neither the event loop nor the database (issue 14 §3).
 * The year is the one named in the file name (“2027年目标任务分解表.xlsx”), else the current one.
 */
export const handleFile: FileHandler = async (ctx, file) => {
  if (ctx.actor.role === "staff" || ctx.actor.role === "officer") return attachEvidenceFile(ctx, file);
  if (ctx.actor.role !== "office") {
    return ctx.reply(`已收到文件“${file.fileName}”。通过 Excel 导入目标仅限省目标办使用；汇报进度请发送“汇报 <目标编号> <进度> <说明>”。`);
  }
  if (!isTargetUpload(ctx.actor.role, file.fileName)) {
    return ctx.reply(`文件“${file.fileName}”不是 .xlsx 格式。请用系统模板（发送“导出 模板”获取）填写目标任务分解表，保存为 .xlsx 后重新发送。`);
  }
  const named = /(20\d{2})\s*年?/.exec(file.fileName);
  const year = named ? Number(named[1]) : Number(beijingDate(ctx.now).slice(0, 4));
  const prepared = (file.prepared as PreparedImport | undefined) ?? (await openUpload(file, ctx.log));
  if ("refusal" in prepared) throw prepared.refusal;
  const { result, text, sha256 } = await importParsedTargets(ctx.tx, prepared.parsed, { fileName: file.fileName, year, problemLimit: CHAT_PROBLEMS });
  ctx.log.info({ msg: "target import", file: file.fileName, sha256, ok: result.ok, problems: result.ok ? 0 : result.problems.length });
  ctx.reply(text);
  if (!result.ok && result.problems.length > CHAT_PROBLEMS) {
    const wb = newWorkbook();
    addReportSheet(wb, "问题清单", `《${file.fileName}》校验问题清单`, [{ header: "序号", width: 8 }, { header: "问题", width: 100 }], result.problems.map((p, i) => [i + 1, p]));
    ctx.reply({ kind: "file", fileName: "导入问题清单.xlsx", base64: (await toBuffer(wb)).toString("base64"), caption: `共 ${result.problems.length} 处问题` });
  }
};

handleFile.prepare = async (file, sender, log) => {
  if (isTargetUpload(sender.role, file.fileName)) file.prepared = await openUpload(file, log);
};

/** Never throws: a refusal is replied to inside the transaction, where the core records it. */
async function openUpload(file: InboundFile, log: Logger): Promise<PreparedImport> {
  try {
    return { parsed: await parseTargetFile(file.content) };
  } catch (err) {
    if (err instanceof ParseWorkerFault) {
      log.error({ msg: "workbook parse worker failed", reason: err.reason, detail: err.detail, file: file.fileName, bytes: file.content.length });
    }
    return { refusal: err instanceof Error ? err : new Error(String(err)) };
  }
}
