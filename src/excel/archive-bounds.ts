import { inflateRawSync } from "node:zlib";
import { InputError } from "../domain/errors.js";

/**
 * An .xlsx is a zip of XML files, and XML compresses very well: a 1.5 MB upload inflating to 402 MB
 * took the server to 3 GB of memory (issue 14). The archive is checked before any parsing, from its
 * central directory (entry count, declared sizes and ratios) and then by inflating each entry with a
 * hard output cap, since the declared sizes are the sender's word.
 */
export const MAX_ENTRIES = 500;
/** All entries together, uncompressed; a 5 000-row 目标任务分解表 is a few MB. */
export const MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024;
/** Compression ratio allowed for an entry larger than RATIO_FLOOR_BYTES (real sheets stay near 10–30). */
export const MAX_RATIO = 200;
const RATIO_FLOOR_BYTES = 1024 * 1024;

const TOO_BIG = "文件解压后内容过大，不是正常的目标任务分解表，已拒绝读取。请使用系统模板（发送“导出 模板”获取）重新填写后发送。";
const BROKEN = "无法读取该文件：文件已损坏或不是 Excel 工作簿（.xlsx）。请用系统生成的模板重新填写。";

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

export function checkArchiveBounds(zip: Buffer): void {
  const entries = centralDirectory(zip);
  if (entries.length > MAX_ENTRIES) throw new InputError(TOO_BIG, "file_too_large");
  let declared = 0;
  for (const e of entries) {
    declared += e.uncompressedSize;
    const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
    if (declared > MAX_UNCOMPRESSED_BYTES || (e.uncompressedSize > RATIO_FLOOR_BYTES && ratio > MAX_RATIO)) {
      throw new InputError(TOO_BIG, "file_too_large");
    }
  }
  let actual = 0;
  for (const e of entries) {
    const data = localData(zip, e);
    if (e.method === 0) actual += data.length;
    else if (e.method === 8) {
      const room = Math.min(MAX_UNCOMPRESSED_BYTES - actual, Math.max(e.uncompressedSize, 0)) + 1;
      let inflated: Buffer;
      try {
        inflated = inflateRawSync(data, { maxOutputLength: Math.max(room, 1) });
      } catch (err) {
        // Over the cap (the declared size was a lie) or not deflate data at all.
        throw new InputError((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE" ? TOO_BIG : BROKEN, "file_too_large");
      }
      if (inflated.length > e.uncompressedSize) throw new InputError(TOO_BIG, "file_too_large");
      actual += inflated.length;
    } else throw new InputError(BROKEN, "bad_file");
    if (actual > MAX_UNCOMPRESSED_BYTES) throw new InputError(TOO_BIG, "file_too_large");
  }
}

function centralDirectory(zip: Buffer): Entry[] {
  // End of central directory: signature 0x06054b50 within the last 64 KiB + 22 bytes (comment).
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new InputError(BROKEN, "bad_file");
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  // ZIP64 archives (0xFFFF entries, 0xFFFFFFFF offsets) are never needed for a workbook of this size.
  if (count === 0xffff || at === 0xffffffff) throw new InputError(TOO_BIG, "file_too_large");
  const entries: Entry[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== 0x02014b50) throw new InputError(BROKEN, "bad_file");
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const entry = {
      name: zip.toString("utf8", at + 46, at + 46 + nameLength),
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      uncompressedSize: zip.readUInt32LE(at + 24),
      localOffset: zip.readUInt32LE(at + 42),
    };
    if (entry.compressedSize === 0xffffffff || entry.uncompressedSize === 0xffffffff) throw new InputError(TOO_BIG, "file_too_large");
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function localData(zip: Buffer, e: Entry): Buffer {
  const at = e.localOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== 0x04034b50) throw new InputError(BROKEN, "bad_file");
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  if (start + e.compressedSize > zip.length) throw new InputError(BROKEN, "bad_file");
  return zip.subarray(start, start + e.compressedSize);
}
