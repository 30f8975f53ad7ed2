import { reportCard } from "../conversation/report-card.js";
import type { Reply } from "../messages/reply.js";
import { awayOn, reminderRecipient } from "../domain/care/absence.js";
import { addDays, beijingDate, fromBeijingDate } from "../domain/calendar/calendar.js";
import { LIVE_STATUSES } from "../domain/vocabulary.js";
import type { Tx } from "../infra/db.js";
import { enqueue } from "../outbox/enqueue.js";
import type { JobDeps } from "./deps.js";
import type { JobContext } from "./job-runs.js";
import { REMINDER_DIGEST } from "./reminder-digest.js";
import { reminderText, type ReminderItem } from "./reminder-messages.js";
import { remindersDueToday, type ReminderKind } from "./reminder-schedule.js";
import { isMuted, nextDeliveryTime } from "../domain/calendar/quiet-hours.js";

/**
 * Deadline reminders (DESIGN.md §3, §2.21 季度管理): every quarterly milestone and every target
 * deadline of an issued or in-progress target, to its owners before and on the due day and while
 * overdue, with the report card so they can report at once; then escalated, as mandatory notices, to
 * the agency's 目标办 (officers) and after that to its head (一把手). Planning is separate from
 * queueing so `--dry-run` shows exactly what a run would queue.
 */
export interface PlannedReminder {
  /** reminder:<item>:<kind>:<day>:<userId>[:card] — a re-run on the same day queues nothing twice. */
  key: string;
  userId: number;
  reply: Reply;
  mandatory: boolean;
  kind: ReminderKind;
  targetId: number;
  /** Set when a stand-in receives it for an absent owner (请假/出差). */
  standInForId?: number;
}

export interface ReminderCursor {
  /** Targets up to this id have had their reminders queued. */
  afterTargetId?: number;
}

export interface ReminderSummary {
  day: string;
  workingDay: boolean;
  queued: number;
  alreadyQueued: number;
}

/** Targets per transaction: short write locks, and a cursor step small enough to resume cheaply. */
const CHUNK = 25;

export async function planReminders(tx: Tx, deps: Pick<JobDeps, "workingDays" | "schedule">, today: string, now: Date, afterTargetId = 0): Promise<PlannedReminder[]> {
  if (!deps.workingDays.isWorkingDay(today)) return [];
  // Only targets with something open that is overdue or falls due soon: an item further out than the
  // earliest reminder ahead (moved before a holiday of up to a month) has nothing to send today.
  const horizon = fromBeijingDate(addDays(today, Math.max(0, ...deps.schedule.daysAhead) + 31));
  const targets = await tx.target.findMany({
    where: {
      status: { in: LIVE_STATUSES },
      id: { gt: afterTargetId },
      OR: [{ deadline: { lt: horizon } }, { milestones: { some: { achievedAt: null, dueOn: { lt: horizon } } } }],
    },
    // No ORDER BY inside the includes: Prisma 7 reads a relation with its own ordering in one query,
    // which fails past the database's bound-parameter limit (999 on SQLite); without it the read is
    // chunked, and the order is restored here.
    // Reached milestones send nothing, and the report card offers the next open one: only open ones are read.
    include: { owners: { include: { user: true } }, milestones: { where: { achievedAt: null } } },
    orderBy: { id: "asc" },
  });
  for (const t of targets) {
    t.owners.sort((x, y) => x.userId - y.userId);
    t.milestones.sort((x, y) => x.quarter - y.quarter);
  }
  // The province's officers and heads, filtered here: an ordered IN list of every agency would not
  // be chunked either (see above), and there are only a few per agency.
  const agencyIds = new Set(targets.map((t) => t.agencyId));
  const leaders = (await tx.user.findMany({ where: { role: { in: ["officer", "head"] }, active: true }, orderBy: { id: "asc" } })).filter(
    (u) => u.agencyId !== null && agencyIds.has(u.agencyId),
  );
  const ownerIds = [...new Set(targets.flatMap((t) => t.owners.map((o) => o.userId)))];
  // 请假/出差: an absent owner's reminders go to whoever stands in (src/domain/care/absence.ts).
  const away = await awayOn(tx, ownerIds, today);
  const standIns = new Map<number, { id: number; role: string; agencyId: number | null; muteOptional: boolean; active: boolean }>();
  for (const ownerId of away.keys()) {
    const { userId } = await reminderRecipient(tx, ownerId, today);
    const user = userId === ownerId ? null : await tx.user.findUnique({ where: { id: userId } });
    if (user?.active) standIns.set(ownerId, user);
  }
  const plan: PlannedReminder[] = [];
  for (const t of targets) {
    const officers = leaders.filter((u) => u.agencyId === t.agencyId && u.role === "officer");
    const heads = leaders.filter((u) => u.agencyId === t.agencyId && u.role === "head");
    const owners = t.owners.map((o) => o.user).filter((u) => u.active);
    const base = { code: t.code, title: t.title, progress: t.progress, owners: owners.map((u) => u.name).join("、") || "未指定" };
    const items: (ReminderItem & { key: string; caughtUp: boolean })[] = [
      ...t.milestones
        .filter((m) => !m.achievedAt)
        .map((m) => ({
          ...base,
          key: `milestone:${m.id}`,
          due: beijingDate(m.dueOn),
          part: `第${"一二三四"[m.quarter - 1]}季度节点（${m.description}，应达进度 ${m.expectedProgress}%）`,
          // Once the deadline has passed a milestone can no longer be met (§2.23); reminders stop when the work has caught up.
          caughtUp: t.progress >= m.expectedProgress,
        })),
      { ...base, key: `target:${t.id}`, due: beijingDate(t.deadline), part: "完成时限", caughtUp: false },
    ];
    for (const item of items) {
      if (item.due < today && item.caughtUp) continue;
      for (const occ of remindersDueToday(item.due, today, deps.schedule, deps.workingDays)) {
        const wording = {
          today,
          dueHoliday: deps.workingDays.holidayName(item.due),
          escalateOfficerAfterDays: deps.schedule.escalateOfficerAfterDays,
          escalateHeadAfterDays: deps.schedule.escalateHeadAfterDays,
        };
        const add = (userId: number, withCard: boolean, mandatory: boolean, standingInFor?: { id: number; name: string; kind: string }) => {
          const key = `reminder:${item.key}:${occ.kind}:${occ.day}:${userId}`;
          const about = { kind: occ.kind, targetId: t.id, standInForId: standingInFor?.id };
          plan.push({ key, userId, mandatory, ...about, reply: { kind: "text", text: reminderText(occ.kind, item, { ...wording, standingInFor, withCard }) } });
          // A card per recipient: card keys are unique per person (src/conversation/cards.ts).
          if (withCard) plan.push({ key: `${key}:card`, userId, mandatory, ...about, reply: reportCard(t, now) });
        };
        if (occ.kind === "escalate-officer") officers.forEach((u) => add(u.id, true, true));
        else if (occ.kind === "escalate-head") heads.forEach((u) => add(u.id, false, true));
        else if (owners.length === 0) officers.filter((u) => !isMuted({ mandatory: false }, u)).forEach((u) => add(u.id, true, false));
        else {
          for (const owner of owners) {
            const standIn = standIns.get(owner.id);
            const to = standIn ?? owner;
            // Optional reminders respect 退订 (User.muteOptional); escalations above do not.
            if (isMuted({ mandatory: false }, to)) continue;
            // Only owners and the agency's officers may report (src/domain/targets/targets.ts assertCanReport).
            const canReport = to.id === owner.id || (to.role === "officer" && to.agencyId === t.agencyId);
            add(to.id, canReport, false, standIn ? { id: owner.id, name: owner.name, kind: away.get(owner.id)!.kind } : undefined);
          }
        }
      }
    }
  }
  return plan;
}

/** The reminders job for one Beijing day: plans, then queues target by target, saving the cursor. */
export async function runReminders(deps: JobDeps, today: string, ctx: JobContext<ReminderCursor>): Promise<ReminderSummary> {
  const summary: ReminderSummary = { day: today, workingDay: deps.workingDays.isWorkingDay(today), queued: 0, alreadyQueued: 0 };
  if (!summary.workingDay) return summary;
  const now = deps.clock.now();
  const plan = await planReminders(deps.db, deps, today, now, ctx.cursor.afterTargetId ?? 0);
  // Pushes the bot starts itself wait for QUIET_HOURS on a working day. Applied here, not in the
  // worker: the outbox also carries direct answers, which must never wait (src/domain/calendar/quiet-hours.ts).
  const notBefore = nextDeliveryTime(now, deps.sendWindow, deps.workingDays.isWorkingDay);
  const targetIds = [...new Set(plan.map((p) => p.targetId))];
  for (let i = 0; i < targetIds.length; i += CHUNK) {
    const ids = new Set(targetIds.slice(i, i + CHUNK));
    await deps.db.$transaction(async (tx) => {
      for (const p of plan.filter((x) => ids.has(x.targetId))) {
        const queued = await enqueue(tx, p.userId, p.reply, { key: p.key, mandatory: p.mandatory, digestGroup: REMINDER_DIGEST, now, notBefore, targetId: p.targetId, standInForId: p.standInForId });
        summary[queued ? "queued" : "alreadyQueued"] += 1;
      }
    });
    await ctx.saveCursor({ afterTargetId: Math.max(...ids) });
  }
  return summary;
}
