import type { Tx } from "../../infra/db.js";
import { beijingDate } from "../calendar/calendar.js";
import { applyImport, type ApplyCounts, type PlannedTarget } from "./apply.js";
import { RowReader, normaliseDocumentNo, splitList } from "./cells.js";
import { checkIndicators, checkMilestones, outsideCycle } from "./details.js";
import { diffTarget, loadStoredTargets, lockProblem } from "./diff.js";
import { type Directory, agencyNotFound, checkAgencies, checkUsers, findAgencyEntry, findUserEntry, loadDirectory } from "./directory.js";
import { type ImportInput, type ImportProblem, Problems, formatProblem, sortProblems } from "./problems.js";
import { SHEETS } from "./sheets.js";
import type { CycleWindow, TargetDraft } from "./types.js";
import { onePlusSixProblems } from "../targets/one-plus-six.js";
import { looksLikeTargetCode, normaliseTargetCode } from "../targets/targets.js";
import { singleWeightProblem, weightSetProblems, type WeightedTarget } from "../targets/weights.js";
import { CATEGORY_LABEL, INSTITUTION_ITEM_LABEL, SOURCE_LABEL, TARGET_MANAGEMENT_LABEL } from "../vocabulary.js";

/**
 * Import of the 目标任务分解表 (目标制定, Fig. 1). Every row of every sheet is checked first; only a file
 * without problems is written, in the caller's transaction. Targets keep their codes across imports:
 * a row updates the target stored under (cycle, code), and an unchanged row writes nothing. Imported
 * targets start as drafts (制定) awaiting 审核 and 下达.
 */
export interface ImportOptions {
  year: number;
  /** sha256 of the file, stored as Target.importBatch on what it creates or changes. */
  sha256: string;
}

export interface ImportSummary extends ApplyCounts {
  year: number;
  targetsCreated: number;
  targetsUpdated: number;
  targetsUnchanged: number;
  /** Per agency short name: targets created or updated, now drafts awaiting review. */
  draftsByAgency: Map<string, number>;
}

export type ImportResult = { ok: true; summary: ImportSummary } | { ok: false; problems: string[] };

export async function importTargets(tx: Tx, input: ImportInput, opts: ImportOptions): Promise<ImportResult> {
  const problems = new Problems();
  checkSheets(input, problems);
  if (problems.count) return failed(input, problems.list);

  const stored = await tx.cycle.findUnique({ where: { year: opts.year } });
  const cycle: CycleWindow = stored
    ? { year: opts.year, id: stored.id, first: beijingDate(stored.startsOn), last: beijingDate(stored.endsOn) }
    : { year: opts.year, id: null, first: `${opts.year}-01-01`, last: `${opts.year}-12-31` };
  const dir = await loadDirectory(tx);
  checkAgencies(input, dir, problems);
  await checkUsers(tx, input, dir, problems);

  const { drafts, fileCodes, incomplete, members } = checkTargets(input, dir, cycle, problems);
  checkIndicators(input, fileCodes, drafts, cycle, problems);
  checkMilestones(input, fileCodes, drafts, cycle, problems);

  const storedTargets = new Map((await loadStoredTargets(tx, cycle.id, [...drafts.keys()])).map((t) => [t.code, t]));
  const planned: PlannedTarget[] = [];
  for (const draft of drafts.values()) {
    const st = storedTargets.get(draft.code);
    const diff = diffTarget(draft, st);
    const lock = st ? lockProblem(draft, st, diff, cycle.year) : null;
    if (lock) problems.add("targets", draft.row, "code", lock);
    planned.push({ draft, stored: st, diff });
  }
  await checkAgencySets(tx, cycle, dir, members, fileCodes, incomplete, problems);
  if (problems.count) return failed(input, problems.list);

  const counts = await applyImport(tx, cycle, dir, planned, opts.sha256);
  const draftsByAgency = new Map<string, number>();
  for (const p of planned.filter((x) => x.diff.action !== "unchanged")) {
    const name = dir.agencies.get(p.draft.agencyCode)!.shortName;
    draftsByAgency.set(name, (draftsByAgency.get(name) ?? 0) + 1);
  }
  const count = (a: string) => planned.filter((p) => p.diff.action === a).length;
  return {
    ok: true,
    summary: { ...counts, year: cycle.year, targetsCreated: count("create"), targetsUpdated: count("update"), targetsUnchanged: count("unchanged"), draftsByAgency },
  };
}

function failed(input: ImportInput, list: ImportProblem[]): ImportResult {
  return { ok: false, problems: sortProblems(input, list).map((p) => formatProblem(input, p)) };
}

/** The file must follow the template: known sheets, and every required column of a sheet in use. */
function checkSheets(input: ImportInput, problems: Problems): void {
  if (!SHEETS.some((s) => input[s.key].present)) {
    problems.add("targets", undefined, undefined, `文件中没有找到“${SHEETS.map((s) => s.name).join("”“")}”工作表。请使用系统生成的目标任务分解表模板填写。`);
    return;
  }
  for (const s of SHEETS) {
    if (!input[s.key].present) continue;
    const missing = s.fields.filter((f) => f.required && !input[s.key].columns[f.key]).map((f) => `“${f.header}”`);
    if (missing.length) problems.add(s.key, undefined, undefined, `第 1 行（表头）缺少${missing.join("、")}列。请使用系统生成的模板，不要删改表头。`);
  }
  if (!problems.count && SHEETS.every((s) => input[s.key].rows.length === 0)) {
    problems.add("targets", undefined, undefined, "文件中没有填写任何数据。请从第 2 行起逐行填写后重新导入。");
  }
}

function checkTargets(input: ImportInput, dir: Directory, cycle: CycleWindow, problems: Problems) {
  const drafts = new Map<string, TargetDraft>();
  const fileCodes = new Set<string>();
  const firstRow = new Map<string, number>();
  /** Agencies with a target row that has problems: their set rules would only add noise. */
  const incomplete = new Set<string>();
  const members: SetMember[] = [];
  for (const row of input.targets.rows) {
    const r = new RowReader("targets", row, problems);
    const rawCode = r.text("code", { required: true });
    const code = normaliseTargetCode(rawCode);
    if (rawCode && !looksLikeTargetCode(rawCode)) r.fail("code", `目标编号“${rawCode}”格式不正确，应为“单位代码-序号”，如 FGW-01。`);
    if (rawCode && firstRow.has(code)) r.fail("code", `目标编号 ${code} 与第 ${firstRow.get(code)} 行重复。`);
    if (rawCode) {
      fileCodes.add(code);
      if (!firstRow.has(code)) firstRow.set(code, row.row);
    }
    const agencyRef = r.text("agency", { required: true });
    const agency = agencyRef ? findAgencyEntry(dir, agencyRef) : null;
    if (agencyRef && agency === null && !dir.failed.has(agencyRef)) r.fail("agency", agencyNotFound(agencyRef));
    if (agency === "ambiguous") r.fail("agency", `“${agencyRef}”对应多个单位，请填写单位代码。`);
    const category = r.choice("category", CATEGORY_LABEL, { required: true });
    const item = r.choice("item", INSTITUTION_ITEM_LABEL, { required: category === "institution" });
    if (category === "functional" && item) r.fail("item", "职能绩效目标不填写机关建设项目。");
    const source = r.choice("source", SOURCE_LABEL, { required: category === "functional" });
    if (category === "institution" && source) r.fail("source", "机关建设目标不填写来源（“1+6+N”只适用于职能绩效目标，§6.2）。");
    const managementType = r.choice("managementType", TARGET_MANAGEMENT_LABEL, { required: true });
    const docRaw = r.text("documentNo", { max: 60 });
    const documentNo = docRaw ? normaliseDocumentNo(docRaw) : null;
    if (docRaw && !documentNo) r.fail("documentNo", `文号“${docRaw}”格式不正确，应如 黔府办发〔2026〕12号。`);
    if (managementType === "dynamic" && !docRaw) r.fail("documentNo", "动态目标须填写所依据文件的文号（§2.7），如 黔府办发〔2026〕12号。");
    const title = r.text("title", { required: true, max: 100 });
    const description = r.text("description", { max: 1000 });
    const weight = r.number("weight", { required: true, min: 0, max: 50 });
    const deadline = r.day("deadline", { required: true });
    if (deadline && (deadline < cycle.first || deadline > cycle.last)) r.fail("deadline", outsideCycle(deadline, cycle));
    const agencyCode = agency && agency !== "ambiguous" ? agency.code : null;
    const owners = agencyCode ? checkOwners(r, dir, agencyCode) : [];
    if (category && managementType && weight !== null) {
      const single = singleWeightProblem({ category, item, managementType, weight });
      if (single) r.fail("weight", single);
    }
    if (agencyCode) {
      // The set rules need only these cells; a row with other problems still counts in its agency's set.
      const usable = category && managementType && weight !== null && (category === "functional" ? source : item);
      if (usable) members.push({ agencyCode, row: row.row, code, category, item, source, managementType, weight });
      else incomplete.add(agencyCode);
    }
    if (!r.ok || !agencyCode || !category || !managementType || weight === null || !deadline) continue;
    drafts.set(code, { row: row.row, code, agencyCode, category, item, source, managementType, documentNo, title, description, weight, deadline, owners });
  }
  return { drafts, fileCodes, incomplete, members };
}

/** What the per-agency rules (1+6+N, weights) need of a row. */
interface SetMember extends WeightedTarget {
  agencyCode: string;
  row: number;
  code: string;
  source: string | null;
}

/** Owners must be active people of the target's own agency (DESIGN.md §1: staff own their agency's targets). */
function checkOwners(r: RowReader, dir: Directory, agencyCode: string): string[] {
  const accounts = new Set<string>();
  const agency = dir.agencies.get(agencyCode)!;
  for (const ref of splitList(r.text("owners"))) {
    const u = findUserEntry(dir, ref, agencyCode);
    if (u === "ambiguous") r.fail("owners", `“${ref}”对应${agency.shortName}的多名人员，请填写账号。`);
    else if (!u && dir.failed.has(ref)) continue;
    else if (!u) r.fail("owners", `未找到责任人“${ref}”。请填写${agency.shortName}人员的账号或姓名，或在“人员”表中补充。`);
    else if (u.agencyCode !== agencyCode) {
      const other = u.agencyCode ? dir.agencies.get(u.agencyCode)?.shortName ?? u.agencyCode : "省目标办";
      r.fail("owners", `责任人“${ref}”（账号 ${u.account}）属于${other}，不是${agency.shortName}的人员。`);
    } else if (!u.active) r.fail("owners", `责任人“${ref}”（账号 ${u.account}）的账号已停用。`);
    else accounts.add(u.account);
  }
  return [...accounts].sort();
}

/**
 * Per agency with functional rows in the file: the resulting set (stored targets not in the file plus
 * the file's rows) must follow “1+6+N” (§6.2) and the weight rule (targets/weights.ts). A file of only
 * 机关建设 targets is not held to 1+6+N here; 审核 and 下达 check every agency's full set.
 */
async function checkAgencySets(tx: Tx, cycle: CycleWindow, dir: Directory, members: SetMember[], fileCodes: Set<string>, incomplete: Set<string>, problems: Problems) {
  const codes = [...new Set(members.map((m) => m.agencyCode))].filter((c) => !incomplete.has(c));
  for (const agencyCode of codes) {
    const agency = dir.agencies.get(agencyCode)!;
    const mine = members.filter((m) => m.agencyCode === agencyCode);
    const others =
      cycle.id === null || agency.id === null
        ? []
        : await tx.target.findMany({
            where: { cycleId: cycle.id, agencyId: agency.id, code: { notIn: [...fileCodes] } },
            select: { category: true, item: true, source: true, managementType: true, weight: true },
          });
    const set: (WeightedTarget & { source: string | null })[] = [...others, ...mine];
    const functional = set.filter((t) => t.category === "functional");
    const firstFunctional = mine.find((m) => m.category === "functional");
    if (firstFunctional) {
      const ops = onePlusSixProblems(functional.map((t) => t.source));
      if (ops.length) {
        const rows = mine.filter((m) => m.category === "functional").map((m) => m.row);
        problems.add("targets", firstFunctional.row, "source", `${agency.shortName}的职能绩效目标不符合“1+6+N”要求（§6.2）：${ops.join("；")}。（该单位职能绩效目标在第 ${rows.join("、")} 行）`);
      }
    }
    for (const p of weightSetProblems(set)) {
      const row = p.rows[0] ?? mine[0].row;
      problems.add("targets", row, "weight", `${agency.shortName}：${p.message}${p.rows.length ? `（涉及第 ${p.rows.join("、")} 行）` : ""}`);
    }
  }
}
