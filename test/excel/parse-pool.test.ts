import { afterAll, describe, expect, it } from "vitest";
import { ParseWorkerFault, WORKER_FAULT_TEXT, WorkbookParsePool } from "../../src/excel/parse-pool.js";
import { readImportInput } from "../../src/excel/read-import.js";
import { loadWorkbook } from "../../src/excel/workbook.js";
import { buildXlsx, provinceFile } from "./fixtures.js";
import { cellFlood, deflated, minimalWorkbook, zip } from "./zip-archive.js";

/**
 * Issue 14 §3: uploaded workbooks are opened in worker threads, each with a heap limit and a time
 * limit; a worker that runs out of either is ended, the user is told why in Chinese, and the next
 * upload gets a fresh worker.
 */
const pools: WorkbookParsePool[] = [];
function pool(opts: ConstructorParameters<typeof WorkbookParsePool>[0] = {}): WorkbookParsePool {
  const p = new WorkbookParsePool(opts);
  pools.push(p);
  return p;
}
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

describe("the workbook parse pool", () => {
  it("reads a 目标任务分解表 in a worker thread into the same rows as the main thread would", async () => {
    const file = await buildXlsx(provinceFile());
    const rows = await pool().parseTargets(file);
    expect(rows).toEqual(readImportInput(await loadWorkbook(file)));
    expect(rows.targets.rows).toHaveLength(33);
  }, 60_000);

  it("passes the worker's refusal of a broken archive on as the user's reason", async () => {
    const lying = zip([deflated("[Content_Types].xml", "<Types/>"), { ...deflated("xl/worksheets/sheet1.xml", "<row/>".repeat(400_000)), declaredSize: 100 }]);
    await expect(pool().parseTargets(lying)).rejects.toThrow(/解压后内容过大/);
  }, 60_000);

  it("ends a worker that reaches its heap limit, answers 文件过大或格式异常, and reads the next file with a fresh worker", async () => {
    const p = pool({ size: 1, maxOldGenerationSizeMb: 40, maxYoungGenerationSizeMb: 8, timeLimitMs: 600_000 });
    const flood = minimalWorkbook(cellFlood(3 * 1024 * 1024));
    const err = await p.parseTargets(flood).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseWorkerFault);
    expect((err as ParseWorkerFault).reason).toBe("memory");
    expect((err as ParseWorkerFault).message).toBe(WORKER_FAULT_TEXT);
    expect(WORKER_FAULT_TEXT).toMatch(/^文件过大或格式异常/);
    const rows = await p.parseTargets(await buildXlsx(provinceFile()));
    expect(rows.targets.rows).toHaveLength(33);
    expect(p.workers).toBe(1);
  }, 180_000);

  it("ends a worker that does not answer within the time limit, with the same reply", async () => {
    const p = pool({ size: 1, timeLimitMs: 1 });
    const err = await p.parseTargets(await buildXlsx(provinceFile())).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseWorkerFault);
    expect((err as ParseWorkerFault).reason).toBe("timeout");
    expect((err as ParseWorkerFault).message).toBe(WORKER_FAULT_TEXT);
    expect(p.workers).toBe(0);
  }, 60_000);
});
