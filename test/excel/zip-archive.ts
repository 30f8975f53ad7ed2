import { crc32, deflateRawSync } from "node:zlib";

/**
 * Zip archives written by hand for the upload tests, so an entry's declared size can be whatever an
 * attacker writes, and so a workbook can hold more cells than any spreadsheet program would save.
 */
export interface ZipEntry {
  name: string;
  /** Deflated (raw) data. */
  data: Buffer;
  crc: number;
  declaredSize: number;
}

export function deflated(name: string, content: string | Buffer): ZipEntry {
  const raw = typeof content === "string" ? Buffer.from(content) : content;
  return { name, data: deflateRawSync(raw, { level: 6 }), crc: crc32(raw), declaredSize: raw.length };
}

export function zip(entries: ZipEntry[]): Buffer {
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

/**
 * A one-sheet workbook (sheet “目标”) whose sheet XML is `sheetXml`: the smallest set of parts
 * exceljs opens.
 */
export function minimalWorkbook(sheetXml: Buffer): Buffer {
  const ns = "http://schemas.openxmlformats.org";
  return zip([
    deflated(
      "[Content_Types].xml",
      `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="${ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    ),
    deflated("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${ns}/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
    deflated(
      "xl/workbook.xml",
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${ns}/spreadsheetml/2006/main" xmlns:r="${ns}/officeDocument/2006/relationships"><sheets><sheet name="目标" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    deflated(
      "xl/_rels/workbook.xml.rels",
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${ns}/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ),
    deflated("xl/worksheets/sheet1.xml", sheetXml),
  ]);
}

/**
 * Inside every archive bound (under 50 MB of XML, a normal compression ratio, a few hundred rows)
 * yet about two million cells at the default size: what exceljs builds from it needs far more memory than its size suggests.
 */
export function cellFlood(xmlBytes = 45 * 1024 * 1024): Buffer {
  const head = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`;
  const parts: string[] = [head];
  let size = head.length;
  let n = 0;
  for (let r = 1; size < xmlBytes; r++) {
    let row = `<row r="${r}">`;
    for (let c = 0; c < 5000 && size + row.length < xmlBytes; c++) row += `<c r="${columnName(c)}${r}"><v>${n++}</v></c>`;
    row += "</row>";
    parts.push(row);
    size += row.length;
  }
  parts.push("</sheetData></worksheet>");
  return Buffer.from(parts.join(""));
}

function columnName(index: number): string {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}
