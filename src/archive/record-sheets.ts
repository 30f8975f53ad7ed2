import { beijingDate } from "../domain/calendar/calendar.js";
import { APPEAL_STATUS_LABEL, VERIFICATION_METHOD_LABEL, type VerificationMethod } from "../domain/vocabulary.js";
import type { Tx } from "../infra/db.js";
import { categoryText, managementText, statusText } from "../excel/labels.js";
import { addReportSheet, excelDay, excelTime, newWorkbook, toBuffer } from "../excel/workbook.js";
import { COLUMN } from "../excel/columns.js";

/**
 * The year's records that have no export of their own yet, as workbooks for the year-end archive:
 * targets with indicators and milestones (§2.3–2.9, §2.21), appeals with their decisions (§5.3e),
 * verifications (§2.17) and evaluation inputs (§8). Each sheet lists every row, oldest first.
 */
const day = (d: Date | null) => (d ? excelDay(beijingDate(d)) : null);
const time = (d: Date | null) => (d ? excelTime(d) : null);

export async function loadTargets(tx: Tx, cycleId: number) {
  return tx.target.findMany({
    where: { cycleId },
    include: { agency: true, owners: { include: { user: true } }, indicators: { orderBy: { id: "asc" } }, milestones: { orderBy: { quarter: "asc" } } },
    orderBy: [{ agencyId: "asc" }, { code: "asc" }],
  });
}

export async function targetsWorkbook(year: number, targets: Awaited<ReturnType<typeof loadTargets>>): Promise<Buffer> {
  const wb = newWorkbook();
  addReportSheet(
    wb,
    "目标",
    `${year}年度绩效目标`,
    [
      COLUMN.agency,
      COLUMN.targetCode,
      COLUMN.targetTitleWide,
      COLUMN.category,
      { header: "管理方式", width: 22 },
      { header: "权重", width: 8, format: "number" },
      COLUMN.deadline,
      COLUMN.status,
      COLUMN.progress,
      COLUMN.owners,
      { header: "下达时间", width: 12, format: "day" },
      { header: "目标说明", width: 40 },
    ],
    targets.map((t) => [
      t.agency.name,
      t.code,
      t.title,
      categoryText(t),
      managementText(t),
      t.weight,
      day(t.deadline),
      statusText(t.status),
      t.progress,
      t.owners.map((o) => o.user.name).join("、"),
      day(t.issuedAt),
      t.description,
    ]),
  );
  addReportSheet(
    wb,
    "绩效指标",
    `${year}年度绩效指标（§2.9）`,
    [
      COLUMN.targetCode,
      { header: "指标号", width: 8 },
      { header: "上级指标号", width: 10 },
      { header: "级别", width: 8 },
      { header: "指标名称", width: 28 },
      { header: "具体要求", width: 28 },
      { header: "完成标准", width: 28 },
      { header: "时限", width: 12, format: "day" },
      { header: "目标值", width: 10, format: "number" },
      { header: "单位", width: 8 },
    ],
    targets.flatMap((t) =>
      t.indicators.map((i) => [t.code, i.id, i.parentId, ["", "一级", "二级", "三级"][i.level] ?? String(i.level), i.name, i.requirement, i.standard, day(i.deadline), i.targetValue, i.unit]),
    ),
  );
  addReportSheet(
    wb,
    "季度节点",
    `${year}年度季度节点（§2.21）`,
    [
      COLUMN.targetCode,
      { header: "季度", width: 8 },
      { header: "截止日期", width: 12, format: "day" },
      { header: "节点要求", width: 36 },
      { header: "应达进度", width: 10, format: "percent" },
      { header: "达成日期", width: 12, format: "day" },
    ],
    targets.flatMap((t) => t.milestones.map((m) => [t.code, `第${m.quarter}季度`, day(m.dueOn), m.description, m.expectedProgress, day(m.achievedAt)])),
  );
  return toBuffer(wb);
}

/** Appeals belong to the year through what they appeal: a negative-list entry, a target or a result. */
export function appealsOfCycle(cycleId: number) {
  return { OR: [{ negativeEntry: { list: { cycleId } } }, { target: { cycleId } }, { evaluation: { cycleId } }] };
}

const SUBJECT_LABEL: Record<string, string> = { negative_entry: "负面清单条目", target: "目标", evaluation: "考评结果" };

export async function appealsWorkbook(tx: Tx, year: number, cycleId: number): Promise<{ content: Buffer; appeals: number; events: number }> {
  const appeals = await tx.appeal.findMany({
    where: appealsOfCycle(cycleId),
    include: { agency: true, filer: true, decidedBy: true, target: true, negativeEntry: { include: { list: true, target: true } }, events: { include: { actor: true }, orderBy: { id: "asc" } } },
    orderBy: { id: "asc" },
  });
  const wb = newWorkbook();
  addReportSheet(
    wb,
    "申诉",
    `${year}年度目标申诉及处理结果（§5.3e）`,
    [
      COLUMN.appealNo,
      COLUMN.agency,
      { header: "申诉对象", width: 12 },
      { header: "涉及目标或条目", width: 26 },
      { header: "申诉人", width: 10 },
      { header: "提出时间", width: 17, format: "time" },
      { header: "申诉理由", width: 36 },
      { header: "处理结果", width: 10 },
      { header: "处理人", width: 10 },
      { header: "处理时间", width: 17, format: "time" },
      { header: "处理意见", width: 36 },
    ],
    appeals.map((a) => [
      a.id,
      a.agency.name,
      SUBJECT_LABEL[a.subjectType] ?? a.subjectType,
      a.negativeEntry ? `${a.negativeEntry.list.period} ${a.negativeEntry.target.code}` : (a.target?.code ?? ""),
      a.filer.name,
      time(a.filedAt),
      a.reason,
      APPEAL_STATUS_LABEL[a.status] ?? a.status,
      a.decidedBy?.name ?? "",
      time(a.decidedAt),
      a.decisionNote ?? "",
    ]),
  );
  const events = appeals.flatMap((a) => a.events.map((e) => [a.id, time(e.at), e.actor.name, e.action, e.note]));
  addReportSheet(
    wb,
    "处理记录",
    `${year}年度申诉处理记录`,
    [
      COLUMN.appealNo,
      { header: "时间", width: 17, format: "time" },
      { header: "办理人", width: 10 },
      { header: "环节", width: 10 },
      { header: "内容", width: 48 },
    ],
    events,
  );
  return { content: await toBuffer(wb), appeals: appeals.length, events: events.length };
}

export async function verificationsWorkbook(tx: Tx, year: number, cycleId: number): Promise<{ content: Buffer; rows: number }> {
  const rows = await tx.verification.findMany({
    where: { target: { cycleId } },
    include: { target: { include: { agency: true } }, milestone: true, verifier: true },
    orderBy: { id: "asc" },
  });
  const wb = newWorkbook();
  addReportSheet(
    wb,
    "目标核查",
    `${year}年度目标核查记录（§2.17）`,
    [
      { header: "核查号", width: 8 },
      COLUMN.agency,
      COLUMN.targetCode,
      COLUMN.milestone,
      { header: "核查方式", width: 14 },
      { header: "核查结论", width: 10 },
      COLUMN.finding,
      COLUMN.verifier,
      COLUMN.verifiedAt,
    ],
    rows.map((v) => [
      v.id,
      v.target.agency.name,
      v.target.code,
      v.milestone ? `第${v.milestone.quarter}季度` : "",
      VERIFICATION_METHOD_LABEL[v.method as VerificationMethod] ?? v.method,
      v.result === "confirmed" ? "属实" : "不属实",
      v.finding,
      v.verifier.name,
      time(v.createdAt),
    ]),
  );
  return { content: await toBuffer(wb), rows: rows.length };
}

export async function evaluationInputsWorkbook(tx: Tx, year: number, cycleId: number): Promise<{ content: Buffer; rows: number }> {
  const rows = await tx.evaluationInput.findMany({ where: { cycleId }, include: { agency: true, enteredBy: true }, orderBy: { id: "asc" } });
  const wb = newWorkbook();
  addReportSheet(
    wb,
    "考评数据",
    `${year}年度目标考评录入数据（§8，逐次记录，同一项以最后一次为准）`,
    [
      COLUMN.recordNo,
      COLUMN.agency,
      { header: "项目", width: 16 },
      { header: "细项", width: 16 },
      { header: "分值", width: 10, format: "number" },
      { header: "内容", width: 30 },
      { header: "来源", width: 10 },
      { header: "录入人", width: 10 },
      { header: "录入时间", width: 17, format: "time" },
    ],
    rows.map((r) => [r.id, r.agency.name, r.item, r.key, r.value, r.text ?? "", r.source, r.enteredBy?.name ?? "", time(r.createdAt)]),
  );
  return { content: await toBuffer(wb), rows: rows.length };
}
