import { describe, expect, it } from "vitest";
import { explanationMarkdown } from "../../src/domain/evaluation/describe.js";
import { evaluateProvince } from "../../src/domain/evaluation/evaluate.js";
import { evaluationRulesSchema } from "../../src/domain/evaluation/rules-schema.js";
import { scoreAgency } from "../../src/domain/evaluation/score.js";
import type { AgencyInputs, FunctionalTarget } from "../../src/domain/evaluation/types.js";
import { PARTY_ITEMS, SURVEY_DIMENSIONS } from "../../src/domain/evaluation/vocabulary.js";
import { StateError } from "../../src/domain/errors.js";

/** The evaluation rules as the standard states them (§6.2, §8.2, §8.3, §2.16, §2.19), case by case. */
const rules = evaluationRulesSchema.parse({});
const ref = { text: "录入记录 #1" };

/** 1+6+N (§6.2): FGW-01 脱贫攻坚 weight 8, FGW-02…07 本级 weight 7 each: 8 + 6 × 7 = 50. */
function targets(status: (n: number) => string = () => "completed"): FunctionalTarget[] {
  return Array.from({ length: 7 }, (_, i) => ({
    code: `FGW-0${i + 1}`,
    title: `任务${i + 1}`,
    status: status(i + 1),
    weight: i === 0 ? 8 : 7,
    source: i === 0 ? "poverty" : "local",
    managementType: "initial",
    documentNo: null,
    verifiedProgress: null,
  }));
}

function agency(code: string, overrides: Partial<AgencyInputs> = {}): AgencyInputs {
  return {
    agencyId: code.charCodeAt(0) * 100 + code.charCodeAt(1),
    code,
    name: code,
    shortName: code,
    managementType: "direct",
    adminLevel: "department",
    scores: Object.fromEntries([...PARTY_ITEMS, "leader_review", "secondary_review"].map((i) => [i, { value: 100, ref }])),
    innovation: { award: "first", ref },
    survey: [],
    discipline: [],
    functionalTargets: targets(),
    negativeEntries: [],
    ...overrides,
  };
}

const line = (s: { lines: { item: string; pointsH: number; input: string }[] }, start: string) => s.lines.find((l) => l.item.startsWith(start))!;

describe("§8.2 职能绩效 by the targets' own weights", () => {
  it("§8.2: a completed initial target earns its full weight, an unfinished one 0 of it by default", () => {
    // FGW-01 (8) not completed, FGW-03 (7) still open at evaluation: 50 − 8 − 7 = 35.00.
    const s = scoreAgency(agency("FGW", { functionalTargets: targets((n) => (n === 1 ? "not_completed" : n === 3 ? "in_progress" : "completed")) }), rules);
    expect(s.functionalH).toBe(3500);
    expect(line(s, "FGW-01")).toMatchObject({ pointsH: 0, weight: 8 });
    expect(line(s, "FGW-02")).toMatchObject({ pointsH: 700, weight: 7 });
    expect(line(s, "FGW-03").input).toContain("考评时尚未办结，按未完成计");
  });

  it("§8.2: the rules file may credit an unfinished target in proportion to its verified completion (§2.17)", () => {
    const proportional = evaluationRulesSchema.parse({ functional: { unfinishedInitialTarget: "verifiedProgress" } });
    const ts = targets((n) => (n === 1 ? "not_completed" : "completed"));
    ts[0].verifiedProgress = 60;
    // FGW-01: 8 × 60% = 4.80, the rest 42: 46.80.
    const s = scoreAgency(agency("FGW", { functionalTargets: ts }), proportional);
    expect(line(s, "FGW-01").pointsH).toBe(480);
    expect(line(s, "FGW-01").input).toContain("核查属实的完成进度 60%");
    expect(s.functionalH).toBe(4680);
    // A self-reported progress that no 核查 confirmed earns nothing.
    ts[0].verifiedProgress = null;
    expect(scoreAgency(agency("FGW", { functionalTargets: ts }), proportional).functionalH).toBe(4200);
  });

  it("§2.7: a dynamic target adds nothing when completed and deducts the rules file's points when not", () => {
    const dyn = (status: string): FunctionalTarget => ({
      code: "FGW-08",
      title: "专项整治",
      status,
      weight: 0,
      source: "superior",
      managementType: "dynamic",
      documentNo: "黔府办发〔2026〕12号",
      verifiedProgress: null,
    });
    expect(scoreAgency(agency("FGW", { functionalTargets: [...targets(), dyn("completed")] }), rules).functionalH).toBe(5000);
    const s = scoreAgency(agency("FGW", { functionalTargets: [...targets(), dyn("not_completed")] }), rules);
    expect(s.functionalH).toBe(5000 - 300);
    expect(line(s, "FGW-08").input).toContain("黔府办发〔2026〕12号");
  });

  it("§2.23: active negative-list entries are still deducted at their points", () => {
    const s = scoreAgency(agency("FGW", { negativeEntries: [{ id: 7, period: "2026Q2", targetCode: "FGW-02", category: "functional", points: -0.5, reason: "节点未完成" }] }), rules);
    expect(s.functionalH).toBe(4950);
  });

  it("§8.2: an agency with no functional targets does not score 50/50", () => {
    const s = scoreAgency(agency("KONG", { functionalTargets: [] }), rules);
    expect(s.functionalH).toBe(0);
    expect(s.totalH).toBe(5000);
    expect(s.onePlusSixProblems.join()).toContain("脱贫攻坚目标至少 1 项（现有 0 项）");
  });

  it("§6.2: 考评 refuses, by default, an agency that does not meet 1+6+N for the year, naming it and why", () => {
    const short = agency("SHORT", { shortName: "省某局", functionalTargets: targets().slice(0, 6) });
    expect(() => evaluateProvince([agency("FGW"), short], rules)).toThrow(StateError);
    expect(() => evaluateProvince([agency("FGW"), short], rules)).toThrow(/省某局.*职能绩效目标合计不少于 7 项（现有 6 项）/);
  });

  it("§6.2: with belowOnePlusSix = noTier the agency is scored but 不参与等次, with the reason, and takes no slot", () => {
    const noTier = evaluationRulesSchema.parse({ functional: { belowOnePlusSix: "noTier" } });
    const short = agency("SHORT", { shortName: "省某局", functionalTargets: targets().slice(0, 6) });
    const r = evaluateProvince([agency("AA"), agency("BB"), agency("CC"), short], noTier);
    const by = Object.fromEntries(r.agencies.map((a) => [a.code, a]));
    expect(by.SHORT.tier).toBe("excluded");
    expect(by.SHORT.tierReasons.join()).toContain("不符合“1+6+N”要求（§6.2）");
    expect(by.SHORT.rank).toBe(4);
    // Three agencies take part: 一等奖 floor(0.9) = 0, 二等奖 floor(2.4) = 2.
    expect(r.slots).toMatchObject({ first: 0, second: 2, total: 3 });
  });
});

describe("§2.19 tiers never exceed their quota", () => {
  it("§2.19: agencies with no data, all tied, do not get 二等奖 beyond the quota", () => {
    // Four agencies: 一等奖 floor(1.2) = 1, 二等奖 floor(3.2) − 1 = 2, 三等奖 floor(3.8) − 3 = 0. The three
    // agencies with no inputs and nothing completed tie on every key: they do not fit the two 二等奖
    // slots, so none of them gets a tier rather than all three getting 二等奖.
    const empty = (code: string) => agency(code, { scores: {}, innovation: undefined, functionalTargets: targets(() => "not_completed") });
    const r = evaluateProvince([agency("AA"), empty("BB"), empty("CC"), empty("DD")], rules);
    const count = (t: string) => r.agencies.filter((a) => a.tier === t).length;
    expect(r.slots).toMatchObject({ first: 1, second: 2, third: 0 });
    expect([count("first"), count("second"), count("third"), count("none")]).toEqual([1, 0, 0, 3]);
    // With every remaining agency a 三等奖 ("rest"), the three share it.
    const rest = evaluationRulesSchema.parse({ tiers: { thirdPercent: "rest" } });
    expect(evaluateProvince([agency("AA"), empty("BB"), empty("CC"), empty("DD")], rest).agencies.map((a) => a.tier)).toEqual(["first", "third", "third", "third"]);
    expect(r.agencies.find((a) => a.code === "BB")!.tierReasons.join()).toContain("不拆分");
  });

  it("§2.19: no guaranteed 三等奖 — beyond the 三等奖 share an agency gets 无等次, unless the rules file says rest", () => {
    const scores = (n: number) => Array.from({ length: n }, (_, i) => agency(`A${String.fromCharCode(65 + i)}`, { scores: { ideology: { value: 100 - i, ref } } }));
    const strict = evaluationRulesSchema.parse({ tiers: { firstPercent: 30, secondPercent: 50, thirdPercent: 10 } });
    const r = evaluateProvince(scores(10), strict);
    expect(r.agencies.map((a) => a.tier)).toEqual(["first", "first", "first", "second", "second", "second", "second", "second", "third", "none"]);
    expect(r.agencies.at(-1)!.tierReasons.join()).toContain("三等奖名额");
    const rest = evaluationRulesSchema.parse({ tiers: { firstPercent: 30, secondPercent: 50, thirdPercent: "rest" } });
    expect(evaluateProvince(scores(10), rest).agencies.at(-1)!.tier).toBe("third");
  });
});

describe("§8.3 不满意度 is a reference", () => {
  const survey = (rate: number) => SURVEY_DIMENSIONS.map((d) => ({ group: "public" as const, dimension: d, rate, ref }));

  it("§8.3: by default a high 不满意度 is shown as 参考 and does not cap the tier", () => {
    const r = evaluateProvince([agency("AA", { survey: survey(25) }), agency("BB", { scores: {} }), agency("CC", { scores: {} }), agency("DD", { scores: {} })], rules);
    const a = r.agencies.find((x) => x.code === "AA")!;
    expect(a.tier).toBe("first");
    expect(a.surveyCap).toBeNull();
    expect(a.lines.find((l) => l.group === "reference")!.effect).toContain("参考");
  });

  it("§8.3: the cap binds only when the rules file turns it on", () => {
    const capped = evaluationRulesSchema.parse({ survey: { caps: [{ atLeast: 20, maxTier: "second" }] } });
    const r = evaluateProvince([agency("AA", { survey: survey(25) }), agency("BB", { scores: {} }), agency("CC", { scores: {} }), agency("DD", { scores: {} })], capped);
    expect(r.agencies.find((x) => x.code === "AA")!.tier).toBe("second");
  });
});

describe("§2.16 创新项目评选 不参评", () => {
  it("§2.16: 不参评 never scores above 申报未获奖, and the rules file may not make it", () => {
    expect(rules.innovationPoints.declined).toBeLessThanOrEqual(rules.innovationPoints.participated);
    expect(evaluationRulesSchema.safeParse({ innovationPoints: { declined: 1.5, participated: 1 } }).success).toBe(false);
  });

  it("§2.16: 不参评 counts only for 直接管理 units and 副厅级以上 委托管理 units; others score as 未申报", () => {
    const declined = { award: "declined" as const, ref };
    const points = (a: Partial<AgencyInputs>) => line(scoreAgency(agency("AA", { innovation: declined, ...a }), rules), "创新项目评选");
    expect(points({ managementType: "entrusted", adminLevel: "deputy_department" }).input).toBe("不参评");
    expect(points({ managementType: "entrusted", adminLevel: "division" }).input).toContain("按未申报计");
    expect(points({ managementType: "entrusted", adminLevel: null }).input).toContain("按未申报计");
  });
});

describe("机关建设 sub-totals add up", () => {
  it("shows the 过程管理扣分 beside 党建 and 管理 so the three add up to 机关建设", () => {
    const s = evaluateProvince([agency("AA", { negativeEntries: [{ id: 9, period: "2026Q2", targetCode: "AA-09", category: "institution", points: -0.5, reason: "党建节点未完成" }] })], rules).agencies[0];
    const text = explanationMarkdown("AA", 2026, { score: s.totalH / 100, rank: 1, tier: s.tier, publishedAt: null }, { ...s, version: 1, revision: 0, slots: { first: 0, second: 0, third: 1, total: 1 } });
    expect(text).toContain("机关建设 49.50 分（党建 41.00，管理 9.00，过程管理扣分 -0.50）");
  });
});
