import type { Tx } from "../../infra/db.js";
import type { Actor } from "../people/actor.js";
import { beijingDate } from "../calendar/calendar.js";
import { InputError } from "../errors.js";
import type { PermittedTarget } from "../targets/targets.js";
import type { PdcaStage } from "../vocabulary.js";

/**
 * 台账 (§7.3): progress reports are appended, never edited. A report also keeps the target's latest
 * progress and marks quarterly milestones (§2.21) reached on time, in the same transaction.
 */
export interface ProgressInput {
  progress: number;
  note: string;
  channel: string;
  pdcaStage?: PdcaStage;
  evidence?: { kind: "link" | "file" | "media"; name: string; ref: string }[];
  /** The absent owner an officer reports for (代报). */
  onBehalfOfId?: number;
}

/** Parses "60", "60%", "６０％" into a whole percentage 0–100. */
export function parseProgress(raw: string): number {
  const s = raw.trim().replace(/[０-９]/g, (c) => String(c.charCodeAt(0) - 0xff10)).replace(/[%％]$/, "");
  if (!/^\d{1,3}$/.test(s)) throw new InputError(`进度“${raw}”不是有效的百分比。请填写 0 到 100 之间的整数，例如 60 或 60%。`, "bad_progress");
  const n = Number(s);
  if (n > 100) throw new InputError(`进度不能超过 100%（您填写的是 ${n}%）。`, "bad_progress");
  return n;
}

export const NOTE_MAX = 500;

export function validateNote(note: string): string {
  const n = note.trim();
  if (n.length < 2) throw new InputError("请补充进度说明（至少 2 个字），说明本期完成了哪些工作。", "bad_note");
  if (n.length > NOTE_MAX) throw new InputError(`进度说明最多 ${NOTE_MAX} 字，当前为 ${n.length} 字，请精简后重新提交。`, "bad_note");
  return n;
}

/** The target comes through permitReport (or getReportableTarget), so who may report was settled there. */
export async function recordProgress(tx: Tx, actor: Actor, target: PermittedTarget, input: ProgressInput, now: Date) {
  const note = validateNote(input.note);
  if (!Number.isInteger(input.progress) || input.progress < 0 || input.progress > 100) {
    throw new InputError("进度须为 0 到 100 之间的整数。", "bad_progress");
  }
  const today = beijingDate(now);
  const currentMilestone = target.milestones.find((m) => beijingDate(m.dueOn) >= today) ?? null;
  // Plain SQL for the two writes every report makes: Prisma's model create/update cost about four
  // times a raw statement in CPU (mapping the whole returned row), on the busiest path there is.
  const data = {
    targetId: target.id,
    milestoneId: currentMilestone?.id ?? null,
    reporterId: actor.id,
    onBehalfOfId: input.onBehalfOfId ?? null,
    progress: input.progress,
    value: null,
    note,
    pdcaStage: input.pdcaStage ?? "D",
    channel: input.channel,
    correctsId: null,
    createdAt: now,
  };
  const [{ id }] = await tx.$queryRaw<{ id: number }[]>`
    INSERT INTO "ProgressReport" ("targetId", "milestoneId", "reporterId", "onBehalfOfId", "progress", "note", "pdcaStage", "channel", "createdAt")
    VALUES (${data.targetId}, ${data.milestoneId}, ${data.reporterId}, ${data.onBehalfOfId}, ${data.progress}, ${data.note}, ${data.pdcaStage}, ${data.channel}, ${now})
    RETURNING "id"`;
  const report = { id: Number(id), ...data };
  if (input.evidence?.length) {
    await tx.reportEvidence.createMany({ data: input.evidence.map((e) => ({ ...e, reportId: report.id, createdAt: now })) });
  }
  // A milestone counts as met when reached by its due date; reaching it late earns nothing back (§2.23).
  const reached = target.milestones.filter((m) => !m.achievedAt && beijingDate(m.dueOn) >= today && input.progress >= m.expectedProgress);
  if (reached.length) {
    await tx.milestone.updateMany({ where: { id: { in: reached.map((m) => m.id) } }, data: { achievedAt: now } });
  }
  // Reached after its due date: still a miss, but the lists say 逾期达成 and when, not 逾期 N 天.
  const late = target.milestones.filter((m) => !m.achievedAt && !m.reachedLateAt && beijingDate(m.dueOn) < today && input.progress >= m.expectedProgress);
  if (late.length) {
    await tx.milestone.updateMany({ where: { id: { in: late.map((m) => m.id) } }, data: { reachedLateAt: now } });
  }
  const completed = input.progress === 100;
  // A new report is self-reported again until a 核查 finds it true (§2.17). updatedAt is set here as
  // Prisma's @updatedAt would.
  await tx.$executeRaw`
    UPDATE "Target" SET "progress" = ${input.progress}, "status" = ${completed ? "completed" : "in_progress"},
           "closedAt" = ${completed ? now : null}, "verifiedAt" = NULL, "updatedAt" = ${new Date()}
     WHERE "id" = ${target.id}`;
  return { report, milestonesReached: reached, completed };
}

export async function listReports(tx: Tx, targetId: number, limit = 20) {
  return tx.progressReport.findMany({
    where: { targetId },
    include: { reporter: true, onBehalfOf: true, evidence: true, milestone: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
  });
}
