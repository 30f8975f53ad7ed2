import { z } from "zod";
import { AWARDS, PARTY_ITEMS, SURVEY_DIMENSIONS, SURVEY_GROUPS, TIERS } from "./vocabulary.js";

/**
 * The `evaluation` section of rules/<year>.json (documented field by field in rules/README.md).
 * The weights the standard fixes (§6.1, §8.1: 机关建设 50 = 党建 41 + 管理 9 of 3/3/3; 职能绩效 50) are
 * written out in the file so a score's explanation reads from one place, and refused if changed;
 * every number the standard leaves open has a default here.
 */
const points = z.number().min(0).max(100);
const percent = z.number().min(0).max(100);
const tier = z.enum(TIERS);

const weights = z
  .object({
    ideology: points.default(9),
    organisation: points.default(9),
    integrity: points.default(9),
    team: points.default(7),
    village: points.default(7),
    leader_review: z.literal(3).default(3),
    innovation: z.literal(3).default(3),
    secondary_review: z.literal(3).default(3),
    functional: z.literal(50).default(50),
  })
  .refine((w) => Math.round(PARTY_ITEMS.reduce((s, i) => s + w[i] * 100, 0)) === 4100, {
    message: "机关党建五项权重之和须为 41（§6.1、§8.1）",
  });

/** Points out of 创新项目评选's 3 for each result (§2.16), including not applying or not eligible. */
const innovationPoints = z.object({
  first: points.default(3),
  second: points.default(2.5),
  third: points.default(2),
  encouragement: points.default(1.5),
  participated: points.default(1),
  none: points.default(0),
  /** 不参评: an agency §2.16 lets apply voluntarily choosing not to; never above 申报未获奖 (refined below). */
  declined: points.default(0),
});

/**
 * 职能绩效 (§6.2, §8.2). Each 初始目标 scores its own weight (the import makes them add up to 50) when
 * completed; these fields say what an unfinished one, a 动态目标 and an agency below 1+6+N get.
 */
const functional = z.object({
  /** An unfinished 初始目标: "none" 0 of its weight; "verifiedProgress" weight × the progress a 核查 (§2.17) confirmed. */
  unfinishedInitialTarget: z.enum(["none", "verifiedProgress"]).default("none"),
  /** Per 动态目标 (§2.7) not completed; completed ones add nothing (they have no share of the 50). */
  pointsPerUnfinishedDynamicTarget: z.number().max(0).default(-3),
  /** Target categories whose active negative-list entries are deducted, each within its own category. */
  negativeListCategories: z.array(z.enum(["functional", "institution"])).default(["functional", "institution"]),
  /** An agency whose year does not meet 1+6+N (§6.2): "refuse" stops 考评; "noTier" scores it but gives no tier. */
  belowOnePlusSix: z.enum(["refuse", "noTier"]).default("refuse"),
});

const tiers = z
  .object({
    /** 一等奖: the first floor(n × firstPercent%) agencies in tiering order. */
    firstPercent: percent.default(30),
    /** 二等奖: the next ones up to floor(n × (first + second)%). */
    secondPercent: percent.default(50),
    /** 三等奖: the next ones up to floor(n × (first + second + third)%), the rest 无等次; "rest": all the rest. */
    thirdPercent: z.union([percent, z.literal("rest")]).default(15),
  })
  .refine((t) => t.firstPercent + t.secondPercent + (t.thirdPercent === "rest" ? 0 : t.thirdPercent) <= 100, {
    message: "一、二、三等奖比例之和不能超过 100",
  });

const survey = z.object({
  /** Weight of each respondent group (§2.14); only the ratios matter. */
  groupWeights: z
    .object({
      npc: z.number().min(0).default(15),
      cppcc: z.number().min(0).default(15),
      cadres: z.number().min(0).default(20),
      enterprises: z.number().min(0).default(25),
      public: z.number().min(0).default(25),
    })
    .prefault({})
    .refine((w) => SURVEY_GROUPS.some((g) => w[g] > 0), { message: "至少一个测评群体的权重须大于 0" }),
  /** Weight of each of the five dimensions (§8.3); only the ratios matter. */
  dimensionWeights: z
    .object({
      execution: z.number().min(0).default(20),
      efficiency: z.number().min(0).default(20),
      attitude: z.number().min(0).default(20),
      lawful: z.number().min(0).default(20),
      integrity: z.number().min(0).default(20),
    })
    .prefault({})
    .refine((w) => SURVEY_DIMENSIONS.some((d) => w[d] > 0), { message: "至少一个测评维度的权重须大于 0" }),
  /**
   * §8.3 makes 不满意度 "参考之一" of the grade: by default it binds nothing. Listed caps make it binding —
   * the highest tier an agency may receive when its 不满意度 reaches `atLeast` percent.
   */
  caps: z.array(z.object({ atLeast: percent, maxTier: tier })).default([]),
  /** 公众评议 commissioned to the third party (§2.14, §2.24): assessors may enter the survey results. */
  enteredByAssessor: z.boolean().default(false),
});

const discipline = z.object({
  /** Tiers each kind of record lowers the award by (§6.1 只扣奖不扣分); 3 or more means no award. */
  lowerTiersByKind: z
    .record(z.string().min(1), z.number().int().min(1).max(3))
    .default({ 通报批评: 1, 约谈问责: 1, 党纪政务处分: 2, 取消评奖资格: 3 }),
});

/** Individual award shares in percent (§2.19): 优秀 a ceiling, 不达标 a floor, 达标 the rest. */
const quota = z
  .object({ excellent: percent, qualified: percent, unqualified: percent })
  .refine((q) => Math.round((q.excellent + q.qualified + q.unqualified) * 100) === 10000, { message: "优秀、达标、不达标比例之和须为 100" });

/** Quotas by award tier; an agency 不参与等次 (below 1+6+N) is given the 无等次 quota. */
const individualQuotas = z.object({
  first: quota.default({ excellent: 30, qualified: 70, unqualified: 0 }),
  second: quota.default({ excellent: 20, qualified: 80, unqualified: 0 }),
  third: quota.default({ excellent: 10, qualified: 85, unqualified: 5 }),
  none: quota.default({ excellent: 0, qualified: 90, unqualified: 10 }),
});

export const evaluationRulesSchema = z
  .object({
    /** Scale of party-building, 省领导评价 and 二级考评 inputs; points = weight × input / fullMarks. */
    inputFullMarks: z.number().positive().default(100),
    weights: weights.prefault({}),
    innovationPoints: innovationPoints.prefault({}),
    functional: functional.prefault({}),
    tiers: tiers.prefault({}),
    survey: survey.prefault({}),
    discipline: discipline.prefault({}),
    individualQuotas: individualQuotas.prefault({}),
    /** Days after publication during which an agency may appeal its result (§5.3e). */
    appealWindowDays: z.number().int().positive().default(15),
  })
  .superRefine((r, ctx) => {
    for (const a of AWARDS) {
      if (r.innovationPoints[a] > r.weights.innovation) {
        ctx.addIssue({ code: "custom", path: ["innovationPoints", a], message: `不能超过创新项目评选权重 ${r.weights.innovation}` });
      }
    }
    if (r.innovationPoints.declined > r.innovationPoints.participated) {
      ctx.addIssue({ code: "custom", path: ["innovationPoints", "declined"], message: "不参评的分值不能高于申报未获奖（§2.16 自愿申报，§3 e 创新导向）" });
    }
  });

export type EvaluationRules = z.output<typeof evaluationRulesSchema>;
