import { fromBeijingDate } from "../../src/domain/calendar/calendar.js";
import { awardInput, disciplineInput, headcountInput, scoredInput, surveyInput, type NewInput } from "../../src/domain/evaluation/input-values.js";
import { recordInput } from "../../src/domain/evaluation/store.js";
import { PARTY_ITEMS, SURVEY_DIMENSIONS, SURVEY_GROUPS, type Award, type SurveyGroup } from "../../src/domain/evaluation/vocabulary.js";
import type { Db } from "../../src/infra/db.js";

/**
 * A small province of six agencies with hand-picked 2026 evaluation data; the expected scores in the
 * tests are computed by hand from these numbers and the default rules (rules/2026.json).
 *
 * Every agency has the seven 初始 职能绩效目标 of 1+6 (§6.2): -01 脱贫攻坚 weight 8, -02…-07 本级 weight 7
 * each (8 + 6 × 7 = 50), and one 机关建设 target -08. FGW and TJJ also have a 动态目标 -09 (§2.7).
 *
 * | agency | 党建 inputs | 领导 | 二级 | 创新 | 职能绩效 | 不满意度 | discipline |
 * | FGW | 100×5 | 100 | 100 | 一等奖 | -03 not completed, 2 active negatives (+1 withdrawn); -09 dynamic completed | 12 | — |
 * | JYT | 100×5 | 90 | 100 | 二等奖 | -02 still open, 1 negative | 5 | — |
 * | NYT | 95×5 | 95 | 95 | 三等奖 | -04 not completed | 8 (社会公众 only) | 通报批评 |
 * | SWJ | 90×5 | 90 | 90 | 鼓励奖 | -06 not completed | — | — |
 * | CZT | 90×5 | 100 | 80 | 三等奖 | -02 not completed, 1 negative (on -01) | 3 | — |
 * | TJJ | 80×4, 驻村 missing | 80 | 80 | 未申报 | -01 and -02 not completed, -09 dynamic not completed; 1 negative on 机关建设 | 25 | withdrawn |
 */
export const EVAL_NOW = new Date("2027-01-15T02:00:00Z");

interface Seed {
  code: string;
  name: string;
  shortName: string;
  party: (number | null)[];
  leader: number;
  secondary: number;
  award: Award;
  unfinished: { n: number; status: string }[];
  negatives: { period: string; target: number; status?: string }[];
  survey: number | Partial<Record<SurveyGroup, number>> | null;
  headcount?: number;
  dynamic?: string;
}

export const SEEDS: Seed[] = [
  { code: "FGW", name: "贵州省发展和改革委员会", shortName: "省发改委", party: [100, 100, 100, 100, 100], leader: 100, secondary: 100, award: "first", unfinished: [{ n: 3, status: "not_completed" }], negatives: [{ period: "2026Q2", target: 3 }, { period: "2026Q3", target: 3 }, { period: "2026Q3", target: 5, status: "withdrawn" }], survey: 12, headcount: 85, dynamic: "completed" },
  { code: "JYT", name: "贵州省教育厅", shortName: "省教育厅", party: [100, 100, 100, 100, 100], leader: 90, secondary: 100, award: "second", unfinished: [{ n: 2, status: "in_progress" }], negatives: [{ period: "2026Q3", target: 2 }], survey: 5, headcount: 120 },
  { code: "NYT", name: "贵州省农业农村厅", shortName: "省农业农村厅", party: [95, 95, 95, 95, 95], leader: 95, secondary: 95, award: "third", unfinished: [{ n: 4, status: "not_completed" }], negatives: [], survey: { public: 8 }, headcount: 64 },
  { code: "SWJ", name: "贵州省文物局", shortName: "省文物局", party: [90, 90, 90, 90, 90], leader: 90, secondary: 90, award: "encouragement", unfinished: [{ n: 6, status: "not_completed" }], negatives: [], survey: null },
  { code: "CZT", name: "贵州省财政厅", shortName: "省财政厅", party: [90, 90, 90, 90, 90], leader: 100, secondary: 80, award: "third", unfinished: [{ n: 2, status: "not_completed" }], negatives: [{ period: "2026Q3", target: 1 }], survey: 3 },
  { code: "TJJ", name: "贵州省统计局", shortName: "省统计局", party: [80, 80, 80, 80, null], leader: 80, secondary: 80, award: "none", unfinished: [{ n: 1, status: "not_completed" }, { n: 2, status: "not_completed" }], negatives: [{ period: "2026Q2", target: 8 }], survey: 25, dynamic: "not_completed" },
];

export async function seedEvaluationProvince(db: Db) {
  const cycle = await db.cycle.create({ data: { year: 2026, startsOn: fromBeijingDate("2026-01-01"), endsOn: fromBeijingDate("2026-12-31") } });
  const user = (account: string, name: string, role: string, agencyId: number | null) =>
    db.user.create({ data: { account, name, role, agencyId, identities: { create: [{ platform: "console", externalId: account }] } } });
  const office = await user("mbb_zhang", "张明", "office", null);
  await user("mbb_li", "李华", "office", null);
  const agencies: Record<string, { id: number }> = {};
  for (const s of SEEDS) {
    const entrusted = s.code === "SWJ";
    const agency = await db.agency.create({
      data: { code: s.code, name: s.name, shortName: s.shortName, managementType: entrusted ? "entrusted" : "direct", adminLevel: entrusted ? "deputy_department" : "department" },
    });
    agencies[s.code] = agency;
    const lc = s.code.toLowerCase();
    await user(`${lc}_head`, `${s.shortName}负责人`, "head", agency.id);
    await user(`${lc}_officer`, `${s.shortName}目标办`, "officer", agency.id);
    await user(`${lc}_staff`, `${s.shortName}干部`, "staff", agency.id);
    // Seven functional targets (1+6, §6.2; weights 8 + 6 × 7 = 50) and one 机关建设 target (组织建设).
    const targets: Record<number, number> = {};
    for (let n = 1; n <= 8; n++) {
      const unfinished = s.unfinished.find((u) => u.n === n);
      const t = await db.target.create({
        data: {
          code: `${s.code}-${String(n).padStart(2, "0")}`,
          cycleId: cycle.id,
          agencyId: agency.id,
          category: n === 8 ? "institution" : "functional",
          item: n === 8 ? "organisation" : null,
          source: n === 8 ? null : n === 1 ? "poverty" : "local",
          title: n === 8 ? "基层党组织标准化建设" : `${s.shortName}重点任务${n}`,
          weight: n === 8 ? 4 : n === 1 ? 8 : 7,
          deadline: fromBeijingDate("2026-12-20"),
          status: unfinished?.status ?? "completed",
          issuedAt: fromBeijingDate("2026-03-10"),
        },
      });
      targets[n] = t.id;
    }
    if (s.dynamic) {
      await db.target.create({
        data: {
          code: `${s.code}-09`,
          cycleId: cycle.id,
          agencyId: agency.id,
          category: "functional",
          source: "superior",
          managementType: "dynamic",
          documentNo: "黔府办发〔2026〕12号",
          title: `${s.shortName}专项整治任务`,
          weight: 0,
          deadline: fromBeijingDate("2026-09-30"),
          status: s.dynamic,
          issuedAt: fromBeijingDate("2026-06-10"),
        },
      });
    }
    for (const period of [...new Set(s.negatives.map((e) => e.period))]) {
      const entries = s.negatives.filter((e) => e.period === period);
      await db.negativeList.create({
        data: {
          agencyId: agency.id,
          cycleId: cycle.id,
          period,
          totalPoints: -0.5 * entries.filter((e) => e.status !== "withdrawn").length,
          entries: {
            create: entries.map((e, i) => ({
              seq: i + 1,
              targetId: targets[e.target],
              points: -0.5,
              reason: `${s.code}-0${e.target} ${period} 季度节点未按期完成`,
              status: e.status ?? "active",
            })),
          },
        },
      });
    }
  }

  const meta = (code: string) => ({ cycleId: cycle.id, agencyId: agencies[code].id, source: "import:考评数据.xlsx", enteredById: office.id, now: EVAL_NOW });
  const put = (code: string, input: NewInput) => recordInput(db, input, meta(code));
  // A correction: FGW's 思想建设 was first entered as 93 and corrected to 100 (the latest counts).
  await put("FGW", scoredInput("ideology", 93));
  for (const s of SEEDS) {
    for (const [i, v] of s.party.entries()) if (v !== null) await put(s.code, scoredInput(PARTY_ITEMS[i], v));
    await put(s.code, scoredInput("leader_review", s.leader));
    await put(s.code, scoredInput("secondary_review", s.secondary));
    await put(s.code, awardInput(s.award));
    if (s.headcount) await put(s.code, headcountInput(s.headcount));
    if (s.survey !== null) {
      const rates = typeof s.survey === "number" ? Object.fromEntries(SURVEY_GROUPS.map((g) => [g, s.survey])) : s.survey;
      for (const [g, rate] of Object.entries(rates)) for (const d of SURVEY_DIMENSIONS) await put(s.code, surveyInput(g as SurveyGroup, d, rate as number));
    }
  }
  await put("NYT", disciplineInput("黔纪通〔2026〕3号", "通报批评", "未按要求报送整改材料"));
  // A record entered and then withdrawn under the same number: it no longer counts.
  await put("TJJ", disciplineInput("TJ-1", "通报批评"));
  await put("TJJ", disciplineInput("TJ-1", "撤销", "经核实不属实"));
  return { cycle, agencies, office };
}
