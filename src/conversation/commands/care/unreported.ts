import { seesProvince } from "../../../domain/people/actor.js";
import { reminderRecipient } from "../../../domain/care/absence.js";
import { beijingDate, chineseDate } from "../../../domain/calendar/calendar.js";
import { currentCycle } from "../../../domain/calendar/cycles.js";
import { ForbiddenError, InputError } from "../../../domain/errors.js";
import { type AgencyRollup, type ReportingWindow, type RollupItem, agencyRollup, parseWindow, provinceRollup } from "../../../domain/care/rollup.js";
import type { Command, CommandInput } from "../../command.js";
import type { CommandContext } from "../../context.js";
import { careRules } from "../../care-rules.js";
import { agencyRollupReplies, provinceRollupReply } from "../../rollup-view.js";

const WINDOW_FORM = "请写成 本月、上月、10月、2026-10、2026Q3、Q3、三季度或本季度";

function windowOf(ctx: CommandContext, input: CommandInput): ReportingWindow {
  const w = parseWindow(input.rest(0), beijingDate(ctx.now));
  if (!w) throw new InputError(`无法识别期间“${input.rest(0)}”，${WINDOW_FORM}。`);
  return w;
}

async function rollupOfMyAgency(ctx: CommandContext, window: ReportingWindow): Promise<AgencyRollup> {
  if (ctx.actor.agencyId === null) throw new ForbiddenError("您的账号未关联单位，无法查看未报情况。");
  const cycle = await currentCycle(ctx.tx, ctx.now);
  const { rollup } = careRules(ctx.settings.rulesDir, cycle.year);
  return agencyRollup(ctx.tx, { agencyId: ctx.actor.agencyId, cycleId: cycle.id, window, asOf: ctx.now, rules: rollup });
}

/** 未报 [期间]: the agency officer's (and head's) roll-up; the office gets the province by agency. */
export const unreported: Command = {
  name: "未报",
  aliases: ["未报清单", "未汇报"],
  usage: "未报 [期间，如 本月、10月、2026Q3]",
  summary: "查看本期应报、已报和未报的目标（目标办查看全省汇总）",
  example: "未报 2026Q4",
  roles: ["office", "assessor", "officer", "head"],
  async run(ctx, input) {
    const window = windowOf(ctx, input);
    if (seesProvince(ctx.actor)) {
      const cycle = await currentCycle(ctx.tx, ctx.now);
      const { rollup } = careRules(ctx.settings.rulesDir, cycle.year);
      const rows = await provinceRollup(ctx.tx, { cycleId: cycle.id, window, asOf: ctx.now, rules: rollup });
      return ctx.reply(provinceRollupReply(rows, ctx.now));
    }
    const r = await rollupOfMyAgency(ctx, window);
    for (const reply of agencyRollupReplies(r, { withCard: ctx.actor.role === "officer" })) ctx.reply(reply);
  },
};

function itemText(i: RollupItem): string {
  return `· ${i.code} ${i.title}（${i.what}，截止${chineseDate(i.deadline)}）`;
}

/**
 * 提醒未报 [期间]: one reminder per person with everything they still owe. An owner away today is
 * reminded through their delegate; when that delegate is the officer asking, the item is listed back
 * for 代报 instead. The key includes the day, so a second click the same day sends nothing again.
 */
export const remindUnreported: Command = {
  name: "提醒未报",
  aliases: ["催报"],
  usage: "提醒未报 [期间，如 本月、2026Q3]",
  summary: "向本期未汇报的责任人发送提醒（请假人员转其代理人）",
  roles: ["officer"],
  async run(ctx, input) {
    const window = windowOf(ctx, input);
    const r = await rollupOfMyAgency(ctx, window);
    // 逾期补报: reported after the window closed — late, but nothing left to remind about.
    const owed = r.unreported.filter((i) => !i.lateReportAt);
    if (owed.length === 0) return ctx.reply(`${r.window.label}本单位应报事项均已汇报，无需提醒。`);
    const today = beijingDate(ctx.now);
    type Owed = { own: RollupItem[]; covering: Map<number, { name: string; items: RollupItem[] }> };
    const perRecipient = new Map<number, Owed>();
    const forMe: string[] = [];
    const unowned: string[] = [];
    for (const item of owed) {
      if (item.owners.length === 0) unowned.push(item.code);
      for (const owner of item.owners) {
        const to = await reminderRecipient(ctx.tx, owner.userId, today);
        if (to.forUserId !== null && to.userId === ctx.actor.id) {
          forMe.push(`${itemText(item)}｜${owner.name}：代报 ${owner.name} ${item.code} <进度> <说明>`);
          continue;
        }
        const entry: Owed = perRecipient.get(to.userId) ?? { own: [], covering: new Map() };
        if (to.forUserId === null) entry.own.push(item);
        else {
          const c = entry.covering.get(owner.userId) ?? { name: owner.name, items: [] };
          c.items.push(item);
          entry.covering.set(owner.userId, c);
        }
        perRecipient.set(to.userId, entry);
      }
    }
    const people = await ctx.tx.user.findMany({ where: { id: { in: [...perRecipient.keys()] } } });
    const sent: string[] = [];
    const already: string[] = [];
    const muted: string[] = [];
    for (const person of people) {
      const entry = perRecipient.get(person.id)!;
      const key = `unreported-remind:${r.agencyId}:${r.window.period}:${person.id}:${today}`;
      if (await ctx.tx.outboxMessage.findUnique({ where: { idempotencyKey: key }, select: { id: true } })) {
        already.push(person.name);
        continue;
      }
      const parts = [`【未报提醒】${r.shortName}目标办提醒：${r.window.label}以下目标尚未汇报进度。`];
      if (entry.own.length) parts.push(...entry.own.map(itemText), "请在截止日期前汇报：汇报 <编号> <进度> <说明>。");
      for (const c of entry.covering.values()) {
        parts.push(`您是${c.name}（请假或出差中）的代理人，其以下目标尚未汇报，请协助跟进或联系本单位目标办代报：`, ...c.items.map(itemText));
      }
      // 退订 提醒 covers this optional reminder: the muted are named to the officer instead.
      if (person.muteOptional) {
        muted.push(person.name);
        continue;
      }
      await ctx.notify(person.id, { kind: "text", text: parts.join("\n") }, { key });
      sent.push(person.name);
    }
    const lines = [
      sent.length ? `已向 ${sent.length} 人发出${r.window.label}未报提醒：${sent.join("、")}。提醒在工作时间内送达。` : "今日没有需要新发出的提醒。",
      ...(muted.length ? [`${muted.join("、")} 已退订非必要提醒，未向其发送，请另行联系。`] : []),
      ...(already.length ? [`${already.join("、")} 今日已提醒过，不再重复发送。`] : []),
      ...(unowned.length ? [`${unowned.join("、")} 未指定责任人，请先指定责任人。`] : []),
      ...(forMe.length ? ["以下目标的责任人请假或出差中，代理人为您本人，请代报：", ...forMe] : []),
    ];
    ctx.reply(lines.join("\n"));
  },
};
