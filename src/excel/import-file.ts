import { createHash } from "node:crypto";
import type { Tx } from "../infra/db.js";
import { importReportText } from "../domain/import-report.js";
import { type ImportResult, importTargets } from "../domain/target-import.js";
import { readImportInput } from "./read-import.js";
import { loadWorkbook } from "./workbook.js";

/**
 * One uploaded 目标任务分解表, from bytes to the Chinese report. Used by the chat (a file sent to the
 * bot) and the command line, both inside one transaction: an invalid file writes nothing.
 */
export async function importTargetFile(
  tx: Tx,
  content: Buffer,
  opts: { fileName: string; year: number; problemLimit?: number },
): Promise<{ result: ImportResult; text: string; sha256: string }> {
  const sha256 = createHash("sha256").update(content).digest("hex");
  const wb = await loadWorkbook(content);
  const result = await importTargets(tx, readImportInput(wb), { year: opts.year, sha256 });
  return { result, sha256, text: importReportText(result, opts.fileName, opts.problemLimit) };
}
