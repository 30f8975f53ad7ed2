import { beijingDate } from "../domain/calendar/calendar.js";
import type { LedgerTarget } from "../domain/supervision/exports.js";
import { missName } from "../domain/care/improvements.js";
import { completionSource } from "../domain/ledger/verification.js";
import { PDCA_LABEL, VERIFICATION_METHOD_LABEL, type PdcaStage, type VerificationMethod } from "../domain/vocabulary.js";
import { CHANNEL_LABEL, EVIDENCE_LABEL, QUARTER_TEXT, categoryText, managementText, statusText } from "./labels.js";
import { addReportSheet, excelDay, excelTime, newWorkbook, toBuffer } from "./workbook.js";
import { COLUMN } from "./columns.js";

/**
 * An agency's 台账 (§7.3) as a workbook: the targets, every progress record (append-only, corrections
 * shown as the record they correct), every piece of evidence with its reference and checksum, and every
 * 核查 finding (§2.17) — a completion shows whether it was verified or self-reported.
 */
export async function ledgerWorkbook(agency: { name: string }, year: number, targets: LedgerTarget[], now: Date): Promise<Buffer> {
  const wb = newWorkbook();
  const stamp = `导出时间 ${beijingDate(now)}`;
  addReportSheet(
    wb,
    "目标",
    `${agency.name}${year}年度目标一览（${stamp}）`,
    [
      COLUMN.targetCode,
      COLUMN.targetTitleWide,
      COLUMN.category,
      { header: "管理方式", width: 18 },
      COLUMN.status,
      { header: "当前进度", width: 10, format: "percent" },
      COLUMN.deadline,
      COLUMN.owners,
      { header: "台账记录数", width: 10 },
      { header: "完成核查", width: 10 },
    ],
    targets.map((t) => [
      t.code,
      t.title,
      categoryText(t),
      managementText(t),
      statusText(t.status),
      t.progress,
      excelDay(beijingDate(t.deadline)),
      t.owners.map((o) => o.user.name).join("、"),
      t.reports.length,
      verificationText(t),
    ]),
  );
  addReportSheet(
    wb,
    "台账",
    `${agency.name}${year}年度目标台账（${stamp}）`,
    [
      COLUMN.targetCode,
      COLUMN.targetTitle,
      COLUMN.recordNo,
      { header: "汇报时间", width: 17, format: "time" },
      { header: "汇报人", width: 10 },
      { header: "代报对象", width: 10 },
      COLUMN.progress,
      { header: "数值", width: 10, format: "number" },
      COLUMN.pdcaStage,
      { header: "进度说明", width: 40 },
      { header: "对应季度节点", width: 12 },
      { header: "更正记录号", width: 10 },
      { header: "渠道", width: 10 },
      { header: "佐证材料", width: 30 },
    ],
    targets.flatMap((t) =>
      t.reports.map((r) => [
        t.code,
        t.title,
        r.id,
        excelTime(r.createdAt),
        r.reporter.name,
        r.onBehalfOf?.name ?? null,
        r.progress,
        r.value,
        PDCA_LABEL[r.pdcaStage as PdcaStage] ?? r.pdcaStage,
        r.note,
        r.milestone ? QUARTER_TEXT[r.milestone.quarter - 1] : null,
        r.correctsId,
        CHANNEL_LABEL[r.channel] ?? r.channel,
        r.evidence.map((e) => e.name).join("、") || null,
      ]),
    ),
  );
  addReportSheet(
    wb,
    "佐证材料",
    `${agency.name}${year}年度台账佐证材料（${stamp}）`,
    [
      COLUMN.recordNo,
      COLUMN.targetCode,
      { header: "类型", width: 12 },
      { header: "名称", width: 30 },
      { header: "链接或存储编号", width: 40 },
      { header: "SHA-256", width: 30 },
      { header: "提交时间", width: 17, format: "time" },
    ],
    targets.flatMap((t) =>
      t.reports.flatMap((r) => r.evidence.map((e) => [r.id, t.code, EVIDENCE_LABEL[e.kind] ?? e.kind, e.name, e.ref, e.sha256, excelTime(e.createdAt)])),
    ),
  );
  addReportSheet(
    wb,
    "核查记录",
    `${agency.name}${year}年度目标核查记录（${stamp}）`,
    [
      COLUMN.targetCode,
      { header: "核查对象", width: 12 },
      COLUMN.verifiedAt,
      COLUMN.verifier,
      { header: "核查方式", width: 12 },
      { header: "结论", width: 8 },
      COLUMN.finding,
    ],
    targets.flatMap((t) =>
      t.verifications.map((v) => [
        t.code,
        v.milestone ? `${QUARTER_TEXT[v.milestone.quarter - 1]}节点` : "目标",
        excelTime(v.createdAt),
        v.verifier.name,
        VERIFICATION_METHOD_LABEL[v.method as VerificationMethod] ?? v.method,
        v.result === "confirmed" ? "属实" : "不属实",
        v.finding,
      ]),
    ),
  );
  addImprovementSheet(wb, agency, year, targets, stamp);
  return toBuffer(wb);
}

/** 已核查 or 自报 for a completed target (§2.17); 核查不属实 when the latest finding on it took completion back. */
function verificationText(t: LedgerTarget): string | null {
  if (t.status === "completed") return completionSource(t.verifiedAt);
  const last = t.verifications.filter((v) => v.milestoneId === null).at(-1);
  return last?.result === "not_confirmed" ? "核查不属实" : null;
}

/** §7.2 改进措施: every miss found (检查, C) and the owner's answer (处理改进, A), PDCA §2.18. */
function addImprovementSheet(wb: ReturnType<typeof newWorkbook>, agency: { name: string }, year: number, targets: LedgerTarget[], stamp: string): void {
  addReportSheet(
    wb,
    "改进措施",
    `${agency.name}${year}年度原因分析和改进措施（${stamp}）`,
    [
      COLUMN.targetCode,
      COLUMN.targetTitle,
      { header: "未达成事项", width: 14 },
      COLUMN.dueOn,
      COLUMN.pdcaStage,
      { header: "原因分析", width: 40 },
      { header: "改进措施", width: 40 },
      { header: "填报人", width: 10 },
      { header: "填报时间", width: 17, format: "time" },
    ],
    targets.flatMap((t) =>
      t.improvements.map((i) => [
        t.code,
        t.title,
        missName(i),
        excelDay(beijingDate(i.dueOn)),
        i.answeredAt ? PDCA_LABEL.A : PDCA_LABEL.C,
        i.cause ?? "未填报",
        i.measures ?? "未填报",
        i.author?.name ?? null,
        i.answeredAt ? excelTime(i.answeredAt) : null,
      ]),
    ),
  );
}
