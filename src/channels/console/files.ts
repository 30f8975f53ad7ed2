import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { FileReply } from "../../messages/reply.js";

/**
 * The console has no chat window to drop a file into: a file reply (导出 …) is written under the
 * exports folder and the terminal shows where. An existing file is never overwritten — a second export
 * of the same report gets “(2)”, like a browser's downloads.
 */
export function saveFileReply(dir: string, reply: FileReply): string {
  mkdirSync(dir, { recursive: true });
  const safe = path.basename(reply.fileName).replace(/[\\/:*?"<>|]/g, "_") || "导出文件.xlsx";
  const ext = path.extname(safe);
  const stem = safe.slice(0, safe.length - ext.length);
  let target = path.join(dir, safe);
  for (let n = 2; existsSync(target); n++) target = path.join(dir, `${stem}(${n})${ext}`);
  writeFileSync(target, Buffer.from(reply.base64, "base64"));
  const relative = path.relative(process.cwd(), target);
  return relative.startsWith("..") || path.isAbsolute(relative) ? path.resolve(target) : relative;
}

export function savedFileText(filePath: string, reply: FileReply): string {
  return `〔文件已保存：${filePath}${reply.caption ? `。${reply.caption}` : ""}〕`;
}
