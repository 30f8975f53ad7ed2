import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/infra/db.js";
import { startWecomSimulator, type WecomSimulator } from "../../simulators/wecom/server.js";
import { buildXlsx, d, provinceFile, type Row } from "../excel/fixtures.js";
import { deflated, zip } from "../excel/zip-archive.js";
import { freshDb } from "../helpers/db.js";
import { startProcess, type ServerProcess } from "../helpers/server-process.js";
import { seedFaultProvince } from "./fault-harness.js";

/**
 * Issue 14 §3 on a real server process: while the office's large (but legal) 目标任务分解表 and a zip
 * bomb are being opened, another user's 帮助 and 我的目标 are answered first — the workbooks are
 * parsed in worker threads, not on the event loop, and not inside a transaction that would hold the
 * database. The bomb is refused in Chinese, nothing is written, and the server's memory stays bounded.
 */
const BIG = "2027年目标任务分解表.xlsx";
const BOMB = "2027年目标任务分解表（补充）.xlsx";
/** Peak resident memory the server may reach: the process itself plus two workers' heap limits (2 × 288 MB). */
const MEMORY_BOUND_MB = 1024;

let sim: WecomSimulator;
let server: ServerProcess;
let db: Db;

/** 5,000 targets (the per-sheet limit) with long texts: seconds of parsing, inside every bound. */
async function largeWorkbook(): Promise<Buffer> {
  const sheets = provinceFile();
  const text = "按年度工作要点完成各项任务，按季度形成阶段成果并报送目标办备案。".repeat(3);
  sheets.目标 = Array.from({ length: 5000 }, (_, i): Row => [`BIG-${i}`, "省交通运输厅", "职能绩效目标", null, "本级目标", "初始目标", null, `专项工作目标第 ${i} 项`, text, 6, d("2027-12-20"), "jtt_wang"]);
  return buildXlsx(sheets);
}

/** 64 MB of sheet XML in well under 1 MB, its central directory claiming 4 KB. */
function zipBomb(): Buffer {
  const row = '<row r="1"><c r="A1" t="inlineStr"><is><t>机关目标绩效管理</t></is></c></row>';
  const sheet = deflated("xl/worksheets/sheet1.xml", Buffer.from(row.repeat(Math.ceil((64 * 1024 * 1024) / row.length))));
  return zip([deflated("[Content_Types].xml", "<Types/>"), { ...sheet, declaredSize: 4096 }]);
}

function peakMemoryMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m![1]) / 1024;
}

const seen = (userid: string, text: string) => sim.screen(userid).some((s) => s.content?.includes(text));

beforeAll(async () => {
  sim = await startWecomSimulator();
  const fresh = await freshDb("excel-upload");
  db = fresh.db;
  await seedFaultProvince(db);
  server = await startProcess("src/main.ts", { ...sim.env(), DATABASE_URL: fresh.url, LOG_LEVEL: "info", SCHEDULER_ENABLED: "false" });
  sim.setCallbackUrl(`${server.url}/wecom/callback`);
}, 60_000);
afterAll(async () => {
  await server?.kill();
  await sim?.close();
  await db?.$disconnect();
});

describe("Excel uploads on a running server (issue 14 §3)", () => {
  it("answers another user's 帮助 and 我的目标 while a large workbook and a zip bomb are opened, refuses the bomb, and stays within its memory bound", async () => {
    const targets = await db.target.count();
    const big = sim.putMedia(await largeWorkbook(), BIG);
    const bomb = sim.putMedia(zipBomb(), BOMB);
    const uploads = Promise.all([
      sim.sendMedia("mbb_zhang", "file", big, { fileName: BIG, attempts: 1, timeoutMs: 10_000 }),
      sim.sendMedia("mbb_li", "file", bomb, { fileName: BOMB, attempts: 1, timeoutMs: 10_000 }),
    ]);
    // Both files have been fetched by the bot: from here on it is working on them.
    await sim.waitFor(() => sim.sent("media/get").length === 2, 10_000);

    const help = await sim.sendText("fgw_zhao", "帮助", { attempts: 1, timeoutMs: 10_000 });
    const mine = await sim.sendText("fgw_zhao", "我的目标", { attempts: 1, timeoutMs: 10_000 });
    // Answered in the callback's own response, within WeCom's passive budget.
    expect(help.reply).toBeDefined();
    expect(mine.reply).toBeDefined();
    expect(JSON.stringify(help.reply)).toContain("汇报");
    expect(JSON.stringify(mine.reply)).toContain("FGW-01");
    // Neither upload has been answered yet.
    expect(seen("mbb_zhang", `《${BIG}》`)).toBe(false);
    expect(seen("mbb_li", "解压后内容过大")).toBe(false);

    await uploads;
    await sim.waitFor(() => seen("mbb_zhang", `《${BIG}》`) && seen("mbb_li", "解压后内容过大"), 60_000);
    expect(await db.target.count()).toBe(targets);
    expect(peakMemoryMb(server.proc.pid!)).toBeLessThan(MEMORY_BOUND_MB);

    // And the server goes on answering.
    expect(JSON.stringify((await sim.sendText("fgw_zhao", "帮助", { attempts: 1, timeoutMs: 10_000 })).reply)).toContain("汇报");
  }, 120_000);
});
