import type { Category, InstitutionItem, Source, TargetManagement } from "../vocabulary.js";

/** A target row of the 目标任务分解表 once every cell has been read and checked. */
export interface TargetDraft {
  row: number;
  code: string;
  agencyCode: string;
  category: Category;
  item: InstitutionItem | null;
  source: Source | null;
  managementType: TargetManagement;
  documentNo: string | null;
  title: string;
  description: string;
  weight: number;
  /** Beijing date, e.g. "2026-12-20". */
  deadline: string;
  /** Owner accounts, sorted. */
  owners: string[];
  /** Present only when the 指标 sheet has rows for this target (then they are its full set). */
  indicators?: IndicatorDraft[];
  /** Present only when the 季度节点 sheet has rows for this target. */
  milestones?: MilestoneDraft[];
}

export interface IndicatorDraft {
  row: number;
  code: string;
  level: 1 | 2 | 3;
  parentCode: string | null;
  name: string;
  requirement: string;
  standard: string;
  deadline: string | null;
  targetValue: number | null;
  unit: string | null;
}

export interface MilestoneDraft {
  row: number;
  quarter: 1 | 2 | 3 | 4;
  dueOn: string;
  expectedProgress: number;
  description: string;
}

/** The cycle (考评周期 §2.20) the file is imported into, as Beijing dates. */
export interface CycleWindow {
  year: number;
  id: number | null;
  first: string;
  last: string;
}
