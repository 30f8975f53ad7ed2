import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CardReply, FileReply } from "../../src/messages/reply.js";
import { createJobDeps, type JobDeps } from "../../src/jobs/deps.js";
import { runNamedJob } from "../../src/jobs/definitions.js";
import { createLogger } from "../../src/infra/logger.js";
import { DEMO_NOW, demoProvince } from "../helpers/province.js";
import { at, testSettings } from "./province.js";

/**
 * §2.18 PDCA and §7.2 改进措施: when a milestone or a target's deadline is missed, its owners are asked
 * (a card) for 原因分析 and 改进措施 — the A of PDCA. The answer goes into the 台账, the office's
 * negative list and the 台账 export; owners who have not answered are reminded after N working days
 * (rules file, default 3). Demo (20 November 2026, Friday): FGW-04 (孙婷) missed the first and third
 * quarterly milestones, FGW-03 (赵磊) the second.
 */
let p: Awaited<ReturnType<typeof demoProvince>>;
let deps: JobDeps;
let ids: Record<string, number>;
beforeAll(async () => {
  p = await demoProvince("improvements");
  deps = createJobDeps({ db: p.db, settings: testSettings("file:unused.db"), clock: p.clock, log: createLogger("silent") });
  const users = await p.db.user.findMany();
  ids = Object.fromEntries(users.map((u) => [u.account, u.id]));
});
afterAll(async () => p.db.$disconnect());

const improvementOf = (code: string, quarter: number | null) =>
  p.db.improvement.findFirstOrThrow({ where: { target: { code }, ...(quarter ? { milestone: { quarter } } : { milestoneId: null }) } });

async function exported(account: string, command: string): Promise<ExcelJS.Workbook> {
  const replies = await p.chat.send(account, { type: "text", text: command });
  const file = replies.find((r) => r.kind === "file") as FileReply;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(file.base64, "base64") as never);
  return wb;
}

function rows(ws: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = [];
  ws.eachRow((row, n) => {
    if (n > 2) out.push((row.values as unknown[]).slice(1));
  });
  return out;
}

describe("a missed milestone asks its owner for 原因分析 and 改进措施 (§7.2)", () => {
  it("sends the owner a card for each missed milestone, once", async () => {
    const outcome = await runNamedJob(deps, "improvements");
    expect(outcome).toMatchObject({ status: "succeeded" });
    const q3 = await improvementOf("FGW-04", 3);
    const asked = await p.db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: `improvement-ask:${q3.id}:` } } });
    expect(asked.map((m) => m.recipient)).toEqual(["fgw_sun"]);
    expect(asked[0].mandatory).toBe(true);
    const card = JSON.parse(asked[0].payload) as CardReply;
    expect(card.card.title).toBe("原因分析和改进措施：FGW-04");
    expect(card.card.description).toContain("第三季度节点（9月30日前达到75%）未按期达成");
    expect(card.card.actions[0]).toMatchObject({ label: "填写原因分析和改进措施", command: "改进 FGW-04" });
    // A target's own deadline (12月20日) has not passed: nothing asked for it yet.
    expect(await p.db.improvement.count({ where: { target: { code: "FGW-04" }, milestoneId: null } })).toBe(0);
    // Run again the next day: nothing is asked twice.
    p.clock.set(at("2026-11-23", "09:00"));
    await runNamedJob(deps, "improvements");
    expect(await p.db.outboxMessage.count({ where: { idempotencyKey: { startsWith: `improvement-ask:${q3.id}:` } } })).toBe(1);
  });

  it("takes the answer in a dialog and records it in the ledger as 处理改进 (A)", async () => {
    const first = await p.chat.say("fgw_sun", "改进 FGW-04");
    expect(first).toContain("目标 FGW-04 第一季度节点（3月31日前达到25%）未按期达成");
    expect(first).toContain("请填写原因分析");
    expect(await p.chat.say("fgw_sun", "项目前期手续办理滞后，部门协调不畅")).toContain("请填写改进措施");
    const done = await p.chat.say("fgw_sun", "倒排工期，每周调度一次，按月通报进度");
    expect(done).toContain("已记入台账（PDCA：处理改进）");
    expect(done).toContain("目标 FGW-04 另有 1 项待填写");
    const q1 = await improvementOf("FGW-04", 1);
    expect(q1).toMatchObject({ cause: "项目前期手续办理滞后，部门协调不畅", measures: "倒排工期，每周调度一次，按月通报进度", authorId: ids.fgw_sun });
    expect(q1.answeredAt).not.toBeNull();
  });

  it("the card starts the same dialog for the next missed milestone", async () => {
    const q3 = await improvementOf("FGW-04", 3);
    const row = await p.db.outboxMessage.findFirstOrThrow({ where: { idempotencyKey: { startsWith: `improvement-ask:${q3.id}:` } } });
    const card = JSON.parse(row.payload) as CardReply;
    expect(await p.chat.click("fgw_sun", card.card.key, "answer")).toContain("第三季度节点（9月30日前达到75%）未按期达成");
    await p.chat.say("fgw_sun", "三季度汛期影响施工");
    expect(await p.chat.say("fgw_sun", "增加施工班组，十二月上旬补齐")).toContain("已记入台账");
  });

  it("is refused to someone who does not own the target", async () => {
    expect(await p.chat.say("fgw_zhao", "改进 FGW-04")).toContain("责任人是孙婷");
    expect(await p.chat.say("fgw_sun", "改进 FGW-06")).toContain("没有待填写的原因分析和改进措施");
  });
});

describe("the answer is shown where the office reads it", () => {
  it("台账 shows every entry with its PDCA stage", async () => {
    const answer = await p.chat.say("fgw_officer", "台账 FGW-04");
    expect(answer).toMatch(/处理改进｜孙婷｜第三季度节点未按期达成｜原因分析：三季度汛期影响施工；改进措施：增加施工班组，十二月上旬补齐/);
    expect(answer).toMatch(/检查｜第三季度节点（9月30日）未按期达成，请责任人分析原因、提出改进措施/);
    expect(answer).toMatch(/执行｜孙婷｜70%｜/);
    expect(answer).toMatch(/计划｜目标下达：完成时限12月20日，季度节点 4 个/);
  });

  it("the office's negative list of the quarter shows it beside the entry", async () => {
    const answer = await p.chat.say("mbb_zhang", "负面清单 2026Q3 发改委");
    const i = answer.split("\n").findIndex((l) => l.includes("FGW-04"));
    expect(i).toBeGreaterThanOrEqual(0);
    expect(answer.split("\n")[i + 1]).toBe("　原因分析：三季度汛期影响施工；改进措施：增加施工班组，十二月上旬补齐");
    const j = answer.split("\n").findIndex((l) => l.includes("FGW-07"));
    expect(answer.split("\n")[j + 1]).toBe("　改进措施：未填报");
  });

  it("the negative-list export carries 原因分析 and 改进措施", async () => {
    const wb = await exported("mbb_zhang", "导出 负面清单 2026Q3");
    const ws = wb.getWorksheet("明细")!;
    const header = (ws.getRow(2).values as unknown[]).slice(1);
    const c = header.indexOf("原因分析");
    const m = header.indexOf("改进措施");
    expect(c).toBeGreaterThan(0);
    const row = rows(ws).find((r) => r.includes("FGW-04"))!;
    expect([row[c], row[m]]).toEqual(["三季度汛期影响施工", "增加施工班组，十二月上旬补齐"]);
  });

  it("the 台账 export has a 改进措施 sheet", async () => {
    const wb = await exported("mbb_zhang", "导出 台账 发改委");
    const ws = wb.getWorksheet("改进措施")!;
    const header = (ws.getRow(2).values as unknown[]).slice(1);
    expect(header).toEqual(["目标编号", "目标名称", "未达成事项", "应完成日期", "PDCA 阶段", "原因分析", "改进措施", "填报人", "填报时间"]);
    const fgw04 = rows(ws).filter((r) => r[0] === "FGW-04");
    expect(fgw04.map((r) => [r[2], r[4], r[5], r[7]])).toEqual([
      ["第一季度节点", "处理改进", "项目前期手续办理滞后，部门协调不畅", "孙婷"],
      ["第三季度节点", "处理改进", "三季度汛期影响施工", "孙婷"],
    ]);
    const fgw03 = rows(ws).find((r) => r[0] === "FGW-03")!;
    expect([fgw03[4], fgw03[5]]).toEqual(["检查", "未填报"]);
  });
});

describe("owners who have not answered are reminded after N working days (rules file)", () => {
  it("not before the third working day after the request", async () => {
    p.clock.set(at("2026-11-24", "09:00"));
    await runNamedJob(deps, "improvements");
    expect(await p.db.outboxMessage.count({ where: { idempotencyKey: { startsWith: "improvement-remind:" } } })).toBe(0);
  });

  it("on it, to those who owe an answer only", async () => {
    p.clock.set(at("2026-11-25", "09:00"));
    const outcome = await runNamedJob(deps, "improvements");
    expect(outcome).toMatchObject({ status: "succeeded" });
    const q2 = await improvementOf("FGW-03", 2);
    const reminded = await p.db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: `improvement-remind:${q2.id}:` } } });
    expect(reminded.map((m) => m.recipient)).toEqual(["fgw_zhao"]);
    expect(JSON.parse(reminded[0].payload).text).toBe(
      "【改进措施提醒】目标 FGW-03「营商环境评价」第二季度节点（6月30日前达到50%）未按期达成，已于11月20日请您分析原因、提出改进措施，至今尚未填报。请发送：改进 FGW-03",
    );
    const q3 = await improvementOf("FGW-04", 3);
    expect(await p.db.outboxMessage.count({ where: { idempotencyKey: { startsWith: `improvement-remind:${q3.id}:` } } })).toBe(0);
    p.clock.set(DEMO_NOW);
  });
});
