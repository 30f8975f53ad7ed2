import { z } from "zod";
import { beijingDate, chineseDate, daysBetween } from "../calendar/calendar.js";

/**
 * 预警 traffic lights (§7.4 实时监督): green — on track; yellow — due within the warning period and
 * behind its expected progress; red — overdue or reported not completed. The periods live in the
 * `warnings` section of rules/<year>.json (documented in rules/README.md), because the standard asks
 * for warnings but names no number of days.
 */
export const warningRulesSchema = z.object({
  /** A quarterly milestone (§2.21) turns yellow this many days before its due date while behind. */
  milestoneWarningDays: z.number().int().nonnegative().default(15),
  /** A target turns yellow this many days before its deadline while not yet at 100%. */
  targetWarningDays: z.number().int().nonnegative().default(30),
  /**
   * A quarterly milestone missed earlier in the year keeps its target red, as 统计 counts it under
   * 逾期 and the negative list (§2.23) has already recorded it.
   */
  missedMilestoneKeepsTargetRed: z.boolean().default(true),
});

export type WarningRules = z.infer<typeof warningRulesSchema>;
export const DEFAULT_WARNING_RULES: WarningRules = warningRulesSchema.parse({});

export type Light = "green" | "yellow" | "red";

export const LIGHT_EMOJI: Record<Light, string> = { green: "🟢", yellow: "🟡", red: "🔴" };
export const LIGHT_LABEL: Record<Light, string> = { green: "正常", yellow: "预警", red: "逾期" };
/** One line for replies that show lights, so every reader learns the colours the same way. */
export const LIGHT_LEGEND = "🟢 正常　🟡 预警（临近时限且进度落后）　🔴 逾期或未完成";

export interface LightResult {
  light: Light;
  /** Why, in a few Chinese words, e.g. "第四季度节点12月31日前应达100%，当前75%". */
  reason: string;
}

export interface MilestoneLike {
  quarter: number;
  dueOn: Date;
  expectedProgress: number;
  achievedAt: Date | null;
}

export interface TargetLike {
  status: string;
  deadline: Date;
  progress: number;
  milestones: MilestoneLike[];
}

const QUARTER = "一二三四";

function milestoneName(m: MilestoneLike): string {
  return `第${QUARTER[m.quarter - 1] ?? m.quarter}季度节点`;
}

/** A milestone's light on a Beijing date, given its target's latest reported progress. */
export function milestoneLight(m: MilestoneLike, progress: number, today: string, rules: WarningRules = DEFAULT_WARNING_RULES): LightResult {
  const due = beijingDate(m.dueOn);
  if (m.achievedAt) return { light: "green", reason: `${milestoneName(m)}已达成` };
  if (due < today) return { light: "red", reason: `${milestoneName(m)}${chineseDate(due)}到期未达成` };
  if (daysBetween(today, due) <= rules.milestoneWarningDays && progress < m.expectedProgress) {
    return { light: "yellow", reason: `${milestoneName(m)}${chineseDate(due)}前应达${m.expectedProgress}%，当前${progress}%` };
  }
  return { light: "green", reason: "按计划推进" };
}

/**
 * A target's light: red wins over yellow, yellow over green. A completed target is green; one the
 * office closed as 未完成 is red for the rest of the year.
 */
export function targetLight(t: TargetLike, today: string, rules: WarningRules = DEFAULT_WARNING_RULES): LightResult {
  if (t.status === "completed") return { light: "green", reason: "已完成" };
  if (t.status === "not_completed") return { light: "red", reason: "已确认未完成" };
  const deadline = beijingDate(t.deadline);
  if (deadline < today) return { light: "red", reason: `已过完成时限（${chineseDate(deadline)}）` };
  const sorted = [...t.milestones].sort((a, b) => a.quarter - b.quarter);
  const lights = sorted.map((m) => milestoneLight(m, t.progress, today, rules));
  const missed = lights.find((l) => l.light === "red");
  if (missed && rules.missedMilestoneKeepsTargetRed) return missed;
  const left = daysBetween(today, deadline);
  if (left <= rules.targetWarningDays && t.progress < 100) {
    return { light: "yellow", reason: `距完成时限（${chineseDate(deadline)}）还有${left}天，当前${t.progress}%` };
  }
  const warned = lights.find((l) => l.light === "yellow");
  if (warned) return warned;
  return { light: "green", reason: "按计划推进" };
}

export interface LightCounts {
  green: number;
  yellow: number;
  red: number;
}

export function countLights(targets: TargetLike[], today: string, rules?: WarningRules): LightCounts {
  const c: LightCounts = { green: 0, yellow: 0, red: 0 };
  for (const t of targets) c[targetLight(t, today, rules).light] += 1;
  return c;
}
