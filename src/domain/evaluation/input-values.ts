import type { EvaluationRules } from "./rules-schema.js";
import { encodeInputText } from "./input-text.js";
import {
  AWARD_LABEL,
  AWARDS,
  DISCIPLINE_WITHDRAWN,
  HEADCOUNT_ITEM,
  SURVEY_DIMENSION_LABEL,
  SURVEY_GROUP_LABEL,
  byLabel,
  type Award,
  type InputItem,
  type ScoredItem,
  type SurveyDimension,
  type SurveyGroup,
} from "./vocabulary.js";

/**
 * Validation of evaluation inputs as typed in chat or in Excel cells, shared by both so they accept
 * and refuse the same things. Pure: each parser returns the value or a Chinese reason.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** A row to append to EvaluationInput (latest per cycle, agency, item, key counts). */
export interface NewInput {
  item: InputItem;
  key: string;
  value: number | null;
  text: string | null;
}

const NUMBER = /^[+-]?\d+(\.\d{1,2})?$/;

function number(raw: string): number | null {
  const t = raw.trim().replace(/[％%]$/, "").replace(/^＋/, "+");
  return NUMBER.test(t) ? Number(t) : null;
}

export function parseScore(raw: string, rules: EvaluationRules): Parsed<number> {
  const n = number(raw);
  const full = rules.inputFullMarks;
  if (n === null || n < 0 || n > full) return { ok: false, message: `应为 0–${full} 之间的分值（最多两位小数），实际为“${raw}”` };
  return { ok: true, value: n };
}

export function parseRate(raw: string): Parsed<number> {
  const n = number(raw);
  if (n === null || n < 0 || n > 100) return { ok: false, message: `应为 0–100 之间的不满意率（百分数，最多两位小数），实际为“${raw}”` };
  return { ok: true, value: n };
}

export function parseHeadcount(raw: string): Parsed<number> {
  const t = raw.trim().replace(/人$/, "");
  if (!/^\d{1,6}$/.test(t) || Number(t) === 0) return { ok: false, message: `应为正整数人数，实际为“${raw}”` };
  return { ok: true, value: Number(t) };
}

export function parseAward(raw: string): Parsed<Award> {
  const t = raw.trim();
  const code = byLabel(AWARD_LABEL, t) ?? (AWARDS as readonly string[]).find((a) => a === t);
  if (!code) return { ok: false, message: `应为${AWARDS.map((a) => AWARD_LABEL[a]).join("、")}之一，实际为“${raw}”` };
  return { ok: true, value: code as Award };
}

export function parseGroup(raw: string): Parsed<SurveyGroup> {
  const code = byLabel(SURVEY_GROUP_LABEL, raw);
  if (!code) return { ok: false, message: `测评群体应为${Object.values(SURVEY_GROUP_LABEL).join("、")}之一，实际为“${raw}”` };
  return { ok: true, value: code };
}

export function parseDimension(raw: string): Parsed<SurveyDimension> {
  const code = byLabel(SURVEY_DIMENSION_LABEL, raw);
  if (!code) return { ok: false, message: `测评维度应为${Object.values(SURVEY_DIMENSION_LABEL).join("、")}之一，实际为“${raw}”` };
  return { ok: true, value: code };
}

/** A discipline kind configured in the rules, or 撤销 to withdraw an earlier record. */
export function parseDisciplineKind(raw: string, rules: EvaluationRules): Parsed<string> {
  const t = raw.trim();
  const kinds = Object.keys(rules.discipline.lowerTiersByKind);
  if (t === DISCIPLINE_WITHDRAWN || kinds.includes(t)) return { ok: true, value: t };
  return { ok: false, message: `记录类型应为${[...kinds, DISCIPLINE_WITHDRAWN].join("、")}之一，实际为“${raw}”` };
}

export function parseRecordNo(raw: string): Parsed<string> {
  const t = raw.trim();
  if (t.length === 0 || t.length > 60) return { ok: false, message: "记录号不能为空，且不超过 60 个字" };
  return { ok: true, value: t };
}

export const scoredInput = (item: ScoredItem, value: number, note?: string): NewInput => ({ item, key: "", value, text: encodeInputText({ note }) });
export const awardInput = (award: Award, note?: string): NewInput => ({ item: "innovation", key: "", value: null, text: encodeInputText({ code: award, note }) });
export const surveyInput = (group: SurveyGroup, dimension: SurveyDimension, rate: number, note?: string): NewInput => ({
  item: "public_survey",
  key: `${group}:${dimension}`,
  value: rate,
  text: encodeInputText({ note }),
});
export const disciplineInput = (recordNo: string, kind: string, note?: string): NewInput => ({
  item: "discipline",
  key: recordNo,
  value: null,
  text: encodeInputText({ code: kind, note }),
});
export const headcountInput = (n: number, note?: string): NewInput => ({ item: HEADCOUNT_ITEM, key: "", value: n, text: encodeInputText({ note }) });
