import { negativeListReplies } from "../conversation/negative-list-view.js";
import type { Reply } from "../messages/reply.js";
import { type Quarter, beijingDate, periodOf, quarterLabel, quarterRange } from "../domain/calendar/calendar.js";
import { computeNegativeLists, getNegativeList, listRecipients, storeNegativeLists } from "../domain/negative-list/negative-list.js";
import { loadRules } from "../domain/rules.js";
import type { Db } from "../infra/db.js";
import { enqueue } from "../outbox/enqueue.js";
import type { JobDeps } from "./deps.js";
import type { JobContext } from "./job-runs.js";
import { nextDeliveryTime } from "../domain/calendar/quiet-hours.js";

/**
 * The quarterly negative list (§2.23): "完成目标记0分，未完成目标记负分、超额完成目标不加分", formed
 * once a quarter and fed back to each agency's head (一把手). For the quarter just closed the job
 * computes and stores every agency's list in one transaction (a list stored before is kept as it
 * is), then, agency by agency, queues the list to each head as a mandatory notice and sets notifiedAt
 * in the same transaction — so a list is marked delivered exactly when its messages exist, and the
 * appeal window (§5.3e) opens from that moment.
 */
export interface NegativeListCursor {
  /** Agencies up to this id have been notified. */
  afterAgencyId?: number;
}

export interface NegativeListSummary {
  period: string;
  agencies: number;
  withEntries: number;
  entries: number;
  notified: number;
}

/** A RangeError: the period given is outside what the job accepts (the CLI prints it as the fix). */
export class QuarterNotClosedError extends RangeError {}

/** The quarter named by the period must be over: a list of a running quarter would be premature. */
export function assertQuarterClosed(q: Quarter, now: Date): void {
  const { last } = quarterRange(q);
  if (beijingDate(now) <= last) throw new QuarterNotClosedError(`${quarterLabel(q)}尚未结束（截至 ${last}），不能生成负面清单`);
}

/** The caller has checked that the quarter is closed (assertQuarterClosed), before the JobRun table. */
export async function runNegativeListJob(deps: JobDeps, q: Quarter, ctx: JobContext<NegativeListCursor>): Promise<NegativeListSummary> {
  const now = deps.clock.now();
  const period = periodOf(q);
  const rules = loadRules(q.year, deps.settings.RULES_DIR);
  await deps.db.$transaction(
    async (tx) => {
      const cycle = await tx.cycle.findUnique({ where: { year: q.year } });
      if (!cycle) throw new Error(`no 考评周期 for ${q.year}: create the ${q.year} cycle before computing ${period}`);
      await storeNegativeLists(tx, cycle.id, q, await computeNegativeLists(tx, q, rules), now);
    },
    { timeout: 60_000 },
  );
  // Outside the send window the messages wait, and the appeal window opens when they go out.
  const deliverAt = nextDeliveryTime(now, deps.sendWindow, deps.workingDays.isWorkingDay);
  const lists = await deps.db.negativeList.findMany({ where: { period, agencyId: { gt: ctx.cursor.afterAgencyId ?? 0 } }, orderBy: { agencyId: "asc" } });
  let notified = 0;
  for (const list of lists) {
    if (list.notifiedAt === null) {
      await deps.db.$transaction(async (tx) => {
        // Conditional, so a list another run just notified is not notified twice.
        const mark = await tx.negativeList.updateMany({ where: { id: list.id, notifiedAt: null }, data: { notifiedAt: deliverAt } });
        if (mark.count !== 1) return;
        const recipients = await listRecipients(tx, list.agencyId);
        if (recipients.length === 0) deps.log.warn({ msg: "agency has no active head or officer to receive its negative list; add one, then resend", agencyId: list.agencyId, period });
        const stored = await getNegativeList(tx, list.agencyId, period);
        for (const userId of recipients) {
          for (const [key, reply] of headMessages(stored, deps.settings.APPEAL_WINDOW_DAYS, userId)) {
            await enqueue(tx, userId, reply, { key, mandatory: true, now, notBefore: deliverAt });
          }
        }
        notified += 1;
      });
    }
    await ctx.saveCursor({ afterAgencyId: list.agencyId });
  }
  const summary = await summarise(deps.db, period, notified);
  await notifyOffice(deps, q, summary, now, deliverAt);
  return summary;
}

/**
 * Keys: `negative-list:<period>:<agencyId>:<userId>` for the list (or the "本季度无负面清单事项"
 * message), `…:appeal-card` for the appeal card. Built per recipient: card keys are per person.
 */
export function headMessages(list: Awaited<ReturnType<typeof getNegativeList>>, appealWindowDays: number, userId: number): [string, Reply][] {
  if (!list) return [];
  const base = `negative-list:${list.period}:${list.agencyId}:${userId}`;
  return negativeListReplies(list, appealWindowDays).map((r, i) => [i === 0 ? base : `${base}:appeal-card`, r]);
}

/** Counted by the database: a province's lists are not loaded with their entries to be counted. */
async function summarise(db: Db, period: string, notified: number): Promise<NegativeListSummary> {
  const lists = await db.negativeList.findMany({ where: { period }, select: { _count: { select: { entries: { where: { status: "active" } } } } } });
  return {
    period,
    agencies: lists.length,
    withEntries: lists.filter((l) => l._count.entries > 0).length,
    entries: lists.reduce((s, l) => s + l._count.entries, 0),
    notified,
  };
}

/** The office (§2.12) hears that the lists went out, with the province totals. */
async function notifyOffice(deps: JobDeps, q: Quarter, s: NegativeListSummary, now: Date, deliverAt: Date): Promise<void> {
  const office = await deps.db.user.findMany({ where: { role: "office", active: true }, select: { id: true } });
  const text = `【负面清单】${quarterLabel(q)}负面清单已生成并送达各单位主要负责人：共 ${s.agencies} 个单位，其中 ${s.withEntries} 个单位有负面清单事项，合计 ${s.entries} 项。查看汇总：负面清单 ${s.period}`;
  await deps.db.$transaction(async (tx) => {
    for (const u of office) await enqueue(tx, u.id, { kind: "text", text }, { key: `negative-list:${s.period}:summary:${u.id}`, now, notBefore: deliverAt });
  });
}
