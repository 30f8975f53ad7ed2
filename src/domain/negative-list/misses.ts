import { Prisma } from "../../infra/db.js";
import type { Tx } from "../../infra/db.js";
import { type Quarter, addDays, beijingDate, fromBeijingDate, quarterRange } from "../calendar/calendar.js";

/**
 * The misses of a quarter's 负面清单 (§2.23), found by the database with one aggregation per rule: a
 * quarterly milestone (§2.21) not achieved by the end of its due day, and a target (initial §2.6 or
 * dynamic §2.7) not closed as completed by the end of its deadline's day. Each returns one row per
 * agency holding that agency's misses with their wording, so a province of 100,000 misses is 3,000
 * strings, not 100,000 rows of objects. "By the end of the day" is the Beijing day, which SQLite (text)
 * and PostgreSQL (timestamp) cannot compute alike; so the days on which anything falls due are read
 * first and each becomes a bound [start, end) pair: the same SQL on both databases. `string_agg(… ORDER
 * BY …)` is PostgreSQL's and SQLite's since 3.44 (better-sqlite3 bundles its own, 3.53 today).
 */

/** Targets the standard scores: issued ones, whatever they became (Fig. 1). */
const SCORED_STATUSES = ["issued", "in_progress", "completed", "not_completed"];

/** At most this many targets when the computation is narrowed (each id is bound once per statement). */
export const MAX_SCOPED_TARGETS = 1_000;

export interface TargetWording {
  targetId: number;
  code: string;
  title: string;
  managementType: string;
  documentNo: string | null;
}

export interface MissedMilestone extends TargetWording {
  milestoneId: number;
  /** The Beijing day it was due. */
  day: string;
  quarter: number;
  description: string;
}

export interface MissedDeadline extends TargetWording {
  /** The Beijing day of the deadline. */
  day: string;
  status: string;
  /** Only for a target closed as completed after its deadline's day: when it was. */
  closedAt: Date | null;
}

export interface AgencyMisses {
  milestones: MissedMilestone[];
  deadlines: MissedDeadline[];
}

/** What the rules look at: the quarter and, for a 核查 finding, a few targets. */
export interface MissScope {
  q: Quarter;
  targetIds?: number[];
}

interface DayRange {
  day: string;
  start: Date;
  end: Date;
}

/** Every agency's misses; agencies with none are absent. */
export async function findMisses(tx: Tx, scope: MissScope): Promise<Map<number, AgencyMisses>> {
  if (scope.targetIds && scope.targetIds.length > MAX_SCOPED_TARGETS) throw new RangeError(`at most ${MAX_SCOPED_TARGETS} targets per narrowed computation`);
  const out = new Map<number, AgencyMisses>();
  if (scope.targetIds?.length === 0) return out;
  const days = await dueDays(tx, scope);
  if (days.length === 0) return out;
  const of = (agencyId: number) => out.get(agencyId) ?? out.set(agencyId, { milestones: [], deadlines: [] }).get(agencyId)!;
  for (const row of await missedMilestones(tx, scope, days)) of(row.agencyId).milestones = parse(row.misses, 9, (f) => milestone(f, days));
  const closed = await lateCompletions(tx, scope, days);
  for (const row of await missedDeadlines(tx, scope, days)) of(row.agencyId).deadlines = parse(row.misses, 7, (f) => deadline(f, days, closed));
  return out;
}

function quarterBounds(q: Quarter) {
  const { first, last } = quarterRange(q);
  return { from: fromBeijingDate(first), to: fromBeijingDate(addDays(last, 1)) };
}

function scopeSql(column: Prisma.Sql, scope: MissScope): Prisma.Sql {
  return scope.targetIds ? Prisma.sql` AND ${column} IN (${Prisma.join(scope.targetIds)})` : Prisma.empty;
}

/** The Beijing days of the quarter on which a milestone or a target deadline falls. */
async function dueDays(tx: Tx, scope: MissScope): Promise<DayRange[]> {
  const { from, to } = quarterBounds(scope.q);
  const rows = await tx.$queryRaw<{ at: Date }[]>`
    SELECT DISTINCT m."dueOn" AS "at" FROM "Milestone" m WHERE m."dueOn" >= ${from} AND m."dueOn" < ${to}${scopeSql(Prisma.sql`m."targetId"`, scope)}
    UNION
    SELECT DISTINCT t."deadline" AS "at" FROM "Target" t WHERE t."deadline" >= ${from} AND t."deadline" < ${to}${scopeSql(Prisma.sql`t."id"`, scope)}`;
  const days = [...new Set(rows.map((r) => beijingDate(r.at)))].sort();
  return days.map((day) => ({ day, start: fromBeijingDate(day), end: fromBeijingDate(addDays(day, 1)) }));
}

/** Field and record separators, and the escape that keeps stored text from being read as either. */
const US = "\x1f";
const RS = "\x1e";
const ESC = "\x1d";
const UNESCAPE: Record<string, string> = { e: ESC, u: US, r: RS };

const text = (column: Prisma.Sql) => Prisma.sql`replace(replace(replace(${column}, ${ESC}, ${`${ESC}e`}), ${US}, ${`${ESC}u`}), ${RS}, ${`${ESC}r`})`;
const num = (column: Prisma.Sql) => Prisma.sql`CAST(${column} AS TEXT)`;
const ESCAPED = new RegExp(`${ESC}([eur])`, "g");
const unescape = (s: string) => (s.includes(ESC) ? s.replace(ESCAPED, (_, c: string) => UNESCAPE[c]) : s);

/** One record: the fields joined by US, each bound as a parameter (a raw control character would not survive). */
const record = (fields: Prisma.Sql[]) => Prisma.join(fields.flatMap((f, i) => (i ? [Prisma.sql`${US}`, f] : [f])), " || ");

/** Which of the (ascending) days an instant falls on, as its index. */
const dayIndex = (column: Prisma.Sql, days: DayRange[]) => Prisma.sql`CASE ${Prisma.join(days.map((d, i) => Prisma.sql`WHEN ${column} < ${d.end} THEN ${i}`), " ")} END`;

const wordingFields = [text(Prisma.sql`t."code"`), text(Prisma.sql`t."title"`), text(Prisma.sql`t."managementType"`), text(Prisma.sql`COALESCE(t."documentNo", '')`)];

function parse<T>(misses: string, fields: number, build: (f: string[]) => T): T[] {
  return misses.split(RS).map((r) => {
    const f = r.split(US);
    if (f.length !== fields) throw new Error(`negative list: a miss record has ${f.length} fields, expected ${fields}`);
    return build(f);
  });
}

interface AggregatedRow {
  agencyId: number;
  misses: string;
}

/** Rule 1: a quarterly milestone not achieved by the end of its due day; a target's misses in due order. */
async function missedMilestones(tx: Tx, scope: MissScope, days: DayRange[]): Promise<AggregatedRow[]> {
  const { from, to } = quarterBounds(scope.q);
  const missed = days.map((d) => Prisma.sql`(m."dueOn" >= ${d.start} AND m."dueOn" < ${d.end} AND (m."achievedAt" IS NULL OR m."achievedAt" >= ${d.end}))`);
  const fields = [num(Prisma.sql`m."id"`), num(Prisma.sql`m."targetId"`), num(dayIndex(Prisma.sql`m."dueOn"`, days)), num(Prisma.sql`m."quarter"`), text(Prisma.sql`m."description"`), ...wordingFields];
  return tx.$queryRaw<AggregatedRow[]>`
    SELECT t."agencyId" AS "agencyId", string_agg(${record(fields)}, ${RS} ORDER BY m."dueOn", m."id") AS "misses"
      FROM "Milestone" m JOIN "Target" t ON t."id" = m."targetId"
     WHERE m."dueOn" >= ${from} AND m."dueOn" < ${to} AND t."status" IN (${Prisma.join(SCORED_STATUSES)})
       AND (${Prisma.join(missed, " OR ")})${scopeSql(Prisma.sql`t."id"`, scope)}
     GROUP BY t."agencyId"`;
}

function milestone(f: string[], days: DayRange[]): MissedMilestone {
  return {
    milestoneId: Number(f[0]),
    targetId: Number(f[1]),
    day: days[Number(f[2])].day,
    quarter: Number(f[3]),
    description: unescape(f[4]),
    code: unescape(f[5]),
    title: unescape(f[6]),
    managementType: unescape(f[7]),
    documentNo: unescape(f[8]) || null,
  };
}

/** The rule of a target's deadline, for one day: not closed as completed by its end. */
const deadlineMissed = (days: DayRange[]) =>
  Prisma.join(
    days.map(
      (d) => Prisma.sql`(t."deadline" >= ${d.start} AND t."deadline" < ${d.end} AND NOT (t."status" = 'completed' AND t."closedAt" IS NOT NULL AND t."closedAt" < ${d.end}))`,
    ),
    " OR ",
  );

/** Rule 2: a target not closed as completed by the end of its deadline's day. */
async function missedDeadlines(tx: Tx, scope: MissScope, days: DayRange[]): Promise<AggregatedRow[]> {
  const { from, to } = quarterBounds(scope.q);
  const fields = [num(Prisma.sql`t."id"`), num(dayIndex(Prisma.sql`t."deadline"`, days)), text(Prisma.sql`t."status"`), ...wordingFields];
  return tx.$queryRaw<AggregatedRow[]>`
    SELECT t."agencyId" AS "agencyId", string_agg(${record(fields)}, ${RS}) AS "misses"
      FROM "Target" t
     WHERE t."deadline" >= ${from} AND t."deadline" < ${to} AND t."status" IN (${Prisma.join(SCORED_STATUSES)})
       AND (${deadlineMissed(days)})${scopeSql(Prisma.sql`t."id"`, scope)}
     GROUP BY t."agencyId"`;
}

/** Rule 2's wording needs the day a late target was closed: read for those targets only. */
async function lateCompletions(tx: Tx, scope: MissScope, days: DayRange[]): Promise<Map<number, Date>> {
  const { from, to } = quarterBounds(scope.q);
  const rows = await tx.$queryRaw<{ id: number; closedAt: Date }[]>`
    SELECT t."id" AS "id", t."closedAt" AS "closedAt" FROM "Target" t
     WHERE t."deadline" >= ${from} AND t."deadline" < ${to} AND t."status" = 'completed' AND t."closedAt" IS NOT NULL
       AND (${deadlineMissed(days)})${scopeSql(Prisma.sql`t."id"`, scope)}`;
  return new Map(rows.map((r) => [r.id, r.closedAt]));
}

function deadline(f: string[], days: DayRange[], closed: Map<number, Date>): MissedDeadline {
  const targetId = Number(f[0]);
  return {
    targetId,
    day: days[Number(f[1])].day,
    status: unescape(f[2]),
    code: unescape(f[3]),
    title: unescape(f[4]),
    managementType: unescape(f[5]),
    documentNo: unescape(f[6]) || null,
    closedAt: closed.get(targetId) ?? null,
  };
}
