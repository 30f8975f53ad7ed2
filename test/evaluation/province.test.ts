import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatH } from "../../src/domain/evaluation/hundredths.js";
import { loadResults } from "../../src/domain/evaluation/results-store.js";
import { runEvaluation, staleResults } from "../../src/domain/evaluation/service.js";
import { loadRules } from "../../src/domain/rules.js";
import type { Db } from "../../src/infra/db.js";
import { freshDb } from "../helpers/db.js";
import { EVAL_NOW, seedEvaluationProvince } from "./fixture.js";

let db: Db;
let seeded: Awaited<ReturnType<typeof seedEvaluationProvince>>;
const rules = loadRules(2026);

beforeAll(async () => {
  ({ db } = await freshDb("evaluation-province"));
  seeded = await seedEvaluationProvince(db);
  await db.$transaction((tx) => runEvaluation(tx, seeded.cycle, rules, EVAL_NOW));
});
afterAll(async () => db.$disconnect());

async function results() {
  return Object.fromEntries((await loadResults(db, seeded.cycle.id)).map((r) => [r.agency.code, r]));
}

/**
 * Hand computation with the default rules (rules/2026.json): 党建 9/9/9/7/7, 管理 3/3/3 (§6.1); 创新
 * 一等奖 3, 二等奖 2.5, 三等奖 2, 鼓励奖 1.5, 未申报 0; 职能绩效 (§8.2) = the weight of each completed
 * 初始目标 (-01 is 8, -02…-07 are 7 each: 8 + 6 × 7 = 50), an unfinished one 0 of its weight, a 动态目标
 * 0 when completed and −3 when not, and every active negative-list entry at its −0.5.
 *
 * 机关建设 (党建 + 领导 + 创新 + 二级 + 过程管理扣分):
 *   FGW 41 + 3 + 3 + 3 = 50.00
 *   JYT 41 + 2.70 + 2.50 + 3 = 49.20
 *   NYT 38.95 + 2.85 + 2 + 2.85 = 46.65           (党建 at 95: 8.55 × 3 + 6.65 × 2 = 38.95)
 *   SWJ 36.90 + 2.70 + 1.5 + 2.70 = 43.80          (党建 at 90: 8.10 × 3 + 6.30 × 2 = 36.90)
 *   CZT 36.90 + 3 + 2 + 2.40 = 44.30
 *   TJJ 27.20 + 2.40 + 0 + 2.40 − 0.50 = 31.50     (at 80 without 驻村: 7.20 × 3 + 5.60 = 27.20; −0.50 on TJJ-08)
 * 职能绩效:
 *   FGW 50 − 7 (-03) − 0.5 − 0.5 + 0 (-09 dynamic, completed) = 42.00
 *   JYT 50 − 7 (-02 still open)  − 0.5                         = 42.50
 *   NYT 50 − 7 (-04)                                           = 43.00
 *   SWJ 50 − 7 (-06)                                           = 43.00
 *   CZT 50 − 7 (-02) − 0.5 (entry on -01)                      = 42.50
 *   TJJ 50 − 8 (-01) − 7 (-02) − 3 (-09 dynamic, unfinished)   = 32.00
 * Totals: FGW 92.00, JYT 91.70, NYT 89.65, SWJ 86.80, CZT 86.80, TJJ 63.50.
 * Tiers (§2.19), six agencies: 一等奖 floor(6 × 30%) = 1, 二等奖 floor(6 × 80%) − 1 = 3, 三等奖
 * floor(6 × 95%) − 4 = 1, the sixth 无等次. SWJ and CZT tie at 86.80; SWJ's 职能绩效 43.00 beats CZT's
 * 42.50, so SWJ takes the last 二等奖 and CZT the 三等奖; TJJ (63.50) gets no award. FGW's 不满意度 of
 * 12% is a reference only (§8.3), so FGW keeps 一等奖. NYT (二等奖 by position) is lowered to 三等奖 by
 * its discipline record: only its own award changes, so there are two 三等奖 in the end.
 */
const EXPECTED = {
  FGW: { score: 92, institution: 5000, functional: 4200, rank: 1 },
  JYT: { score: 91.7, institution: 4920, functional: 4250, rank: 2 },
  NYT: { score: 89.65, institution: 4665, functional: 4300, rank: 3 },
  SWJ: { score: 86.8, institution: 4380, functional: 4300, rank: 4 },
  CZT: { score: 86.8, institution: 4430, functional: 4250, rank: 4 },
  TJJ: { score: 63.5, institution: 3150, functional: 3200, rank: 6 },
};

describe("考评 of a small province (§8)", () => {
  it("§8.2: scores every agency as computed by hand, each functional target by its own weight", async () => {
    const r = await results();
    for (const [code, e] of Object.entries(EXPECTED)) {
      expect({ code, score: r[code].score, institution: r[code].detail.institutionH, functional: r[code].detail.functionalH, rank: r[code].rank }).toEqual({ code, ...e });
    }
  });

  it("explains every score in lines that add up to it exactly", async () => {
    for (const r of Object.values(await results())) {
      const sum = r.detail.lines.reduce((s, l) => s + l.pointsH, 0);
      expect(formatH(sum)).toBe(r.score.toFixed(2));
      expect(sum).toBe(r.detail.totalH);
    }
  });

  it("uses the latest record of a corrected input and names it as the source", async () => {
    const fgw = (await results()).FGW;
    const line = fgw.detail.lines.find((l) => l.item === "思想建设")!;
    expect(line.input).toContain("100");
    expect(line.pointsH).toBe(900);
    expect(line.source).toMatch(/录入记录 #\d+（Excel 导入 考评数据\.xlsx，张明，2027-01-15）/);
  });

  it("counts only active negative-list entries and says where each deduction comes from", async () => {
    const fgw = (await results()).FGW;
    const negatives = fgw.detail.lines.filter((l) => l.source.startsWith("负面清单条目"));
    expect(negatives.map((l) => [l.item, l.pointsH])).toEqual([["负面清单 2026Q2（FGW-03）", -50], ["负面清单 2026Q3（FGW-03）", -50]]);
    expect(fgw.detail.lines.find((l) => l.item.startsWith("FGW-03"))).toMatchObject({ weight: 7, pointsH: 0 });
    expect(fgw.detail.lines.find((l) => l.item.startsWith("FGW-09"))).toMatchObject({ pointsH: 0 });
    const tjj = (await results()).TJJ;
    expect(tjj.detail.lines.find((l) => l.item === "同步小康驻村")).toMatchObject({ input: "未录入", pointsH: 0 });
    expect(tjj.detail.lines.find((l) => l.group === "institution_process")!.pointsH).toBe(-50);
  });

  it("shows every target line in the explanation (考评明细): the seven initial ones and the dynamic one", async () => {
    const tjj = (await results()).TJJ;
    const functional = tjj.detail.lines.filter((l) => l.group === "functional");
    expect(functional.map((l) => [l.item.slice(0, 6), l.pointsH])).toEqual([
      ["TJJ-01", 0],
      ["TJJ-02", 0],
      ["TJJ-03", 700],
      ["TJJ-04", 700],
      ["TJJ-05", 700],
      ["TJJ-06", 700],
      ["TJJ-07", 700],
      ["TJJ-09", -300],
    ]);
    expect(functional[0].input).toBe("脱贫攻坚目标；未完成，不得分");
    expect(functional[7].input).toContain("动态目标（黔府办发〔2026〕12号）");
  });

  it("ranks a tie together and breaks it for the tier by 职能绩效 (SWJ 43.00 before CZT 42.50)", async () => {
    const r = await results();
    expect([r.SWJ.rank, r.CZT.rank]).toEqual([4, 4]);
    expect([r.SWJ.detail.position, r.CZT.detail.position]).toEqual([4, 5]);
    expect([r.SWJ.tier, r.CZT.tier]).toEqual(["second", "third"]);
    expect(r.CZT.detail.tierReasons.join()).toContain("与省文物局同分");
  });

  it("§8.3: shows FGW's 不满意度 of 12% as a reference and keeps its 一等奖", async () => {
    const r = await results();
    expect(r.FGW.detail.dissatisfactionH).toBe(1200);
    expect([r.FGW.rank, r.FGW.detail.rankTier, r.FGW.tier, r.FGW.detail.surveyCap]).toEqual([1, "first", "first", null]);
    expect(r.JYT.tier).toBe("second");
    expect(r.FGW.detail.lines.find((l) => l.item === "公众测评")!.effect).toContain("参考");
    // §2.19: no guaranteed 三等奖: TJJ is beyond the 三等奖 share.
    expect(r.TJJ.tier).toBe("none");
    expect(r.TJJ.detail.tierReasons.join()).toContain("三等奖名额（1 名）已满，未获等次");
  });

  it("lowers NYT's award for its discipline record but keeps its score and rank (只扣奖不扣分)", async () => {
    const r = await results();
    expect([r.NYT.score, r.NYT.rank, r.NYT.detail.gradedTier, r.NYT.tier]).toEqual([89.65, 3, "second", "third"]);
    expect(r.NYT.detail.lines.find((l) => l.item.startsWith("讲规矩守纪律"))).toMatchObject({ pointsH: 0, input: "通报批评；未按要求报送整改材料" });
    // NYT's 8% comes from 社会公众 only: the other groups are left out, not counted as 0.
    expect(r.NYT.detail.dissatisfactionH).toBe(800);
    // A withdrawn record (撤销) does not count.
    expect(r.TJJ.detail.disciplineLevels).toBe(0);
  });

  it("sets individual quotas from the final tier", async () => {
    const r = await results();
    // FGW 一等奖, 85 people: 优秀 at most floor(85 × 30%) = 25; JYT 二等奖, 120 people: floor(120 × 20%) = 24.
    expect(r.FGW.detail.quota).toMatchObject({ excellentPercent: 30, excellentMax: 25, unqualifiedMin: 0 });
    expect(r.JYT.detail.quota).toMatchObject({ excellentPercent: 20, excellentMax: 24, unqualifiedMin: 0 });
    expect(r.NYT.detail.quota).toMatchObject({ excellentPercent: 10, unqualifiedPercent: 5, excellentMax: 6, unqualifiedMin: 3 });
    expect(r.SWJ.detail.quota.headcount).toBeNull();
  });

  it("keeps a published result on an unchanged re-run, and marks it for re-publication when it changes", async () => {
    await db.evaluationResult.updateMany({ where: { cycleId: seeded.cycle.id }, data: { publishedAt: EVAL_NOW } });
    const again = await db.$transaction((tx) => runEvaluation(tx, seeded.cycle, rules, EVAL_NOW));
    expect(again.summary.republishNeeded).toEqual([]);
    expect(await db.evaluationResult.count({ where: { publishedAt: null } })).toBe(0);

    // An accepted appeal withdraws CZT's entry: CZT 86.80 + 0.50 = 87.30 now ranks ahead and the two swap tiers.
    const entry = await db.negativeListEntry.findFirstOrThrow({ where: { target: { code: "CZT-01" } } });
    await db.negativeListEntry.update({ where: { id: entry.id }, data: { status: "withdrawn" } });
    expect((await staleResults(db, seeded.cycle.id, rules)).sort()).toEqual(["省文物局", "省财政厅"].sort());
    const third = await db.$transaction((tx) => runEvaluation(tx, seeded.cycle, rules, EVAL_NOW));
    expect(third.summary.republishNeeded.sort()).toEqual(["省文物局", "省财政厅"].sort());
    const r = await results();
    expect([r.CZT.score, r.CZT.rank, r.CZT.tier, r.CZT.detail.revision, r.CZT.publishedAt]).toEqual([87.3, 4, "second", 1, null]);
    expect([r.SWJ.rank, r.SWJ.tier, r.SWJ.detail.revision]).toEqual([5, "third", 1]);
    expect(r.FGW.publishedAt).not.toBeNull();
    await db.negativeListEntry.update({ where: { id: entry.id }, data: { status: "active" } });
    await db.$transaction((tx) => runEvaluation(tx, seeded.cycle, rules, EVAL_NOW));
  });
});
