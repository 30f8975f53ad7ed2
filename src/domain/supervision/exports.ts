import type { Tx } from "../../infra/db.js";
import type { Actor } from "../people/actor.js";
import { overdueItems, provinceStats } from "./statistics.js";
import { CLOSED_STATUSES, LIVE_STATUSES } from "../vocabulary.js";

/**
 * What the exported reports contain, read in one place so the chat command and the command line export
 * the same thing: an agency's 台账 (§7.3), a quarter's 负面清单 (§2.23), the status board (§7.4).
 */

/** Every issued target of the agency with all its progress records, their evidence and its 核查 findings (§2.17), oldest first. */
export async function agencyLedger(tx: Tx, cycleId: number, agencyId: number) {
  return tx.target.findMany({
    where: { cycleId, agencyId, status: { in: [...LIVE_STATUSES, ...CLOSED_STATUSES] } },
    include: {
      owners: { include: { user: true } },
      reports: {
        include: { reporter: true, onBehalfOf: true, evidence: { orderBy: { id: "asc" } }, milestone: true },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      },
      verifications: { include: { verifier: true, milestone: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
      improvements: { include: { milestone: true, author: true }, orderBy: [{ dueOn: "asc" }, { id: "asc" }] },
    },
    orderBy: { code: "asc" },
  });
}

export type LedgerTarget = Awaited<ReturnType<typeof agencyLedger>>[number];

/** The stored lists of a quarter, one per agency, with every entry (withdrawn ones marked). */
export async function quarterNegativeLists(tx: Tx, period: string, agencyId?: number) {
  return tx.negativeList.findMany({
    where: { period, ...(agencyId ? { agencyId } : {}) },
    include: { agency: true, entries: { include: { target: true, milestone: true }, orderBy: { seq: "asc" } } },
    orderBy: { agencyId: "asc" },
  });
}

export type StoredNegativeList = Awaited<ReturnType<typeof quarterNegativeLists>>[number];

/** The whole-province board: counts per agency and every overdue item. */
export async function statusBoard(tx: Tx, cycleId: number, now: Date) {
  // The board covers the province: read as the office sees it (DESIGN.md §1).
  const office: Actor = { id: 0, account: "export", name: "导出", role: "office", agencyId: null };
  return { stats: await provinceStats(tx, cycleId, now), overdue: await overdueItems(tx, office, cycleId, now) };
}

export type StatusBoard = Awaited<ReturnType<typeof statusBoard>>;
