import type { EvaluationRules } from "./rules-schema.js";
import { formatH } from "./hundredths.js";
import { quotaFor } from "./quotas.js";
import type { AgencyResult, AgencyScore, ProvinceResult } from "./types.js";
import { TIER_LABEL, TIERS, type AwardTier } from "./vocabulary.js";

/**
 * Ranking and unit award tiers (§2.19).
 *
 * Who is graded: every agency, except — when the rules file says "noTier" — one whose year does not
 * meet 1+6+N (§6.2): it is scored and listed after the graded agencies as 不参与等次, and takes no slot.
 * Rank: by score; equal scores share a rank (1, 2, 2, 4).
 * Tiering order: by score, then — for equal scores — higher 职能绩效 points (the province's core
 * tasks, §2.5), then higher 机关党建 points, then lower 不满意度 (an agency without survey data comes
 * after one with).
 * Slots: 一等奖 floor(n × first%), 一+二等奖 floor(n × (first+second)%), 一+二+三等奖 floor(n × (…+third)%)
 * (or all the rest when the rules file says "rest"), the others 无等次. The shares are ceilings, never
 * exceeded: agencies equal on every key are not split by an arbitrary key, so when they do not all fit
 * in a tier's remaining slots they all get the next tier, and nobody after them takes the slots left.
 * 不满意度 (§8.3) caps a tier only when the rules file lists caps; the slot passes to the next agency.
 * 讲规矩守纪律 (§6.1 只扣奖不扣分) is a deduction from the agency's own award after grading: its tier is
 * lowered, its score and rank stay, and nobody moves up in its place.
 */
export function rankAndTier(scores: AgencyScore[], rules: EvaluationRules): ProvinceResult {
  const excluded = rules.functional.belowOnePlusSix === "noTier" ? scores.filter((s) => s.onePlusSixProblems.length > 0) : [];
  const graded = scores.filter((s) => !excluded.includes(s));
  const n = graded.length;
  // Percentages are whole or two-decimal numbers: work in hundredths of a percent to floor exactly.
  const share = (pct: number) => Math.floor((n * Math.round(pct * 100)) / 10_000);
  const t = rules.tiers;
  const first = share(t.firstPercent);
  const firstAndSecond = share(t.firstPercent + t.secondPercent);
  const upToThird = t.thirdPercent === "rest" ? n : share(t.firstPercent + t.secondPercent + t.thirdPercent);
  const slots = { first, second: firstAndSecond - first, third: t.thirdPercent === "rest" ? null : upToThird - firstAndSecond, total: n };
  const limit: Record<AwardTier, number> = { first, second: slots.second, third: slots.third ?? Infinity, none: Infinity };
  const used: Record<AwardTier, number> = { first: 0, second: 0, third: 0, none: 0 };
  const closed = new Set<AwardTier>();
  const idx = (x: AwardTier) => TIERS.indexOf(x);
  const quotaWords = `一等奖 ${slots.first} 名、二等奖 ${slots.second} 名、${slots.third === null ? "其余为三等奖" : `三等奖 ${slots.third} 名`}`;

  const ordered = [...graded].sort((a, b) => compareForTier(a, b) || a.code.localeCompare(b.code));
  const results: AgencyResult[] = [];
  for (let start = 0; start < ordered.length; ) {
    // A group of agencies equal on every documented key is graded together.
    let end = start + 1;
    while (end < ordered.length && compareForTier(ordered[start], ordered[end]) === 0) end++;
    const group = ordered.slice(start, end);
    const capIndex = group[0].surveyCap ? idx(group[0].surveyCap) : 0;
    const open = (x: AwardTier) => idx(x) >= capIndex && !closed.has(x);
    const tier = (["first", "second", "third"] as AwardTier[]).find((x) => open(x) && used[x] + group.length <= limit[x]) ?? "none";
    // Slots a whole tied group could not fill stay empty: a later agency may not pass it.
    const unfilled = (["first", "second", "third"] as AwardTier[]).filter((x) => open(x) && idx(x) < idx(tier) && used[x] < limit[x]);
    for (const x of unfilled) closed.add(x);
    used[tier] += group.length;

    for (const [k, s] of group.entries()) {
      const position = start + k + 1;
      const rank = 1 + graded.filter((o) => o.totalH > s.totalH).length;
      const rankTier: AwardTier = position <= first ? "first" : position <= firstAndSecond ? "second" : position <= upToThird ? "third" : "none";
      const reasons = [`按得分排名第 ${rank} 名，等次排序第 ${position} 位（参与等次评定 ${n} 个单位；${quotaWords}）`];
      const sameScore = graded.filter((o) => o !== s && o.totalH === s.totalH);
      if (sameScore.length) {
        const survey = s.dissatisfactionH === null ? "未测评" : `${formatH(s.dissatisfactionH)}%`;
        reasons.push(
          `与${sameScore.map((o) => o.shortName).join("、")}同分（${formatH(s.totalH)} 分），排序依次比较职能绩效得分（本单位 ${formatH(s.functionalH)}）、机关党建得分（${formatH(s.partyH)}）、不满意度（${survey}，低者在前）`,
        );
      }
      if (group.length > 1) reasons.push(`与${group.filter((o) => o !== s).map((o) => o.shortName).join("、")}各项比较均相同，评为同一等次`);
      if (unfilled.length && group.length > 1) {
        reasons.push(`${unfilled.map((x) => TIER_LABEL[x]).join("、")}剩余名额不足以容纳同等次的 ${group.length} 个单位，名额为上限、不拆分同等单位，均评为${TIER_LABEL[tier]}`);
      } else if (s.surveyCap && idx(rankTier) < capIndex) {
        reasons.push(`公众测评不满意度 ${formatH(s.dissatisfactionH!)}%，按年度规则最高评为${TIER_LABEL[s.surveyCap]}（§8.3），原排序对应的名额顺延至后续单位`);
      } else if (idx(tier) < idx(rankTier)) {
        reasons.push(`排序在前的单位受公众测评限制，名额顺延，评为${TIER_LABEL[tier]}`);
      } else if (idx(tier) > idx(rankTier) || tier === "none") {
        reasons.push(tier === "none" ? `三等奖名额（${limit.third} 名）已满，未获等次` : `${TIER_LABEL[rankTier]}名额已由排序在前的单位占满，评为${TIER_LABEL[tier]}`);
      }
      let final = tier;
      if (s.disciplineLevels > 0) {
        final = TIERS[Math.min(idx(tier) + s.disciplineLevels, TIERS.length - 1)];
        reasons.push(`讲规矩守纪律记录降低 ${s.disciplineLevels} 个等次：由${TIER_LABEL[tier]}降为${TIER_LABEL[final]}（只扣奖不扣分，得分与排名不变，§6.1）`);
      }
      reasons.push(`最终获奖等次：${TIER_LABEL[final]}`);
      results.push({ ...s, rank, position, rankTier, gradedTier: tier, tier: final, tierReasons: reasons, quota: quotaFor(final, s.headcount, rules) });
    }
    start = end;
  }

  for (const s of [...excluded].sort((a, b) => b.totalH - a.totalH || a.code.localeCompare(b.code))) {
    const rank = n + 1 + excluded.filter((o) => o.totalH > s.totalH).length;
    const reasons = [
      `本年度职能绩效目标不符合“1+6+N”要求（§6.2）：${s.onePlusSixProblems.join("；")}`,
      `按年度规则不参与等次评定，不占等次名额；得分照常计算，列于参与等次评定的 ${n} 个单位之后（第 ${rank} 名）`,
      `最终获奖等次：${TIER_LABEL.excluded}`,
    ];
    results.push({ ...s, rank, position: results.length + 1, rankTier: "excluded", gradedTier: "excluded", tier: "excluded", tierReasons: reasons, quota: quotaFor("excluded", s.headcount, rules) });
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
