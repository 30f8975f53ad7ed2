import { describe, expect, it } from "vitest";
import { evaluationRulesSchema } from "../../src/domain/evaluation/rules-schema.js";
import { rankAndTier } from "../../src/domain/evaluation/tiers.js";
import type { AgencyScore } from "../../src/domain/evaluation/types.js";
import type { Tier } from "../../src/domain/evaluation/vocabulary.js";

const rules = evaluationRulesSchema.parse({});
/** The survey caps of §8.3 bind only when the rules file lists them. */
const capped = evaluationRulesSchema.parse({ survey: { caps: [{ atLeast: 10, maxTier: "second" }] } });

function score(code: string, totalH: number, extra: Partial<AgencyScore> = {}): AgencyScore {
  return {
    agencyId: code.charCodeAt(0),
    code,
    name: code,
    shortName: code,
    lines: [],
    totalH,
    institutionH: 0,
    partyH: 0,
    managementH: 0,
    functionalH: 0,
    dissatisfactionH: null,
    surveyCap: null,
    disciplineLevels: 0,
    headcount: null,
    missing: [],
    unfinishedTargets: 0,
    onePlusSixProblems: [],
    initialWeightH: 5000,
    ...extra,
  };
}

const tiers = (scores: AgencyScore[]) => Object.fromEntries(rankAndTier(scores, rules).agencies.map((a) => [a.code, a.tier]));

describe("rankAndTier (§2.19)", () => {
  it("gives equal scores the same rank (1, 2, 2, 4)", () => {
    const r = rankAndTier([score("A", 9000), score("B", 8000), score("C", 8000), score("D", 7000)], rules);
    expect(r.agencies.map((a) => [a.code, a.rank])).toEqual([["A", 1], ["B", 2], ["C", 2], ["D", 4]]);
  });

  it("fills 一等奖 30%, 二等奖 50% and 三等奖 15% of the agencies, rounding down, and gives the rest no award (§2.19)", () => {
    const ten = Array.from({ length: 10 }, (_, i) => score(String.fromCharCode(65 + i), 9000 - i * 100));
    const r = rankAndTier(ten, rules);
    // 一等奖 floor(3) = 3, 二等奖 floor(8) − 3 = 5, 三等奖 floor(9.5) − 8 = 1, the tenth 无等次.
    expect(r.slots).toEqual({ first: 3, second: 5, third: 1, total: 10 });
    const count = (t: Tier) => r.agencies.filter((a) => a.tier === t).length;
    expect([count("first"), count("second"), count("third"), count("none")]).toEqual([3, 5, 1, 1]);
    expect(rankAndTier(ten.slice(0, 6), rules).slots).toEqual({ first: 1, second: 3, third: 1, total: 6 });
  });

  it("breaks a tie of scores by 职能绩效, then 机关党建, then lower 不满意度", () => {
    const base = [score("A", 9900), score("B", 9800), score("C", 9700), score("D", 9600)];
    // Four agencies: one 一等奖, two 二等奖 (floor(3.2) − 1), no 三等奖 (floor(3.8) − 3); E and F tie for the last 二等奖.
    const e = score("E", 9500, { functionalH: 4500, partyH: 3000 });
    const f = score("F", 9500, { functionalH: 4600, partyH: 2000 });
    const r = rankAndTier([...base.slice(0, 2), e, f], rules);
    expect(r.agencies.map((a) => a.code)).toEqual(["A", "B", "F", "E"]);
    expect(r.agencies.find((a) => a.code === "F")!.tier).toBe("second");
    expect(r.agencies.find((a) => a.code === "E")!.tier).toBe("none");
    expect(r.agencies.find((a) => a.code === "E")!.rank).toBe(3);
    const g = score("G", 9500, { functionalH: 4500, partyH: 3000, dissatisfactionH: 500 });
    const h = score("H", 9500, { functionalH: 4500, partyH: 3000, dissatisfactionH: 400 });
    expect(rankAndTier([...base.slice(0, 2), g, h], rules).agencies.map((a) => a.code)).toEqual(["A", "B", "H", "G"]);
  });

  it("does not split agencies equal on every key, nor exceed the quota: both get the next tier that holds them", () => {
    // Four agencies: 一等奖 1, 二等奖 2, 三等奖 0. B takes one 二等奖; C and D do not fit the one left.
    const r = tiers([score("A", 9900), score("B", 9800), score("C", 9500, { functionalH: 4000 }), score("D", 9500, { functionalH: 4000 })]);
    expect(r).toEqual({ A: "first", B: "second", C: "none", D: "none" });
    const five = tiers([score("A", 9900), score("B", 9800), score("C", 9500, { functionalH: 4000 }), score("D", 9500, { functionalH: 4000 }), score("E", 9000)]);
    // Five: 一等奖 1, 二等奖 floor(4) − 1 = 3: B, C and D; 三等奖 floor(4.75) − 4 = 0.
    expect(five).toEqual({ A: "first", B: "second", C: "second", D: "second", E: "none" });
  });

  it("passes a slot on when a survey cap the rules file turned on bars an agency from it (§8.3)", () => {
    const r = rankAndTier([score("A", 9900, { dissatisfactionH: 1200, surveyCap: "second" }), score("B", 9800), score("C", 9700), score("D", 9600)], capped);
    const by = Object.fromEntries(r.agencies.map((a) => [a.code, a]));
    expect([by.A.tier, by.B.tier, by.C.tier, by.D.tier]).toEqual(["second", "first", "second", "none"]);
    expect(by.A.rank).toBe(1);
    expect(by.A.tierReasons.join()).toContain("最高评为二等奖");
    expect(by.B.tierReasons.join()).toContain("名额顺延");
  });

  it("lowers the award for discipline without moving anyone up or changing the score (§6.1)", () => {
    const r = rankAndTier([score("A", 9900, { disciplineLevels: 1 }), score("B", 9800), score("C", 9700), score("D", 9600)], rules);
    const by = Object.fromEntries(r.agencies.map((a) => [a.code, a]));
    expect([by.A.gradedTier, by.A.tier, by.B.tier, by.C.tier, by.D.tier]).toEqual(["first", "second", "second", "second", "none"]);
    expect(by.A.totalH).toBe(9900);
    expect(by.A.rank).toBe(1);
    expect(by.A.tierReasons.join()).toContain("只扣奖不扣分");
    expect(tiers([score("A", 9900, { disciplineLevels: 3 })])).toEqual({ A: "none" });
  });

  it("sets the individual quotas by the final tier, as head counts when 参评人数 is known", () => {
    const r = rankAndTier([score("A", 9900, { headcount: 85 }), score("B", 9800), score("C", 9700, { headcount: 64, disciplineLevels: 1 }), score("D", 9600)], rules);
    const by = Object.fromEntries(r.agencies.map((a) => [a.code, a]));
    expect(by.A.quota).toEqual({ excellentPercent: 30, qualifiedPercent: 70, unqualifiedPercent: 0, headcount: 85, excellentMax: 25, unqualifiedMin: 0 });
    expect(by.C.tier).toBe("third");
    expect(by.C.quota).toMatchObject({ excellentMax: 6, unqualifiedMin: 3 });
    expect(by.B.quota.excellentMax).toBeNull();
  });
});
