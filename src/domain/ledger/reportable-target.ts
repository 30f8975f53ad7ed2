import type { Tx } from "../../infra/db.js";
import type { Actor } from "../people/actor.js";
import { assertVisible, normaliseTargetCode, permitReport, type PermittedTarget, type ReportableTarget } from "../targets/targets.js";

interface Row {
  id: number;
  code: string;
  title: string;
  status: string;
  agencyId: number;
  progress: number;
  mId: number | null;
  quarter: number | null;
  dueOn: Date | null;
  expectedProgress: number | null;
  achievedAt: Date | null;
  reachedLateAt: Date | null;
  ownerId: number | null;
  ownerName: string | null;
}

/**
 * A target with its owners and milestones in one statement (a progress report is the commonest
 * message; Prisma would read target, owners, their users and milestones one query each). The few
 * rows are owners × milestones, folded back here. Plain joins, so the same SQL runs on SQLite and
 * PostgreSQL.
 */
export async function loadReportableTarget(tx: Tx, cycleId: number, code: string): Promise<ReportableTarget | null> {
  const rows = await tx.$queryRaw<Row[]>`
    SELECT t."id", t."code", t."title", t."status", t."agencyId", t."progress",
           m."id" AS "mId", m."quarter", m."dueOn", m."expectedProgress", m."achievedAt", m."reachedLateAt",
           o."userId" AS "ownerId", u."name" AS "ownerName"
      FROM "Target" t
      LEFT JOIN "Milestone" m ON m."targetId" = t."id"
      LEFT JOIN "TargetOwner" o ON o."targetId" = t."id"
      LEFT JOIN "User" u ON u."id" = o."userId"
     WHERE t."cycleId" = ${cycleId} AND t."code" = ${normaliseTargetCode(code)}`;
  if (rows.length === 0) return null;
  const { id, code: c, title, status, agencyId, progress } = rows[0];
  const target: ReportableTarget = { id, code: c, title, status, agencyId, progress, owners: [], milestones: [] };
  for (const r of rows) {
    if (r.mId !== null && !target.milestones.some((m) => m.id === r.mId)) {
      target.milestones.push({ id: r.mId, quarter: r.quarter!, dueOn: r.dueOn!, expectedProgress: r.expectedProgress!, achievedAt: r.achievedAt, reachedLateAt: r.reachedLateAt });
    }
    if (r.ownerId !== null && !target.owners.some((o) => o.userId === r.ownerId)) target.owners.push({ userId: r.ownerId, user: { name: r.ownerName ?? "" } });
  }
  target.milestones.sort((a, b) => a.quarter - b.quarter);
  return target;
}

/** A target the actor may report on (§7.3), or the refusal that says why not. */
export async function getReportableTarget(tx: Tx, actor: Actor, cycleId: number, code: string): Promise<PermittedTarget> {
  return permitReport(actor, assertVisible(actor, await loadReportableTarget(tx, cycleId, code), code));
}
