import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSettings } from "../../src/config/settings.js";
import { createCore } from "../../src/conversation/create-core.js";
import { evaluationRulesSchema } from "../../src/domain/evaluation/rules-schema.js";
import { parseEvaluationWorkbook, problemText } from "../../src/excel/evaluation-import.js";
import { FixedClock } from "../../src/infra/clock.js";
import type { Db } from "../../src/infra/db.js";
import { createLogger } from "../../src/infra/logger.js";
import { chatWith } from "../helpers/chat.js";
import { freshDb } from "../helpers/db.js";
import { EVAL_NOW, seedEvaluationProvince } from "./fixture.js";

/**
 * Through the chat: 考评 and an agency below 1+6+N (§6.2), 不参评 (§2.16), and the third party entering
 * 公众评议 results (§2.14, §2.24) — each with the default rules and with the rules file changed.
 */
let db: Db;
let url: string;
const clock = new FixedClock(EVAL_NOW);

/** A rules directory whose 2026.json is the default one with `evaluation` fields changed. */
function rulesDir(change: (evaluation: Record<string, Record<string, unknown>>) => void): string {
  const json = JSON.parse(readFileSync("rules/2026.json", "utf8"));
  change(json.evaluation);
  const dir = mkdtempSync(path.join(tmpdir(), "rules-"));
  writeFileSync(path.join(dir, "2026.json"), JSON.stringify(json));
  return dir;
}

function chat(dir = "rules") {
  const settings = loadSettings({ NODE_ENV: "test", DATABASE_URL: url, LOG_LEVEL: "silent", RULES_DIR: dir });
  return chatWith(createCore({ settings, db, clock, log: createLogger("silent") }), clock);
}

beforeAll(async () => {
  const fresh = await freshDb("evaluation-gates");
  ({ db, url } = fresh);
  await seedEvaluationProvince(db);
  await db.user.create({ data: { account: "dsf_wang", name: "王评", role: "assessor", identities: { create: [{ platform: "console", externalId: "dsf_wang" }] } } });
  // An entrusted 正处级 unit that joined late: two 本级 targets only.
  const cycle = await db.cycle.findUniqueOrThrow({ where: { year: 2026 } });
  const dag = await db.agency.create({ data: { code: "DAG", name: "贵州省档案馆", shortName: "省档案馆", managementType: "entrusted", adminLevel: "division" } });
  for (const n of [1, 2]) {
    await db.target.create({
      data: { code: `DAG-0${n}`, cycleId: cycle.id, agencyId: dag.id, category: "functional", source: "local", title: `档案工作${n}`, weight: 25, deadline: EVAL_NOW, status: "completed", issuedAt: EVAL_NOW },
    });
  }
});
afterAll(async () => db.$disconnect());

describe("考评 and 1+6+N (§6.2)", () => {
  it("§6.2: refuses 考评 by default, naming the agency and what it lacks", async () => {
    const answer = await chat().say("mbb_zhang", "考评 2026");
    expect(answer).toContain("以下单位本年度职能绩效目标不符合“1+6+N”要求（§6.2）");
    expect(answer).toContain("省档案馆：脱贫攻坚目标至少 1 项（现有 0 项）；本级目标至少 6 项（现有 2 项）；职能绩效目标合计不少于 7 项（现有 2 项）");
    expect(await db.evaluationResult.count()).toBe(0);
  });

  it("§6.2: with belowOnePlusSix noTier, scores the agency but marks it 不参与等次 with the reason, outside the quota", async () => {
    const c = chat(rulesDir((e) => (e.functional.belowOnePlusSix = "noTier")));
    const question = await c.say("mbb_zhang", "考评 2026");
    expect(question).toContain("对 7 个单位计算考评得分");
    expect(question).toContain("以下单位不符合“1+6+N”要求（§6.2），不参与等次评定：省档案馆");
    // Six agencies are graded: 一等奖 1, 二等奖 3, 三等奖 1, as without the 档案馆.
    expect(question).toContain("一等奖 1 名、二等奖 3 名、三等奖 1 名");
    const answer = await c.say("mbb_zhang", "确认");
    // 档案馆: no 机关建设 inputs, both targets completed (25 + 25 = 50).
    expect(answer).toContain("| 7 | 省档案馆 | 50.00 | 未测评 | 不参与等次 |");
    const explained = await c.say("mbb_zhang", "考评明细 省档案馆 2026");
    expect(explained).toContain("获奖等次：不参与等次");
    expect(explained).toContain("本年度职能绩效目标不符合“1+6+N”要求（§6.2）：脱贫攻坚目标至少 1 项（现有 0 项）");
  });
});

describe("创新项目评选 不参评 (§2.16)", () => {
  it("§2.16: accepts 不参评 for a 直接管理 unit and a 副厅级 委托管理 unit", async () => {
    expect(await chat().say("mbb_zhang", "考评录入 省发改委 创新项目 不参评")).toContain("创新项目评选：不参评");
    expect(await chat().say("mbb_zhang", "考评录入 省文物局 创新项目 不参评")).toContain("创新项目评选：不参评");
  });

  it("§2.16: the Excel import refuses 不参评 for a 委托管理 unit below 副厅级 in the same words", async () => {
    const wb = new ExcelJS.Workbook();
    const scores = wb.addWorksheet("机关建设评分");
    scores.addRow(["单位", "创新项目评选"]);
    scores.addRow(["省档案馆", "不参评"]);
    scores.addRow(["省文物局", "不参评"]);
    const agencies = await db.agency.findMany();
    const { records, problems } = await parseEvaluationWorkbook(Buffer.from(await wb.xlsx.writeBuffer()), agencies, evaluationRulesSchema.parse({}));
    expect(problems.map(problemText)).toEqual([
      "工作表“机关建设评分”第 2 行 B 列（创新项目评选）：省档案馆为委托管理单位（正处级），不参评仅适用于直接管理单位和副厅级以上委托管理单位（§2.16）。请按实际录入“未申报”或获奖等次。",
    ]);
    expect(records.map((r) => r.agencyName)).toEqual(["省文物局"]);
  });

  it("§2.16: refuses 不参评 for a 委托管理 unit below 副厅级, saying why", async () => {
    const answer = await chat().say("mbb_zhang", "考评录入 省档案馆 创新项目 不参评");
    expect(answer).toContain("省档案馆为委托管理单位（正处级），不参评仅适用于直接管理单位和副厅级以上委托管理单位（§2.16）");
    expect(await db.evaluationInput.count({ where: { agency: { code: "DAG" }, item: "innovation" } })).toBe(0);
  });
});

describe("公众评议 entered by the third party (§2.14, §2.24)", () => {
  it("§2.24: refuses the assessor while the office has not commissioned it", async () => {
    expect(await chat().say("dsf_wang", "考评录入 省财政厅 公众测评 社会公众 办事效率 4")).toContain("目标办尚未委托第三方机构实施 2026 年度公众评议");
  });

  it("§2.24: once commissioned in the rules file, takes the survey cells with the office's validation, and nothing else", async () => {
    const c = chat(rulesDir((e) => (e.survey.enteredByAssessor = true)));
    expect(await c.say("dsf_wang", "考评录入 省财政厅 公众测评 社会公众 办事效率 4 第三方问卷")).toMatch(/已录入2026 年度 省财政厅 公众测评：社会公众·办事效率 不满意率 4%（第三方问卷）（录入记录 #\d+，原为“社会公众·办事效率 不满意率 3%”）/);
    const stored = await db.evaluationInput.findFirstOrThrow({ where: { item: "public_survey", key: "public:efficiency" }, orderBy: { id: "desc" }, include: { enteredBy: true } });
    expect([stored.value, stored.enteredBy!.account]).toEqual([4, "dsf_wang"]);
    expect(await c.say("dsf_wang", "考评录入 省财政厅 公众测评 群众 办事效率 3")).toContain("格式：考评录入 <单位> 公众测评 <测评群体> <测评维度> <不满意率%> [说明]");
    expect(await c.say("dsf_wang", "考评录入 省财政厅 公众测评 社会公众 办事效率 120")).toContain("应为 0–100 之间的不满意率");
    expect(await c.say("dsf_wang", "考评录入 省财政厅 思想建设 90")).toContain("第三方机构只能录入受委托实施的公众评议");
  });
});

describe("unfinished targets credited by verified completion (§8.2, §2.17), when the rules file says so", () => {
  it("§2.17: credits the progress confirmed by the latest 属实 finding, and nothing once a later finding is 不属实", async () => {
    const staff = await db.user.findUniqueOrThrow({ where: { account: "tjj_staff" } });
    const office = await db.user.findUniqueOrThrow({ where: { account: "mbb_zhang" } });
    const target = (code: string) => db.target.findFirstOrThrow({ where: { code } });
    const at = (day: string) => new Date(`${day}T02:00:00Z`);
    const report = async (code: string, progress: number, day: string) =>
      db.progressReport.create({ data: { targetId: (await target(code)).id, reporterId: staff.id, progress, note: "进度", channel: "console", createdAt: at(day) } });
    const finding = async (code: string, result: string, day: string) =>
      db.verification.create({ data: { targetId: (await target(code)).id, method: "field_check", result, finding: "实地核查", verifierId: office.id, createdAt: at(day) } });
    // TJJ-01 (weight 8): 60% reported, confirmed; a later 90% nobody confirmed.
    await report("TJJ-01", 60, "2026-10-10");
    await finding("TJJ-01", "confirmed", "2026-10-20");
    await report("TJJ-01", 90, "2026-12-01");
    // TJJ-02 (weight 7): 50% confirmed, then found 不属实.
    await report("TJJ-02", 50, "2026-10-10");
    await finding("TJJ-02", "confirmed", "2026-10-20");
    await finding("TJJ-02", "not_confirmed", "2026-11-20");

    const c = chat(rulesDir((e) => {
      e.functional.belowOnePlusSix = "noTier";
      e.functional.unfinishedInitialTarget = "verifiedProgress";
    }));
    await c.say("mbb_zhang", "考评 2026");
    await c.say("mbb_zhang", "确认");
    const explained = await c.say("mbb_zhang", "考评明细 省统计局 2026");
    // TJJ-01: 8 × 60% = 4.80; TJJ-02: 0; TJJ-09 (dynamic, nothing confirmed): −3.
    expect(explained).toContain("TJJ-01 省统计局重点任务1｜权重 8｜脱贫攻坚目标；未完成，核查属实的完成进度 60%｜+4.80 分");
    expect(explained).toContain("TJJ-02 省统计局重点任务2｜权重 7｜本级目标；未完成，无核查属实的完成进度，不得分｜0.00 分");
    // 50 − 8 − 7 − 3 + 4.80 = 36.80.
    expect(explained).toContain("职能绩效（50）：36.80 分");
  });
});
