import { createHash } from "node:crypto";
import type { Tx } from "../infra/db.js";
import type { ImportInput } from "../domain/import/problems.js";
import { importReportText } from "../domain/import/report.js";
import { type ImportResult, importTargets } from "../domain/import/target-import.js";
import { workbookParsePool } from "./parse-pool.js";
import { checkUpload } from "./workbook.js";

/**
 * One uploaded 目标任务分解表, from bytes to the Chinese report. Used by the chat (a file sent to the
 * bot) and the command line. Opening the workbook runs in a worker thread, outside any transaction;
 * the import's checks and writes run in one transaction: an invalid file writes nothing.
 */
export interface ParsedTargetFile {
  sha256: string;
  input: ImportInput;
}

/** Rejects with an InputError the user can read (including ParseWorkerFault). */
export async function parseTargetFile(content: Buffer): Promise<ParsedTargetFile> {
  checkUpload(content);
  const sha256 = createHash("sha256").update(content).digest("hex");
  return { sha256, input: await workbookParsePool().parseTargets(content) };
}

export async function importParsedTargets(
  tx: Tx,
  parsed: ParsedTargetFile,
  opts: { fileName: string; year: number; problemLimit?: number },
): Promise<{ result: ImportResult; text: string; sha256: string }> {
  const result = await importTargets(tx, parsed.input, { year: opts.year, sha256: parsed.sha256 });
  return { result, sha256: parsed.sha256, text: importReportText(result, opts.fileName, opts.problemLimit) };
}

/** Both steps, for callers that already hold a transaction (the command line, tests). */
export async function importTargetFile(
  tx: Tx,
  content: Buffer,
  opts: { fileName: string; year: number; problemLimit?: number },
): Promise<{ result: ImportResult; text: string; sha256: string }> {
  return importParsedTargets(tx, await parseTargetFile(content), opts);
}
