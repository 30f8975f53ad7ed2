import { type Quarter, chineseDate, quarterRange } from "../calendar/calendar.js";
import { RowReader } from "./cells.js";
import type { ImportInput, Problems } from "./problems.js";
import { LEVEL_LABELS, QUARTER_LABELS } from "./sheets.js";
import type { CycleWindow, IndicatorDraft, MilestoneDraft, TargetDraft } from "./types.js";
import { normaliseTargetCode } from "../targets/targets.js";

/**
 * The 指标 (§2.9, up to three levels) and 季度节点 (§2.21) sheets. Rows name their target by code; the
 * target must be in the same file, so a target and its details are always checked together.
 */
const LEVELS = { "1": LEVEL_LABELS[0], "2": LEVEL_LABELS[1], "3": LEVEL_LABELS[2] };
const LEVEL_ALIASES: Record<string, "1" | "2" | "3"> = { 一级指标: "1", 二级指标: "2", 三级指标: "3", 一: "1", 二: "2", 三: "3" };
const QUARTERS = { "1": QUARTER_LABELS[0], "2": QUARTER_LABELS[1], "3": QUARTER_LABELS[2], "4": QUARTER_LABELS[3] };
const QUARTER_ALIASES: Record<string, "1" | "2" | "3" | "4"> = Object.fromEntries(
  (["1", "2", "3", "4"] as const).flatMap((q) => [[`Q${q}`, q], [`q${q}`, q], [`${q}季度`, q], [`第${q}季度`, q], [`${"一二三四"[Number(q) - 1]}季度`, q]]),
);

/** Finds the target a detail row belongs to; reports a code that is not in the 目标 sheet. */
function ownerTarget(r: RowReader, fileCodes: Set<string>, targets: Map<string, TargetDraft>, what: string): { code: string; target?: TargetDraft } | null {
  const raw = r.text("target", { required: true });
  if (!raw) return null;
  const code = normaliseTargetCode(raw);
  if (!fileCodes.has(code)) return r.fail("target", `目标编号 ${code} 不在本文件“目标”表中。${what}须与其目标一并导入。`);
  return { code, target: targets.get(code) };
}

export function checkIndicators(input: ImportInput, fileCodes: Set<string>, targets: Map<string, TargetDraft>, cycle: CycleWindow, problems: Problems): void {
  const byTarget = new Map<string, IndicatorDraft[]>();
  for (const row of input.indicators.rows) {
    const r = new RowReader("indicators", row, problems);
    const owner = ownerTarget(r, fileCodes, targets, "指标");
    const code = r.text("code", { required: true, max: 20 });
    const levelKey = r.choice("level", LEVELS, { required: true, aliases: LEVEL_ALIASES });
    const level = levelKey ? (Number(levelKey) as 1 | 2 | 3) : null;
    const parentCode = r.text("parent", { max: 20 }) || null;
    if (level === 1 && parentCode) r.fail("parent", "一级指标不填写上级指标编号。");
    if (level && level > 1 && !parentCode) r.fail("parent", `${LEVEL_LABELS[level - 1]}指标须填写上级指标编号。`);
    const name = r.text("name", { required: true, max: 200 });
    const requirement = r.text("requirement", { max: 500 });
    const standard = r.text("standard", { max: 500 });
    const deadline = r.day("deadline");
    if (deadline && (deadline < cycle.first || deadline > cycle.last)) r.fail("deadline", outsideCycle(deadline, cycle));
    else if (deadline && owner?.target && deadline > owner.target.deadline) {
      r.fail("deadline", `指标完成时限（${chineseDate(deadline)}）晚于目标完成时限（${chineseDate(owner.target.deadline)}）。`);
    }
    const targetValue = r.number("targetValue");
    const unit = r.text("unit", { max: 20 }) || null;
    if (!owner || !level) continue;
    const list = byTarget.get(owner.code) ?? [];
    const twin = list.find((i) => i.code === code);
    if (twin) r.fail("code", `指标编号“${code}”在目标 ${owner.code} 中与第 ${twin.row} 行重复。`);
    list.push({ row: row.row, code, level, parentCode, name, requirement, standard, deadline, targetValue, unit });
    byTarget.set(owner.code, list);
  }
  for (const [code, list] of byTarget) {
    for (const i of list) {
      if (i.level === 1 || !i.parentCode) continue;
      const parent = list.find((p) => p.code === i.parentCode);
      if (!parent) problems.add("indicators", i.row, "parent", `上级指标“${i.parentCode}”不在目标 ${code} 的指标中。`);
      else if (parent.level !== i.level - 1) {
        problems.add("indicators", i.row, "parent", `上级指标“${i.parentCode}”是${LEVEL_LABELS[parent.level - 1]}指标，${LEVEL_LABELS[i.level - 1]}指标的上级应为${LEVEL_LABELS[i.level - 2]}指标。`);
      }
    }
    const target = targets.get(code);
    if (target) target.indicators = list;
  }
}

export function checkMilestones(input: ImportInput, fileCodes: Set<string>, targets: Map<string, TargetDraft>, cycle: CycleWindow, problems: Problems): void {
  const byTarget = new Map<string, MilestoneDraft[]>();
  for (const row of input.milestones.rows) {
    const r = new RowReader("milestones", row, problems);
    const owner = ownerTarget(r, fileCodes, targets, "季度节点");
    const qKey = r.choice("quarter", QUARTERS, { required: true, aliases: QUARTER_ALIASES });
    const quarter = qKey ? (Number(qKey) as Quarter["quarter"]) : null;
    const dueOn = r.day("dueOn", { required: true });
    if (dueOn && quarter) {
      const range = quarterRange({ year: cycle.year, quarter });
      if (dueOn < range.first || dueOn > range.last) {
        r.fail("dueOn", `截止日期 ${dueOn} 不在 ${cycle.year} 年${QUARTER_LABELS[quarter - 1]}（${chineseDate(range.first)}至${chineseDate(range.last)}）内。`);
      } else if (owner?.target && dueOn > owner.target.deadline) {
        r.fail("dueOn", `截止日期（${chineseDate(dueOn)}）晚于目标完成时限（${chineseDate(owner.target.deadline)}）。`);
      }
    }
    const expectedProgress = r.number("expectedProgress", { required: true, min: 0, max: 100, integer: true, percent: true });
    const description = r.text("description", { required: true, max: 300 });
    if (!owner || !quarter || !dueOn || expectedProgress === null) continue;
    const list = byTarget.get(owner.code) ?? [];
    const twin = list.find((m) => m.quarter === quarter);
    if (twin) r.fail("quarter", `目标 ${owner.code} 的${QUARTER_LABELS[quarter - 1]}节点与第 ${twin.row} 行重复，每项目标每季度只填一行。`);
    else list.push({ row: row.row, quarter, dueOn, expectedProgress, description });
    byTarget.set(owner.code, list);
  }
  for (const [code, list] of byTarget) {
    list.sort((a, b) => a.quarter - b.quarter);
    // Progress only grows over the year (§2.21 季度管理): a later quarter never expects less.
    for (let i = 1; i < list.length; i++) {
      const [prev, cur] = [list[i - 1], list[i]];
      if (cur.expectedProgress < prev.expectedProgress) {
        problems.add("milestones", cur.row, "expectedProgress", `${QUARTER_LABELS[cur.quarter - 1]}应达进度 ${cur.expectedProgress}% 低于${QUARTER_LABELS[prev.quarter - 1]}的 ${prev.expectedProgress}%，应逐季度不减。`);
      }
    }
    const target = targets.get(code);
    if (target) target.milestones = list;
  }
}

export function outsideCycle(day: string, cycle: CycleWindow): string {
  return `日期 ${day} 不在 ${cycle.year} 年度考评周期（${chineseDate(cycle.first)}至${chineseDate(cycle.last)}，§2.20）内。`;
}
