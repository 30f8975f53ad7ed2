import { careRules } from "../conversation/care-rules.js";
import type { Reply } from "../messages/reply.js";
import { agencyRollupReplies, provinceRollupReply } from "../conversation/rollup-view.js";
import { currentCycle } from "../domain/calendar/cycles.js";
import { provinceRollup, rollupWindowsDue } from "../domain/care/rollup.js";
import type { Tx } from "../infra/db.js";
import { enqueue } from "../outbox/enqueue.js";
import { nextDeliveryTime } from "../domain/calendar/quiet-hours.js";
import type { JobDeps } from "./deps.js";
import type { JobContext } from "./job-runs.js";

export interface RollupSummary {
  day: string;
  windows: string[];
  queued: number;
}

export interface PlannedRollup {
  key: string;
  userId: number;
  reply: Reply;
}

/**
 * Who-has-not-reported roll-ups (issue 10): on the working days the rules file names (monthly, and
 * before each quarter's negative list), every agency officer gets "本期应报 N 项，已报 M 项；未报：…"
 * with a 提醒未报 card, and the office a province summary. Optional messages: they respect 退订.
 */
export async function planRollups(tx: Tx, deps: Pick<JobDeps, "settings" | "workingDays">, today: string, now: Date): Promise<{ windows: string[]; plan: PlannedRollup[] }> {
  const rules = careRules(deps.settings.RULES_DIR, Number(today.slice(0, 4))).rollup;
  const windows = rollupWindowsDue(today, deps.workingDays.isWorkingDay, rules);
  const plan: PlannedRollup[] = [];
  if (windows.length === 0) return { windows: [], plan };
  const cycle = await currentCycle(tx, now);
  const office = await tx.user.findMany({ where: { role: "office", active: true, muteOptional: false } });
  // One read of every officer and one province roll-up per window: a few statements however many agencies.
  const officers = new Map<number, { id: number }[]>();
  for (const u of await tx.user.findMany({ where: { role: "officer", active: true, muteOptional: false, agencyId: { not: null } }, orderBy: { id: "asc" }, select: { id: true, agencyId: true } })) {
    officers.set(u.agencyId!, [...(officers.get(u.agencyId!) ?? []), u]);
  }
  for (const window of windows) {
    const rows = await provinceRollup(tx, { cycleId: cycle.id, window, asOf: now, rules });
    for (const r of rows) {
      if (r.items.length === 0) continue;
      for (const o of officers.get(r.agencyId) ?? []) {
        agencyRollupReplies(r, { withCard: true }).forEach((reply, i) =>
          plan.push({ key: `rollup:${window.period}:${r.agencyId}:${o.id}:${i === 0 ? "summary" : "card"}`, userId: o.id, reply }),
        );
      }
    }
    for (const u of office) plan.push({ key: `rollup:${window.period}:province:${u.id}`, userId: u.id, reply: provinceRollupReply(rows, now) });
  }
  return { windows: windows.map((w) => w.period), plan };
}

export async function runRollups(deps: JobDeps, today: string, _ctx: JobContext<object>): Promise<RollupSummary> {
  const now = deps.clock.now();
  const notBefore = nextDeliveryTime(now, deps.sendWindow, deps.workingDays.isWorkingDay);
  // Planned outside any transaction: SQLite has one writer, and chat events must not wait on reads.
  const { windows, plan } = await planRollups(deps.db, deps, today, now);
  let queued = 0;
  for (let i = 0; i < plan.length; i += CHUNK) {
    await deps.db.$transaction(async (tx) => {
      for (const p of plan.slice(i, i + CHUNK)) if (await enqueue(tx, p.userId, p.reply, { key: p.key, now, notBefore })) queued++;
    });
  }
  return { day: today, windows, queued };
}

/** Messages per transaction: short write locks; a re-run skips keys already queued. */
const CHUNK = 50;
