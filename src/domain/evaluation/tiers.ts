import type { EvaluationRules } from "./rules-schema.js";
import { formatH } from "./hundredths.js";
import { quotaFor } from "./quotas.js";
import type { AgencyResult, AgencyScore, ProvinceResult } from "./types.js";
import { TIER_LABEL, TIERS, type Tier } from "./vocabulary.js";

/**
 * Ranking and unit award tiers (§2.19).
 *
 * Rank: by score; equal scores share a rank (1, 2, 2, 4).
 * Tiering order: by score, then — for equal scores — higher 职能绩效 points (the province's core
 * tasks, §2.5), then higher 机关党建 points, then lower 不满意度 (an agency without survey data comes
 * after one with). Agencies still equal on all of these are not split by an arbitrary key: the later
 * one gets the earlier one's tier even beyond the quota (§5.1 公开公正).
 * Slots: 一等奖 floor(n × firstPercent%), 一+二等奖 floor(n × (first+second)%), the rest 三等奖; the
 * proportions are ceilings, so rounding is down (only a full tie, above, can exceed them).
 * 不满意度 (§8.3) is part of grading: an agency capped below a tier passes that tier's slot on to the
 * next agency in order. 讲规矩守纪律 (§6.1 只扣奖不扣分) is a deduction from the agency's own award after
 * grading: its tier is lowered, its score and rank stay, and nobody moves up in its place.
 */
export function rankAndTier(scores: AgencyScore[], rules: EvaluationRules): ProvinceResult {
  const n = scores.length;
  // Percentages are whole or two-decimal numbers: work in hundredths of a percent to floor exactly.
  const first = Math.floor((n * Math.round(rules.tiers.firstPercent * 100)) / 10_000);
  const firstAndSecond = Math.floor((n * Math.round((rules.tiers.firstPercent + rules.tiers.secondPercent) * 100)) / 10_000);
  const slots = { first, second: firstAndSecond - first, total: n };

  const ordered = [...scores].sort((a, b) => compareForTier(a, b) || a.code.localeCompare(b.code));
  const used: Record<Tier, number> = { first: 0, second: 0, third: 0, none: 0 };
  const limit: Record<Tier, number> = { first: slots.first, second: slots.second, third: Infinity, none: Infinity };
  const results: AgencyResult[] = [];
  const idx = (t: Tier) => TIERS.indexOf(t);

  for (const [i, s] of ordered.entries()) {
    const rank = 1 + scores.filter((o) => o.totalH > s.totalH).length;
    const position = i + 1;
    const rankTier: Tier = position <= slots.first ? "first" : position <= firstAndSecond ? "second" : "third";
    const capIndex = s.surveyCap ? idx(s.surveyCap) : 0;
    const prev = results[i - 1];
    const reasons = [
      `按得分排名第 ${rank} 名，等次排序第 ${position} 位（共 ${n} 个单位；一等奖 ${slots.first} 名、二等奖 ${slots.second} 名、其余为三等奖）`,
    ];

    const sameScore = scores.filter((o) => o !== s && o.totalH === s.totalH);
    if (sameScore.length) {
      const survey = s.dissatisfactionH === null ? "未测评" : `${formatH(s.dissatisfactionH)}%`;
      reasons.push(
        `与${sameScore.map((o) => o.shortName).join("、")}同分（${formatH(s.totalH)} 分），排序依次比较职能绩效得分（本单位 ${formatH(s.functionalH)}）、机关党建得分（${formatH(s.partyH)}）、不满意度（${survey}，低者在前）`,
      );
    }

    let graded: Tier;
    if (prev && compareForTier(prev, s) === 0 && idx(prev.gradedTier) >= capIndex) {
      graded = prev.gradedTier;
      reasons.push(`与${prev.shortName}各项比较均相同，评为同一等次（名额相应顺延）`);
    } else {
      graded = (["first", "second", "third"] as Tier[]).find((t) => idx(t) >= capIndex && used[t] < limit[t])!;
      if (s.surveyCap && idx(rankTier) < capIndex) {
        reasons.push(`公众测评不满意度 ${formatH(s.dissatisfactionH!)}%，最高评为${TIER_LABEL[s.surveyCap]}（§8.3），原排序对应的名额顺延至后续单位`);
        if (idx(graded) > capIndex) reasons.push(`${TIER_LABEL[s.surveyCap]}名额已满，评为${TIER_LABEL[graded]}`);
      } else if (idx(graded) < idx(rankTier)) {
        reasons.push(`排序在前的单位受公众测评限制，名额顺延，评为${TIER_LABEL[graded]}`);
      } else if (idx(graded) > idx(rankTier)) {
        reasons.push(`${TIER_LABEL[rankTier]}名额已由排序在前的单位占满，评为${TIER_LABEL[graded]}`);
      }
    }
    used[graded] += 1;

    let tier = graded;
    if (s.disciplineLevels > 0) {
      tier = TIERS[Math.min(idx(graded) + s.disciplineLevels, TIERS.length - 1)];
      reasons.push(`讲规矩守纪律记录降低 ${s.disciplineLevels} 个等次：由${TIER_LABEL[graded]}降为${TIER_LABEL[tier]}（只扣奖不扣分，得分与排名不变，§6.1）`);
    }
    reasons.push(`最终获奖等次：${TIER_LABEL[tier]}`);
    results.push({ ...s, rank, position, rankTier, gradedTier: graded, tier, tierReasons: reasons, quota: quotaFor(tier, s.headcount, rules) });
  }
  return { agencies: results, slots };
}

/** Negative when a comes first in the tiering order; 0 when equal on every documented key. */
export function compareForTier(a: AgencyScore, b: AgencyScore): number {
  return b.totalH - a.totalH || b.functionalH - a.functionalH || b.partyH - a.partyH || surveyKey(a) - surveyKey(b);
}

function surveyKey(s: AgencyScore): number {
  return s.dissatisfactionH === null ? Number.MAX_SAFE_INTEGER : s.dissatisfactionH;
}
