import { Prisma } from "../../infra/db.js";
import type { Tx } from "../../infra/db.js";
import { type Quarter, beijingDate, chineseDate, periodOf } from "../calendar/calendar.js";
import { type AgencyMisses, type MissedDeadline, type MissedMilestone, type TargetWording, findMisses } from "./misses.js";
import type { YearRules } from "../rules.js";

/**
 * 负面清单 (§2.23): "完成目标记0分，未完成目标记负分、超额完成目标不加分". Computed per agency from
 * everything due in the quarter: every quarterly milestone (§2.21) and every target's own deadline,
 * initial (§2.6) and dynamic (§2.7) targets alike. Done by its day scores 0; not done scores the rules
 * file's negative points; over-completion never earns points back. One miss is one entry: a target's
 * deadline and its milestone due the same day, both missed, are one entry, not two.
 */
export interface ComputedEntry {
  targetId: number;
  /** The milestone missed; null when the entry is the target's own deadline. */
  milestoneId: number | null;
  points: number;
  reason: string;
  /** The Beijing day the miss fell on (milestone due date or target deadline). */
  dueDay: string;
}

export interface ComputedList {
  agencyId: number;
  entries: ComputedEntry[];
  totalPoints: number;
}

interface Miss {
  day: string;
  wording: TargetWording;
  /** The milestone missed that day (the last due, should a target have two due that day). */
  milestone: MissedMilestone | null;
  /** The target's own deadline was missed (the entry then stands for the target). */
  target: MissedDeadline | null;
}

/**
 * Computes (without writing) every agency's list for a quarter; agencies with no entries get an empty
 * list. The database finds the misses, one aggregation per rule, with their wording, so neither what
 * was done in time nor the rest of a large province is loaded. `targetIds` narrows the computation
 * (a 核查 finding).
 */
export async function computeNegativeLists(tx: Tx, q: Quarter, rules: YearRules, targetIds?: number[]): Promise<ComputedList[]> {
  const agencies = targetIds
    ? await tx.agency.findMany({ where: { targets: { some: { id: { in: targetIds } } } }, select: { id: true }, orderBy: { id: "asc" } })
    : await tx.agency.findMany({ select: { id: true }, orderBy: { id: "asc" } });
  // A rule costing nothing leaves nothing to list; over-completion never earns points back.
  const points = Math.min(0, rules.negativeList.pointsPerMilestone);
  const misses = rules.negativeList.pointsPerMilestone === 0 ? new Map<number, AgencyMisses>() : await findMisses(tx, { q, targetIds });
  return agencies.map((a) => listOf(a.id, misses.get(a.id), points));
}

const collator = new Intl.Collator("en", { numeric: true });

/** One agency's entries: one per target and day, numbered by target code, then date (the order a head reads them in). */
function listOf(agencyId: number, found: AgencyMisses | undefined, points: number): ComputedList {
  if (!found) return { agencyId, entries: [], totalPoints: 0 };
  const misses = new Map<string, Miss>();
  const on = (w: TargetWording, day: string) => {
    const key = `${w.targetId}|${day}`;
    let miss = misses.get(key);
    if (!miss) misses.set(key, (miss = { day, wording: w, milestone: null, target: null }));
    return miss;
  };
  for (const m of found.milestones) on(m, m.day).milestone = m;
  for (const t of found.deadlines) on(t, t.day).target = t;
  const sorted = [...misses.values()].map((miss) => ({ miss, key: `${miss.wording.code}|${miss.day}` }));
  sorted.sort((a, b) => collator.compare(a.key, b.key));
  const entries = sorted.map(({ miss }) => ({
    targetId: miss.wording.targetId,
    milestoneId: miss.target ? null : miss.milestone!.milestoneId,
    points,
    reason: reasonOf(miss),
    dueDay: miss.day,
  }));
  return { agencyId, entries, totalPoints: round(entries.reduce((s, e) => s + e.points, 0)) };
}

const QUARTER_NAME = "一二三四";

function reasonOf({ wording: t, milestone: m, target, day }: Miss): string {
  const name = `${t.code}「${t.title}」${t.managementType === "dynamic" ? `（动态目标${t.documentNo ? `，${t.documentNo}` : ""}）` : ""}`;
  if (!target) return `${name}第${QUARTER_NAME[m!.quarter - 1]}季度节点未按期完成：${m!.description}`;
  const late = target.status === "completed" && target.closedAt ? `，${chineseDate(beijingDate(target.closedAt))}才完成` : "";
  const sameDay = m ? `；第${QUARTER_NAME[m.quarter - 1]}季度节点同日到期，一并计为一项` : "";
  return `${name}未按期完成（完成时限 ${chineseDate(day)}${late}${sameDay}）`;
}

/**
 * Stores computed lists, entries numbered 1, 2, 3 … in each; a list already stored for the agency and
 * period is kept as it is. Multi-row INSERTs in batches under the bound-parameter limit both databases
 * accept (SQLite 32,766), so a province's 100,000 entries are ten statements, not one per list.
 */
export async function storeNegativeLists(tx: Tx, cycleId: number, q: Quarter, lists: ComputedList[], now: Date) {
  const period = periodOf(q);
  const kept = new Set((await tx.negativeList.findMany({ where: { period }, select: { agencyId: true } })).map((l) => l.agencyId));
  const fresh = lists.filter((l) => !kept.has(l.agencyId));
  for (let i = 0; i < fresh.length; i += LIST_BATCH) {
    const rows = fresh.slice(i, i + LIST_BATCH).map((l) => Prisma.sql`(${l.agencyId}, ${cycleId}, ${period}, ${round(l.totalPoints)}, ${now})`);
    await tx.$executeRaw`INSERT INTO "NegativeList" ("agencyId", "cycleId", "period", "totalPoints", "computedAt") VALUES ${Prisma.join(rows)}`;
  }
  const byAgency = new Map((await tx.negativeList.findMany({ where: { period } })).map((l) => [l.agencyId, l]));
  let batch: EntryRow[] = [];
  for (const l of fresh) {
    const listId = byAgency.get(l.agencyId)!.id;
    for (const [i, e] of l.entries.entries()) {
      batch.push({ listId, seq: i + 1, targetId: e.targetId, milestoneId: e.milestoneId, points: e.points, reason: e.reason });
      if (batch.length === ENTRY_BATCH) {
        await insertEntries(tx, batch);
        batch = [];
      }
    }
  }
  if (batch.length) await insertEntries(tx, batch);
  return lists.map((l) => byAgency.get(l.agencyId)!);
}

/** Rows per INSERT: lists bind 5 values each (30,000), entries only their reason (the rest are numbers written as literals). */
const LIST_BATCH = 6_000;
const ENTRY_BATCH = 10_000;

interface EntryRow {
  listId: number;
  seq: number;
  targetId: number;
  milestoneId: number | null;
  points: number;
  reason: string;
}

/** A number as an SQL literal: only finite numbers, so nothing but digits, sign, point and exponent reach the text. */
function literal(n: number | null): string {
  if (n === null) return "NULL";
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  return String(n);
}

/** One multi-row INSERT; built as one statement of strings and values, not a fragment per row. */
async function insertEntries(tx: Tx, rows: EntryRow[]): Promise<void> {
  const strings = rows.map((r, i) => `${i ? "), " : `INSERT INTO "NegativeListEntry" ("listId", "seq", "targetId", "milestoneId", "points", "reason") VALUES `}(${literal(r.listId)}, ${literal(r.seq)}, ${literal(r.targetId)}, ${literal(r.milestoneId)}, ${literal(r.points)}, `);
  await tx.$executeRaw(new Prisma.Sql([...strings, ")"], rows.map((r) => r.reason)));
}

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}

const listInclude = { agency: true, entries: { include: { target: true }, orderBy: { seq: "asc" as const } } };

export async function getNegativeList(tx: Tx, agencyId: number, period: string) {
  return tx.negativeList.findUnique({ where: { agencyId_period: { agencyId, period } }, include: listInclude });
}

/** The newest list stored for an agency, when the user names no quarter. */
export async function latestNegativeList(tx: Tx, agencyId: number) {
  return tx.negativeList.findFirst({ where: { agencyId }, orderBy: { period: "desc" }, include: listInclude });
}

/** Keeps a list's total equal to the sum of its active entries after a withdrawal or an addition. */
export async function recomputeListTotal(tx: Tx, listId: number) {
  const entries = await tx.negativeListEntry.findMany({ where: { listId, status: "active" } });
  const total = round(entries.reduce((s, e) => s + e.points, 0));
  await tx.negativeList.update({ where: { id: listId }, data: { totalPoints: total } });
  return total;
}

/** The head (一把手) receives the list (§2.23); an agency without one falls back to its 目标办 so the list is not lost. */
export async function listRecipients(tx: Tx, agencyId: number): Promise<number[]> {
  for (const role of ["head", "officer"]) {
    const users = await tx.user.findMany({ where: { agencyId, role, active: true }, select: { id: true }, orderBy: { id: "asc" } });
    if (users.length) return users.map((u) => u.id);
  }
  return [];
}
