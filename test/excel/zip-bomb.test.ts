import { createDeflateRaw, crc32, deflateRawSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadWorkbook } from "../../src/excel/workbook.js";
import { demoProvince } from "../helpers/province.js";

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

/** A zip archive by hand, so the declared sizes can be whatever the attacker writes. */
function zip(entries: { name: string; data: Buffer; crc: number; declaredSize: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(e.crc >>> 0, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.declaredSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

function small(name: string, text: string) {
  const raw = Buffer.from(text);
  return { name, data: deflateRawSync(raw), crc: crc32(raw), declaredSize: raw.length };
}

let honest: Buffer;
let lying: Buffer;
let p: Awaited<ReturnType<typeof demoProvince>>;
beforeAll(async () => {
  const rows = await deflatedRows(BOMB_BYTES);
  const types = small("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
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
