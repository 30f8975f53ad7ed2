import { formatH, signedH } from "./hundredths.js";
import type { Breakdown } from "./results-store.js";
import type { ExplanationLine, LineGroup, Quota } from "./types.js";
import { INDIVIDUAL_LEVEL_LABEL as L, TIER_LABEL, type Tier } from "./vocabulary.js";

/** Chinese wording of results, shared by chat replies, notices and reports. */

export const GROUP_LABEL: Record<LineGroup, string> = {
  party: "机关建设·机关党建（41）",
  management: "机关建设·机关管理（9）",
  institution_process: "机关建设·过程管理扣分",
  functional: "职能绩效（50）",
  reference: "参考项（不计分）",
};

export function tierLabel(t: string): string {
  return TIER_LABEL[t as Tier] ?? t;
}

/** 机关建设 = 党建 + 管理 + 过程管理扣分 (negative-list entries on 机关建设 targets, and any cap give-back). */
export function processH(d: { institutionH: number; partyH: number; managementH: number }): number {
  return d.institutionH - d.partyH - d.managementH;
}

/** "机关建设 31.50 分（党建 27.20，管理 4.80，过程管理扣分 -0.50）": the parts add up to the whole. */
export function institutionText(d: { institutionH: number; partyH: number; managementH: number }): string {
  const p = processH(d);
  return `机关建设 ${formatH(d.institutionH)} 分（党建 ${formatH(d.partyH)}，管理 ${formatH(d.managementH)}${p ? `，过程管理扣分 ${formatH(p)}` : ""}）`;
}

/** §8.3: 不满意度 is shown beside the score as a reference for the grade. */
export function surveyReference(dissatisfactionH: number | null): string {
  return dissatisfactionH === null ? "公众测评不满意度：未测评" : `公众测评不满意度 ${formatH(dissatisfactionH)}%（参考，不计分，§8.3）`;
}

export function quotaText(q: Quota): string {
  const pct = `${L.excellent}不超过 ${q.excellentPercent}%，${L.qualified} ${q.qualifiedPercent}%，${L.unqualified}不少于 ${q.unqualifiedPercent}%`;
  if (q.headcount === null) return `${pct}（参评人数未录入）`;
  return `${pct}；参评 ${q.headcount} 人：${L.excellent}至多 ${q.excellentMax} 人，${L.unqualified}至少 ${q.unqualifiedMin} 人`;
}

export function lineText(l: ExplanationLine, n: number): string {
  const weight = l.weight === null ? "" : `｜权重 ${l.weight}`;
  return `${n}. ${l.item}${weight}｜${l.input}｜${signedH(l.pointsH)} 分｜依据：${l.source}${l.effect ? `｜${l.effect}` : ""}`;
}

/** The explanation (考评明细): every line, grouped, with subtotals that add up to the score. */
export function explanationMarkdown(agencyName: string, year: number, r: { score: number; rank: number; tier: string; publishedAt: Date | null }, d: Breakdown): string {
  const out = [
    `**${agencyName}${year}年度目标考评明细**`,
    `总分 ${formatH(d.totalH)} 分｜排名第 ${r.rank} 名｜获奖等次：${tierLabel(r.tier)}${r.publishedAt ? "" : "（尚未发布）"}`,
    `${institutionText(d)} ＋ 职能绩效 ${formatH(d.functionalH)} 分`,
    surveyReference(d.dissatisfactionH),
  ];
  let n = 0;
  for (const group of Object.keys(GROUP_LABEL) as LineGroup[]) {
    const lines = d.lines.filter((l) => l.group === group);
    if (!lines.length) continue;
    const subtotal = lines.reduce((s, l) => s + l.pointsH, 0);
    out.push("", `**${GROUP_LABEL[group]}${group === "reference" ? "" : `：${formatH(subtotal)} 分`}**`);
    for (const l of lines) out.push(lineText(l, ++n));
  }
  out.push("", `以上各行得分合计 ${formatH(d.lines.reduce((s, l) => s + l.pointsH, 0))} 分，即总分。`, "", "**等次评定**", ...d.tierReasons.map((t) => `· ${t}`));
  out.push("", `**个人获奖比例**（§2.19）：${quotaText(d.quota)}`);
  return out.join("\n");
}

/** The notice each agency head receives on 考评发布 (§9.3). */
export function resultNotice(agencyName: string, year: number, r: { score: number; rank: number; tier: string }, d: Breakdown, total: number, appealDays: number, corrected: boolean): string {
  return [
    `【${year}年度目标考评结果${corrected ? "（更正）" : ""}】`,
    r.tier === "excluded"
      ? `${agencyName}：经省直机关目标绩效管理领导小组办公室考评，贵单位${year}年度目标绩效考评得分 ${formatH(d.totalH)} 分（机关建设 ${formatH(d.institutionH)} 分，职能绩效 ${formatH(d.functionalH)} 分），因职能绩效目标不符合“1+6+N”要求（§6.2），不参与等次评定。`
      : `${agencyName}：经省直机关目标绩效管理领导小组办公室考评，贵单位${year}年度目标绩效考评得分 ${formatH(d.totalH)} 分（机关建设 ${formatH(d.institutionH)} 分，职能绩效 ${formatH(d.functionalH)} 分），在 ${total} 个单位中排名第 ${r.rank} 名，获评${tierLabel(r.tier)}。`,
    `${surveyReference(d.dissatisfactionH)}。`,
    `个人获奖比例：${quotaText(d.quota)}。`,
    `请回复“考评明细”查看逐项得分及依据，回复“考评报告 ${year} 本单位”获取反馈报告。如有异议，请于发布之日起 ${appealDays} 日内回复“考评申诉 <理由>”。`,
  ].join("\n");
}
