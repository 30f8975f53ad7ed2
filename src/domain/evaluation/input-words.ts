import { InputError } from "../errors.js";
import { decodeInputText } from "./input-text.js";
import {
  awardInput,
  disciplineInput,
  headcountInput,
  parseAward,
  parseDimension,
  parseDisciplineKind,
  parseGroup,
  parseHeadcount,
  parseRate,
  parseRecordNo,
  parseScore,
  scoredInput,
  surveyInput,
  type NewInput,
  type Parsed,
} from "./input-values.js";
import type { EvaluationRules } from "./rules-schema.js";
import {
  AWARD_LABEL,
  DISCIPLINE_WITHDRAWN,
  INPUT_ITEM_LABEL,
  SURVEY_DIMENSION_LABEL,
  SURVEY_GROUP_LABEL,
  type Award,
  type InputItem,
  type SurveyDimension,
  type SurveyGroup,
} from "./vocabulary.js";

/** The words after "考评录入 <单位> <项目>" for each item, as shown when they are wrong. */
export function itemForm(item: InputItem, rules: EvaluationRules): string {
  const label = INPUT_ITEM_LABEL[item];
  switch (item) {
    case "innovation":
      return `${label} <${Object.values(AWARD_LABEL).join("|")}> [说明]`;
    case "public_survey":
      return `${label} <测评群体> <测评维度> <不满意率%> [说明]`;
    case "discipline":
      return `${label} <记录号> <${[...Object.keys(rules.discipline.lowerTiersByKind), DISCIPLINE_WITHDRAWN].join("|")}> [说明]`;
    case "headcount":
      return `${label} <人数> [说明]`;
    default:
      return `${label} <0–${rules.inputFullMarks} 分> [说明]`;
  }
}

/** Parses `words` (after the item) into the record to append, or explains what is wrong. */
export function inputFromWords(item: InputItem, words: string[], rules: EvaluationRules): NewInput {
  const take = <T>(p: Parsed<T>): T => {
    if (!p.ok) throw new InputError(`${INPUT_ITEM_LABEL[item]}：${p.message}。\n格式：考评录入 <单位> ${itemForm(item, rules)}`);
    return p.value;
  };
  const need = (n: number) => {
    if (words.length < n) throw new InputError(`${INPUT_ITEM_LABEL[item]}的录入内容不完整。\n格式：考评录入 <单位> ${itemForm(item, rules)}`);
  };
  const note = (from: number) => words.slice(from).join(" ") || undefined;
  switch (item) {
    case "innovation":
      need(1);
      return awardInput(take(parseAward(words[0])), note(1));
    case "public_survey":
      need(3);
      return surveyInput(take(parseGroup(words[0])), take(parseDimension(words[1])), take(parseRate(words[2])), note(3));
    case "discipline":
      need(2);
      return disciplineInput(take(parseRecordNo(words[0])), take(parseDisciplineKind(words[1], rules)), note(2));
    case "headcount":
      need(1);
      return headcountInput(take(parseHeadcount(words[0])), note(1));
    default:
      need(1);
      return scoredInput(item, take(parseScore(words[0], rules)), note(1));
  }
}

/** "95 分", "二等奖", "社会公众·办事效率 不满意率 12%", "通报批评" — for replies. */
export function describeInput(r: { item: string; key: string; value: number | null; text: string | null }): string {
  const t = decodeInputText(r.text);
  const note = t.note ? `（${t.note}）` : "";
  switch (r.item) {
    case "innovation":
      return `${AWARD_LABEL[t.code as Award] ?? t.code}${note}`;
    case "public_survey": {
      const [g, d] = r.key.split(":");
      return `${SURVEY_GROUP_LABEL[g as SurveyGroup]}·${SURVEY_DIMENSION_LABEL[d as SurveyDimension]} 不满意率 ${r.value}%${note}`;
    }
    case "discipline":
      return `记录 ${r.key}：${t.code}${note}`;
    case "headcount":
      return `${r.value} 人${note}`;
    default:
      return `${r.value} 分${note}`;
  }
}
