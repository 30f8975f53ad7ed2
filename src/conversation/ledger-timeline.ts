import { beijingDate, chineseDate } from "../domain/calendar/calendar.js";
import { missName } from "../domain/care/improvements.js";
import { listReports } from "../domain/ledger/progress-reports.js";
import { latestVerifications } from "../domain/ledger/verification.js";
import { PDCA_LABEL, type PdcaStage, VERIFICATION_METHOD_LABEL, type VerificationMethod } from "../domain/vocabulary.js";
import type { Tx } from "../infra/db.js";
import { timeText } from "./format.js";

/**
 * A target's 台账 (§7.3) read as one PDCA cycle (§2.18), every entry with its stage:
 * P 计划 — the target as issued (deadline, milestones); D 执行 — each progress report;
 * C 检查 — each 核查 (§2.17) and each miss found (a milestone or deadline not met);
 * A 处理改进 — the owner's 原因分析 and 改进措施 (§7.2).
 */
export interface TimelineEntry {
  at: Date;
  stage: PdcaStage;
  text: string;
}

export async function targetTimeline(
  tx: Tx,
  t: { id: number; deadline: Date; issuedAt: Date | null; milestones: unknown[] },
  limit = 20,
): Promise<TimelineEntry[]> {
  const entries: TimelineEntry[] = [];
  const line = (stage: PdcaStage, ...parts: string[]) => [PDCA_LABEL[stage], ...parts].join("｜");
  if (t.issuedAt) {
    entries.push({ at: t.issuedAt, stage: "P", text: `· ${timeText(t.issuedAt)}｜${line("P", `目标下达：完成时限${day(t.deadline)}，季度节点 ${t.milestones.length} 个`)}` });
  }
  for (const r of await listReports(tx, t.id, limit)) {
    const who = r.onBehalfOf ? `${r.reporter.name}（代${r.onBehalfOf.name}）` : r.reporter.name;
    const evidence = r.evidence.length ? `｜佐证：${r.evidence.map((e) => e.name).join("、")}` : "";
    const stage = (r.pdcaStage in PDCA_LABEL ? r.pdcaStage : "D") as PdcaStage;
    entries.push({ at: r.createdAt, stage, text: `${r.id}. ${timeText(r.createdAt)}｜${line(stage, who, `${r.progress}%`, r.note)}${evidence}` });
  }
  for (const v of await latestVerifications(tx, t.id, limit)) {
    const how = `${VERIFICATION_METHOD_LABEL[v.method as VerificationMethod] ?? v.method}${v.milestone ? `（第${"一二三四"[v.milestone.quarter - 1]}季度节点）` : ""}`;
    entries.push({ at: v.createdAt, stage: "C", text: `· ${timeText(v.createdAt)}｜${line("C", v.verifier.name, how, v.result === "confirmed" ? "属实" : "不属实", v.finding)}` });
  }
  const improvements = await tx.improvement.findMany({ where: { targetId: t.id }, include: { milestone: true, author: true }, orderBy: { id: "asc" } });
  for (const i of improvements) {
    const missed = i.milestone ? `${missName(i)}（${day(i.dueOn)}）未按期达成` : `完成时限（${day(i.dueOn)}）已过未完成`;
    entries.push({ at: i.requestedAt, stage: "C", text: `· ${timeText(i.requestedAt)}｜${line("C", `${missed}，请责任人分析原因、提出改进措施`)}` });
    if (i.answeredAt) {
      const what = i.milestone ? `${missName(i)}未按期达成` : "完成时限已过未完成";
      entries.push({
        at: i.answeredAt,
        stage: "A",
        text: `· ${timeText(i.answeredAt)}｜${line("A", i.author?.name ?? "", what, `原因分析：${i.cause}；改进措施：${i.measures}`)}`,
      });
    }
  }
  // Newest first; at the same moment the later stage first (an answer after its request).
  const order = "PDCA";
  entries.sort((a, b) => b.at.getTime() - a.at.getTime() || order.indexOf(b.stage) - order.indexOf(a.stage));
  return entries.slice(0, limit);
}

function day(d: Date): string {
  return chineseDate(beijingDate(d));
}
