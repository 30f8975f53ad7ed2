import { inChunks } from "../../infra/chunks.js";
import type { Tx } from "../../infra/db.js";
import { beijingDate } from "../calendar/calendar.js";
import type { IndicatorDraft, MilestoneDraft, TargetDraft } from "./types.js";
import { TARGET_STATUS_LABEL, type TargetStatus } from "../vocabulary.js";

/**
 * Compares each target row with what is stored under the same (cycle, code), so re-importing a file
 * changes nothing and only real changes are written. Issued targets (下达 and later, Fig. 1) are
 * locked: a file may repeat them unchanged but not alter them.
 */
export async function loadStoredTargets(tx: Tx, cycleId: number | null, codes: string[]) {
  if (cycleId === null || codes.length === 0) return [];
  // In chunks: a province's file has more codes than one statement with ordered includes may carry (P2029).
  return inChunks(codes, (chunk) =>
    tx.target.findMany({
      where: { cycleId, code: { in: chunk } },
      include: {
        agency: true,
        owners: { include: { user: { select: { account: true } } } },
        indicators: { orderBy: { id: "asc" } },
        milestones: { orderBy: { quarter: "asc" } },
      },
    }),
  );
}

export type StoredTarget = Awaited<ReturnType<typeof loadStoredTargets>>[number];

export const EDITABLE_STATUSES: TargetStatus[] = ["draft", "reviewed"];

export type TargetAction = "create" | "update" | "unchanged";

export interface TargetDiff {
  action: TargetAction;
  /** Chinese names of what differs, for the lock message and the summary. */
  changes: string[];
  indicatorsChanged: boolean;
  milestonesChanged: boolean;
  ownersChanged: boolean;
}

const FIELD_LABEL: Record<string, string> = {
  agency: "单位",
  category: "目标类别",
  item: "机关建设项目",
  source: "来源",
  managementType: "管理方式",
  documentNo: "文号",
  title: "目标名称",
  description: "目标要求",
  weight: "权重",
  deadline: "完成时限",
};

function draftFields(d: TargetDraft): Record<string, unknown> {
  const { agencyCode, category, item, source, managementType, documentNo, title, description, weight, deadline } = d;
  return { agency: agencyCode, category, item, source, managementType, documentNo, title, description, weight, deadline };
}

function storedFields(t: StoredTarget): Record<string, unknown> {
  const { category, item, source, managementType, documentNo, title, description, weight } = t;
  return { agency: t.agency.code, category, item, source, managementType, documentNo, title, description, weight, deadline: beijingDate(t.deadline) };
}

/** Indicators compared as a multiset of (ancestor names, level, content): ids and codes are not stored. */
function indicatorPrint(list: { key: string; parentKey: string | null; level: number; name: string; requirement: string; standard: string; deadline: string | null; targetValue: number | null; unit: string | null }[]): string {
  const byKey = new Map(list.map((i) => [i.key, i]));
  const path = (i: (typeof list)[number]): string[] => {
    const parent = i.parentKey ? byKey.get(i.parentKey) : undefined;
    return parent ? [...path(parent), parent.name] : [];
  };
  return JSON.stringify(
    list.map((i) => JSON.stringify([path(i), i.level, i.name, i.requirement, i.standard, i.deadline, i.targetValue, i.unit ?? null])).sort(),
  );
}

function draftIndicators(list: IndicatorDraft[]): string {
  return indicatorPrint(list.map((i) => ({ ...i, key: i.code, parentKey: i.parentCode })));
}

function storedIndicators(t: StoredTarget): string {
  return indicatorPrint(
    t.indicators.map((i) => ({ ...i, key: String(i.id), parentKey: i.parentId === null ? null : String(i.parentId), deadline: i.deadline ? beijingDate(i.deadline) : null })),
  );
}

function milestonePrint(list: { quarter: number; dueOn: string; expectedProgress: number; description: string }[]): string {
  return JSON.stringify([...list].sort((a, b) => a.quarter - b.quarter).map((m) => [m.quarter, m.dueOn, m.expectedProgress, m.description]));
}

function draftMilestones(list: MilestoneDraft[]): string {
  return milestonePrint(list);
}

function storedMilestones(t: StoredTarget): string {
  return milestonePrint(t.milestones.map((m) => ({ ...m, dueOn: beijingDate(m.dueOn) })));
}

export function diffTarget(d: TargetDraft, stored: StoredTarget | undefined): TargetDiff {
  if (!stored) return { action: "create", changes: [], indicatorsChanged: Boolean(d.indicators), milestonesChanged: Boolean(d.milestones), ownersChanged: d.owners.length > 0 };
  const a = draftFields(d);
  const b = storedFields(stored);
  const changes = Object.keys(a).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).map((k) => FIELD_LABEL[k]);
  const ownersChanged = d.owners.join(",") !== stored.owners.map((o) => o.user.account).sort().join(",");
  const indicatorsChanged = d.indicators !== undefined && draftIndicators(d.indicators) !== storedIndicators(stored);
  const milestonesChanged = d.milestones !== undefined && draftMilestones(d.milestones) !== storedMilestones(stored);
  if (ownersChanged) changes.push("责任人");
  if (indicatorsChanged) changes.push("指标");
  if (milestonesChanged) changes.push("季度节点");
  return { action: changes.length ? "update" : "unchanged", changes, indicatorsChanged, milestonesChanged, ownersChanged };
}

/** Why a stored target may not take the row's changes, or null when it may. */
export function lockProblem(d: TargetDraft, stored: StoredTarget, diff: TargetDiff, year: number): string | null {
  if (stored.agency.code !== d.agencyCode) {
    return `目标编号 ${d.code} 在 ${year} 年度已用于${stored.agency.shortName}的目标“${stored.title}”，不能改作其他单位的目标，请换用其他编号。`;
  }
  if (diff.action === "update" && !EDITABLE_STATUSES.includes(stored.status as TargetStatus)) {
    const status = TARGET_STATUS_LABEL[stored.status as TargetStatus] ?? stored.status;
    return `目标 ${d.code} 已下达（当前状态：${status}），不能通过导入修改（本行改动了：${diff.changes.join("、")}）。如确需调整，请将本行恢复为系统中的内容，或依据文件另行下达动态目标（§2.7）。`;
  }
  return null;
}
