import { Prisma } from "../../infra/db.js";
import type { Tx } from "../../infra/db.js";
import { addDays, fromBeijingDate } from "../calendar/calendar.js";
import { CLOSED_STATUSES, LIVE_STATUSES } from "../vocabulary.js";
import type { WarningRules } from "../care/warnings.js";

/**
 * The issued targets of each agency counted by state in one aggregation (统计 §7.4, 看板): a province's
 * targets and milestones are too many to read row by row, and their ids too many for one statement.
 * The same rules as classifyTarget and targetLight (src/domain/targets/targets.ts, warnings.ts), as SQL:
 * - late (逾期): a live target past its deadline, or with a milestone due before today not reached;
 * - warning (预警, part of 正常推进): a live target not late whose deadline is within
 *   `targetWarningDays` and below 100 %, or with a milestone due within `milestoneWarningDays` and
 *   progress below what it expects.
 * Dates compare as instants: a Beijing date D is before today exactly when its instant is before
 * today's Beijing midnight.
 */
export interface StateCounts {
  issued: number;
  done: number;
  notCompleted: number;
  late: number;
  warning: number;
}

const ISSUED = [...LIVE_STATUSES, ...CLOSED_STATUSES];

export async function stateCountsByAgency(
  tx: Tx,
  args: { cycleId: number; today: string; rules?: Pick<WarningRules, "milestoneWarningDays" | "targetWarningDays">; agencyId?: number },
): Promise<Map<number, StateCounts>> {
  const start = fromBeijingDate(args.today);
  // "Within N days" is on or before today + N, i.e. before the Beijing midnight that ends that day.
  const milestoneWarnEnd = fromBeijingDate(addDays(args.today, (args.rules?.milestoneWarningDays ?? -1) + 1));
  const targetWarnEnd = fromBeijingDate(addDays(args.today, (args.rules?.targetWarningDays ?? -1) + 1));
  const live = Prisma.sql`t.status IN (${Prisma.join(LIVE_STATUSES)})`;
  const late = Prisma.sql`(t.deadline < ${start} OR COALESCE(ms.missed, 0) = 1)`;
  const warned = Prisma.sql`((t.deadline < ${targetWarnEnd} AND t.progress < 100) OR COALESCE(ms.warned, 0) = 1)`;
  const agency = args.agencyId === undefined ? Prisma.empty : Prisma.sql`AND t."agencyId" = ${args.agencyId}`;
  // Only the open milestones due before the warning horizon are read, through the dueOn index, and
  // reduced to two flags per target before they meet the targets.
  const rows = await tx.$queryRaw<{ agencyId: number; issued: bigint | number; done: bigint | number; notCompleted: bigint | number; late: bigint | number; warning: bigint | number }[]>`
    SELECT t."agencyId" AS "agencyId", COUNT(*) AS issued,
      CAST(SUM(CASE WHEN t.status = 'completed' THEN 1 ELSE 0 END) AS INTEGER) AS done,
      CAST(SUM(CASE WHEN t.status = 'not_completed' THEN 1 ELSE 0 END) AS INTEGER) AS "notCompleted",
      CAST(SUM(CASE WHEN ${live} AND ${late} THEN 1 ELSE 0 END) AS INTEGER) AS late,
      CAST(SUM(CASE WHEN ${live} AND NOT ${late} AND ${warned} THEN 1 ELSE 0 END) AS INTEGER) AS warning
    FROM "Target" t
    LEFT JOIN (
      SELECT m."targetId" AS "targetId",
        MAX(CASE WHEN m."dueOn" < ${start} THEN 1 ELSE 0 END) AS missed,
        MAX(CASE WHEN m."dueOn" >= ${start} AND m."dueOn" < ${milestoneWarnEnd} AND p.progress < m."expectedProgress" THEN 1 ELSE 0 END) AS warned
      FROM "Milestone" m JOIN "Target" p ON p.id = m."targetId"
      WHERE m."achievedAt" IS NULL AND m."dueOn" < ${later(start, milestoneWarnEnd)} AND p."cycleId" = ${args.cycleId}
      GROUP BY m."targetId"
    ) ms ON ms."targetId" = t.id
    WHERE t."cycleId" = ${args.cycleId} AND t.status IN (${Prisma.join(ISSUED)}) ${agency}
    GROUP BY t."agencyId"`;
  return new Map(
    rows.map((r) => [Number(r.agencyId), { issued: Number(r.issued), done: Number(r.done), notCompleted: Number(r.notCompleted), late: Number(r.late), warning: Number(r.warning) }]),
  );
}

function later(a: Date, b: Date): Date {
  return a > b ? a : b;
}
