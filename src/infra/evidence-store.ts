import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Tx } from "./db.js";

/**
 * Evidence files on disk, named by content hash so the same file sent twice is stored once. Platform
 * media ids expire (WeCom: 3 days), so the bytes are kept here and the 台账 refers to them.
 */
export function storeEvidenceFile(dir: string, fileName: string, content: Buffer): string {
  const sha = createHash("sha256").update(content).digest("hex");
  const safe = fileName.replace(/[^\p{L}\p{N}._-]+/gu, "_").slice(-80);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${sha.slice(0, 16)}-${safe}`);
  writeFileSync(file, content);
  return path.relative(process.cwd(), file);
}

/**
 * The same bytes in the database, by content hash, inside the event's transaction: every instance
 * reads them there, whichever one received the file (issue 14).
 */
export async function storeEvidenceBlob(tx: Tx, content: Buffer): Promise<string> {
  const sha256 = createHash("sha256").update(content).digest("hex");
  await tx.evidenceBlob.upsert({ where: { sha256 }, create: { sha256, content: new Uint8Array(content), size: content.length }, update: {} });
  return sha256;
}
