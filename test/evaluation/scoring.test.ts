import { describe, expect, it } from "vitest";
import { divRound, formatH } from "../../src/domain/evaluation/hundredths.js";
import { evaluationRulesSchema } from "../../src/domain/evaluation/rules-schema.js";
import { scoreAgency } from "../../src/domain/evaluation/score.js";
import { dissatisfactionH } from "../../src/domain/evaluation/survey.js";
import type { AgencyInputs, FunctionalTarget } from "../../src/domain/evaluation/types.js";
import { PARTY_ITEMS, SURVEY_DIMENSIONS } from "../../src/domain/evaluation/vocabulary.js";
import { loadRules } from "../../src/domain/rules.js";

const rules = evaluationRulesSchema.parse({});
const ref = { text: "录入记录 #1" };

/** A functional target of the 1+6 set: FGW-01 脱贫攻坚 weight 8, the others 本级 weight 7 (8 + 6 × 7 = 50). */
function target(n: number, status = "completed", title = `任务${n}`): FunctionalTarget {
  return { code: `FGW-0${n}`, title, status, weight: n === 1 ? 8 : 7, source: n === 1 ? "poverty" : "local", managementType: "initial", documentNo: null, verifiedProgress: null };
}

function agency(overrides: Partial<AgencyInputs> = {}): AgencyInputs {
  return {
    agencyId: 1,
    code: "FGW",
    name: "贵州省发展和改革委员会",
    shortName: "省发改委",
    managementType: "direct",
    adminLevel: "department",
    scores: Object.fromEntries([...PARTY_ITEMS, "leader_review", "secondary_review"].map((i) => [i, { value: 100, ref }])),
    innovation: { award: "first", ref },
    survey: [],
    discipline: [],
    functionalTargets: Array.from({ length: 7 }, (_, i) => target(i + 1)),
    negativeEntries: [],
    ...overrides,
  };
}

const sum = (lines: { pointsH: number }[]) => lines.reduce((s, l) => s + l.pointsH, 0);

describe("the rules file's evaluation section", () => {
  it("defaults to the documented numbers, and rules/2026.json states the same ones", () => {
    expect(rules.weights).toEqual({ ideology: 9, organisation: 9, integrity: 9, team: 7, village: 7, leader_review: 3, innovation: 3, secondary_review: 3, functional: 50 });
    expect(loadRules(2026).evaluation).toEqual(rules);
  });

  it("refuses a split of 党建 that does not add up to 41 (§6.1)", () => {
    const bad = evaluationRulesSchema.safeParse({ weights: { ideology: 10 } });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain("41");
  });

  it("refuses changing a weight the standard fixes", () => {
    expect(evaluationRulesSchema.safeParse({ weights: { leader_review: 4 } }).success).toBe(false);
    expect(evaluationRulesSchema.safeParse({ weights: { functional: 45 } }).success).toBe(false);
  });

  it("refuses innovation points above the item's 3 points and quotas that do not total 100", () => {
    expect(evaluationRulesSchema.safeParse({ innovationPoints: { first: 4 } }).success).toBe(false);
    expect(evaluationRulesSchema.safeParse({ individualQuotas: { first: { excellent: 30, qualified: 60, unqualified: 0 } } }).success).toBe(false);
  });
});

describe("integer hundredths", () => {
  it("rounds half away from zero, once per line", () => {
    expect(divRound(8595, 10)).toBe(860);
    expect(divRound(-8595, 10)).toBe(-860);
    expect(divRound(8594, 10)).toBe(859);
    expect(formatH(-50)).toBe("-0.50");
    expect(formatH(9600)).toBe("96.00");
  });
});

describe("scoreAgency (§8.1)", () => {
  it("gives full marks as 50 + 50 when every input is full and every target completed", () => {
    const s = scoreAgency(agency(), rules);
    expect(s.totalH).toBe(10000);
    expect(s.institutionH).toBe(5000);
    expect(s.partyH).toBe(4100);
    expect(s.managementH).toBe(900);
    expect(s.functionalH).toBe(5000);
    expect(sum(s.lines)).toBe(s.totalH);
  });

  it("converts each input on the 100-point scale by the item's weight, rounding each line", () => {
    const s = scoreAgency(agency({ scores: { ideology: { value: 95.5, ref }, team: { value: 95.55, ref } } }), rules);
    const line = (item: string) => s.lines.find((l) => l.item === item)!;
    expect(line("思想建设").pointsH).toBe(860); // 9 × 95.5% = 8.595 → 8.60
    expect(line("队伍建设").pointsH).toBe(669); // 7 × 95.55% = 6.6885 → 6.69
    expect(line("组织建设")).toMatchObject({ input: "未录入", pointsH: 0 });
    expect(s.missing).toEqual(["组织建设", "党风廉政建设", "同步小康驻村", "省领导评价", "二级考评"]);
    expect(sum(s.lines)).toBe(s.totalH);
  });

  it("scores 创新项目评选 by the award table (§2.16)", () => {
    const points = (award: NonNullable<AgencyInputs["innovation"]>["award"]) => scoreAgency(agency({ innovation: { award, ref } }), rules).managementH;
    expect([points("first"), points("second"), points("third"), points("encouragement"), points("participated"), points("none"), points("declined")]).toEqual(
      [900, 850, 800, 750, 700, 600, 600],
    );
  });

  it("gives unfinished functional targets none of their weight and deducts active negative-list entries in their own category", () => {
    const s = scoreAgency(
      agency({
        functionalTargets: [target(1, "completed", "甲"), target(2, "not_completed", "乙"), target(3, "in_progress", "丙"), ...[4, 5, 6, 7].map((n) => target(n))],
        negativeEntries: [
          { id: 7, period: "2026Q2", targetCode: "FGW-02", category: "functional", points: -0.5, reason: "节点未完成" },
          { id: 8, period: "2026Q3", targetCode: "FGW-09", category: "institution", points: -0.5, reason: "党建节点未完成" },
        ],
      }),
      rules,
    );
    // 50 − 7 (FGW-02) − 7 (FGW-03) − 0.5 (entry #7).
    expect(s.functionalH).toBe(5000 - 700 - 700 - 50);
    expect(s.institutionH).toBe(5000 - 50);
    expect(s.unfinishedTargets).toBe(2);
    expect(s.lines.find((l) => l.item === "FGW-03 丙")!.input).toContain("尚未办结，按未完成计");
    expect(s.lines.find((l) => l.source === "负面清单条目 #8")!.group).toBe("institution_process");
    expect(sum(s.lines)).toBe(s.totalH);
  });

  it("never lets a category fall below zero, and says so on its own line", () => {
    // Nothing completed (0) and four active entries (−2): the category gives the −2 back.
    const entries = [1, 2, 3, 4].map((id) => ({ id, period: "2026Q2", targetCode: "FGW-01", category: "functional" as const, points: -0.5, reason: "节点未完成" }));
    const s = scoreAgency(agency({ functionalTargets: [1, 2, 3, 4, 5, 6, 7].map((n) => target(n, "not_completed")), negativeEntries: entries }), rules);
    expect(s.functionalH).toBe(0);
    expect(s.lines.find((l) => l.item === "职能绩效扣分以本类权重为限")!.pointsH).toBe(200);
    expect(sum(s.lines)).toBe(s.totalH);
  });

  it("gives 公众测评 and 讲规矩守纪律 no points, only effects on the tier (the survey's only where the rules list caps)", () => {
    const survey = SURVEY_DIMENSIONS.map((d) => ({ group: "public" as const, dimension: d, rate: 21, ref }));
    const s = scoreAgency(agency({ survey, discipline: [{ recordNo: "D-1", kind: "党纪政务处分", ref }] }), rules);
    expect(s.totalH).toBe(10000);
    expect(s.dissatisfactionH).toBe(2100);
    expect(s.surveyCap).toBeNull();
    const capped = evaluationRulesSchema.parse({ survey: { caps: [{ atLeast: 10, maxTier: "second" }, { atLeast: 20, maxTier: "third" }] } });
    expect(scoreAgency(agency({ survey }), capped).surveyCap).toBe("third");
    expect(s.disciplineLevels).toBe(2);
    const reference = s.lines.filter((l) => l.group === "reference");
    expect(reference.every((l) => l.pointsH === 0)).toBe(true);
    expect(reference.map((l) => l.effect).join()).toContain("只扣奖不扣分");
  });
});

describe("不满意度 (§2.14, §8.3)", () => {
  it("weights respondent groups and dimensions, leaving out cells not entered", () => {
    const cells = [
      ...SURVEY_DIMENSIONS.map((d) => ({ group: "npc" as const, dimension: d, rate: 10, ref })),
      ...SURVEY_DIMENSIONS.map((d) => ({ group: "public" as const, dimension: d, rate: 20, ref })),
    ];
    // (15 × 10 + 25 × 20) / (15 + 25) = 16.25
    expect(dissatisfactionH(cells, rules)).toBe(1625);
    expect(dissatisfactionH([], rules)).toBeNull();
  });
});
