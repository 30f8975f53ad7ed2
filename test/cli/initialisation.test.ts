import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startWecomSimulator, type WecomSimulator } from "../../simulators/wecom/server.js";
import { createLogger } from "../../src/infra/logger.js";
import { OutboxWorker } from "../../src/outbox/worker.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { freshDb } from "../helpers/db.js";
import { buildXlsx, clone, provinceFile, setCell } from "../excel/fixtures.js";

/**
 * README “初始化”, step by step, on an empty database: the first office account from the CLI, the
 * province imported from its 目标任务分解表, targets reviewed and issued in chat, a person bound with
 * 未登记 / 绑定 after writing to the bot, who then reports through WeCom (the simulator).
 */
const dir = mkdtempSync(path.join(tmpdir(), "jxmb-init-"));
let sim: WecomSimulator;
let bot: TestApp;

function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("npx", ["tsx", "src/cli/main.ts", ...args], { env: { ...process.env, DATABASE_URL: bot.dbUrl, LOG_LEVEL: "silent" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** What the bot answered in the callback's passive reply or through the API, as text. */
async function say(userid: string, text: string): Promise<string> {
  const r = await sim.sendText(userid, text);
  return String((r.reply as { content?: string } | undefined)?.content ?? "");
}

beforeAll(async () => {
  // Monday 2 March 2026, 10:00 Beijing time: a working hour, so pushes go out at once.
  const now = new Date("2026-03-02T02:00:00Z");
  sim = await startWecomSimulator({ now: () => bot?.clock.now().getTime() ?? now.getTime() });
  // 1. 首次启动: an empty, migrated database behind the real app.
  bot = await startTestApp({ env: sim.env(), now, db: await freshDb("initialisation") });
  sim.setCallbackUrl(`${bot.url}/wecom/callback`);
}, 60_000);
afterAll(async () => {
  await bot?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("README 初始化 on an empty database", { timeout: 240_000 }, () => {
  it("2. creates the first office account with npm run cli -- user add", async () => {
    expect(await bot.db.user.count()).toBe(0);
    const run = await cli(["user", "add", "mbb_wang", "王明", "目标办", "--wecom", "WangMing"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("已新增：王明（账号 mbb_wang，目标办（领导小组办公室/目标部）），已绑定企业微信 WangMing。\n");
    expect(await say("WangMing", "未登记")).toBe("目前没有未登记的账号。");
  });

  it("3. imports the province with npm run cli -- import targets, then 审核 全部 and 下达 全部 in chat", async () => {
    const file = clone(provinceFile());
    // 王强 has no WeCom account in the sheet: he is bound in step 4.
    setCell(file, "人员", file.人员.findIndex((r) => r[0] === "jtt_wang") + 2, "企业微信账号", null);
    const xlsx = path.join(dir, "目标任务分解表.xlsx");
    writeFileSync(xlsx, await buildXlsx(file));
    const run = await cli(["import", "targets", xlsx, "--year", "2026"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("《目标任务分解表.xlsx》导入完成（2026 年度）。");
    expect(await say("WangMing", "审核 全部")).toContain("已审核 2026 年度目标");
    expect(await say("WangMing", "下达 全部")).toContain("请回复“确认”执行");
    expect(await say("WangMing", "确认")).toContain("已下达");
    expect(await bot.db.target.count({ where: { status: "issued" } })).toBeGreaterThan(0);
  });

  it("4. binds a person who wrote first, with 未登记 and 绑定, and tells them they can start", async () => {
    expect(await say("WangQiang", "帮助")).toBe("您的账号（WangQiang）尚未在目标绩效管理系统中登记。请联系本单位目标办或省目标办开通后再使用。");
    expect(await say("WangMing", "未登记")).toContain("1. 企业微信 WangQiang（首次 3月2日 10:00，最近 3月2日 10:00：“帮助”）");
    expect(await say("WangMing", "绑定 WangQiang jtt_wang")).toBe("已将企业微信账号 WangQiang 绑定到王强（账号 jtt_wang），并已通知本人可以开始使用。");
    // The outbox process (CRON_OUTBOX) delivers the welcome.
    await new OutboxWorker({ db: bot.db, senders: bot.app.channels.senders, clock: bot.clock, log: createLogger("silent") }).drainOnce();
    expect(sim.screen("WangQiang").map((m) => m.content)).toContain("您的企业微信账号已登记为王强（目标责任人），现在可以开始使用。发送“帮助”查看可用的命令。");
  });

  it("5. the bound person reports progress through WeCom", async () => {
    expect(await say("WangQiang", "汇报 JTT-01 25 已完成年度实施方案")).toContain("已记入台账：JTT-01");
    const report = await bot.db.progressReport.findFirstOrThrow({ where: { target: { code: "JTT-01" } }, include: { reporter: true } });
    expect(report).toMatchObject({ progress: 25, channel: "wecom", reporter: { account: "jtt_wang" } });
  });

  it("refuses to bind a platform account that belongs to someone else, with the import's exit code", async () => {
    const run = await cli(["user", "bind", "jtt_li", "wecom", "WangQiang"]);
    expect(run.status).toBe(65);
    expect(run.stderr).toBe("企业微信账号“WangQiang”已绑定王强（账号 jtt_wang），不能再绑定给李娜。请核对账号。\n");
  });

  it("disables a person: the ledger stays and they are told when they write", async () => {
    const run = await cli(["user", "disable", "jtt_wang"]);
    expect(run.status).toBe(0);
    // The running server remembers active accounts for PERSON_CACHE_TTL_MS; the change comes from another process.
    await vi.waitFor(async () => expect(await say("WangQiang", "我的目标")).toBe("您的账号已停用。如有疑问，请联系本单位目标办。"), { timeout: 10_000, interval: 500 });
    expect(await bot.db.progressReport.count({ where: { reporter: { account: "jtt_wang" } } })).toBe(1);
    const list = await cli(["user", "list", "省交通运输厅"]);
    expect(list.stdout).toContain("jtt_wang\t王强\t目标责任人\t省交通运输厅\t企业微信 WangQiang\t已停用");
  });
});
