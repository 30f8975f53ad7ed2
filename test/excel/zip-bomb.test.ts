import { createDeflateRaw, crc32 } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadWorkbook } from "../../src/excel/workbook.js";
import { demoProvince } from "../helpers/province.js";
import { deflated, zip } from "./zip-archive.js";

/**
 * Issue 14 §3: a small .xlsx that inflates to hundreds of MB must be refused from its archive
 * structure before any XML is parsed, whether its central directory tells the truth or lies.
 * The bombs are made here: 64 MB of one repeated row, deflated as a stream (bounded memory).
 */
const ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>机关目标绩效管理</t></is></c></row>';
const BOMB_BYTES = 64 * 1024 * 1024;

async function deflatedRows(total: number): Promise<{ data: Buffer; crc: number; size: number }> {
  const chunk = Buffer.from(ROW.repeat(Math.floor(1024 * 1024 / ROW.length)));
  const out: Buffer[] = [];
  const z = createDeflateRaw({ level: 1 });
  z.on("data", (d: Buffer) => out.push(d));
  const done = new Promise((r) => z.on("end", r));
  let crc = 0;
  let size = 0;
  while (size < total) {
    crc = crc32(chunk, crc);
    size += chunk.length;
    if (!z.write(chunk)) await new Promise((r) => z.once("drain", r));
  }
  z.end();
  await done;
  return { data: Buffer.concat(out), crc, size };
}

let honest: Buffer;
let lying: Buffer;
let p: Awaited<ReturnType<typeof demoProvince>>;
beforeAll(async () => {
  const rows = await deflatedRows(BOMB_BYTES);
  const types = deflated("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
  honest = zip([types, { name: "xl/worksheets/sheet1.xml", data: rows.data, crc: rows.crc, declaredSize: rows.size }]);
  lying = zip([types, { name: "xl/worksheets/sheet1.xml", data: rows.data, crc: rows.crc, declaredSize: 4096 }]);
  p = await demoProvince("zip-bomb");
}, 60_000);
afterAll(async () => p.db.$disconnect());

describe("Excel upload that is a zip bomb", () => {
  it("is small on the wire", () => {
    expect(honest.length).toBeLessThan(1024 * 1024);
  });

  it("is refused from its declared sizes before parsing", async () => {
    await expect(loadWorkbook(honest)).rejects.toThrow(/解压后内容过大/);
  });

  it("is refused while inflating when its declared sizes lie, without inflating it whole", async () => {
    const before = process.memoryUsage().arrayBuffers;
    await expect(loadWorkbook(lying)).rejects.toThrow(/解压后内容过大/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(BOMB_BYTES / 4);
  });

  it("sent to the bot by the office is answered with the reason and writes nothing", async () => {
    const targets = await p.db.target.count();
    const answer = await p.chat.send("mbb_zhang", { type: "file", fileName: "2027年目标任务分解表.xlsx", fetch: async () => lying });
    expect(JSON.stringify(answer)).toContain("解压后内容过大");
    expect(await p.db.target.count()).toBe(targets);
  });
});
