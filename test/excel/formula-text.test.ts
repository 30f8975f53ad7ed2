import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Reply } from "../../src/messages/reply.js";
import { demoProvince } from "../helpers/province.js";

/**
 * Issue 14 §5, OWASP's CSV-injection advice: exported text that begins with = + - @ is written with a
 * leading apostrophe, so editing the cell or saving as CSV cannot turn a user's note into a formula.
 */
let p: Awaited<ReturnType<typeof demoProvince>>;
beforeAll(async () => {
  p = await demoProvince("formula-text");
});
afterAll(async () => p.db.$disconnect());

async function cellsOf(replies: Reply[]): Promise<string[]> {
  const file = replies.find((r): r is Extract<Reply, { kind: "file" }> => r.kind === "file");
  expect(file).toBeDefined();
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(file!.base64, "base64") as unknown as ArrayBuffer);
  const texts: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => void texts.push(typeof c.value === "string" ? c.value : JSON.stringify(c.value)))));
  return texts;
}

describe("text that looks like a formula in an exported ledger", () => {
  it("is prefixed with an apostrophe", async () => {
    for (const note of ["=HYPERLINK(\"http://x\",\"点此\")", "+1+2 加号开头", "@SUM(A1) 艾特开头"]) {
      expect(await p.chat.say("fgw_zhao", `汇报 FGW-01 55 ${note}`)).toContain("已记入台账");
    }
    const texts = await cellsOf(await p.chat.send("mbb_zhang", { type: "text", text: "导出 台账 省发改委" }));
    const notes = texts.filter((t) => /HYPERLINK|加号开头|艾特开头/.test(t));
    expect(notes.length).toBeGreaterThanOrEqual(3);
    for (const t of notes) expect(t).toMatch(/^'[=+@]/);
  });
});
