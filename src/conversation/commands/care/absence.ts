import {
  ABSENCE_LABEL,
  type AbsenceKind,
  type Person,
  absenceText,
  defaultDelegate,
  endAbsence,
  findColleague,
  parseDateRange,
  recordAbsence,
} from "../../../domain/care/absence.js";
import { beijingDate, daysBetween } from "../../../domain/calendar/calendar.js";
import { ForbiddenError, InputError } from "../../../domain/errors.js";
import type { Command } from "../../command.js";
import type { CommandContext } from "../../context.js";
import { alreadyTold, withdrawWaiting } from "../../../outbox/withdraw.js";

/** Words that start a date or join two: anything else in 请假 is a person (subject or delegate). */
const DATE_WORD = /^([\d０-９]|今天|今日|明天|明日|后天|至$|到$|~|～)/;

/** The speaker, or — for an officer naming someone — that colleague. Only officers act for others. */
async function subjectOf(ctx: CommandContext, word: string | null, action: string): Promise<Person> {
  const me: Person = { ...ctx.actor };
  if (ctx.actor.agencyId === null) throw new ForbiddenError(`您的账号未关联单位，无法${action}。`);
  if (word === null) return me;
  if (ctx.actor.role !== "officer") {
    throw new ForbiddenError(`只有单位目标办可以为他人${action}。本人${action}请直接发送日期，例如：请假 5月6日 至 5月10日。`);
  }
  return findColleague(ctx.tx, ctx.actor.agencyId, word);
}

/**
 * 请假 / 出差 [姓名或账号] <起> 至 <止> [代理人]: while away, reminders go to the delegate — the
 * colleague named, else the agency officer — and the officer may 代报 for the person.
 */
function absenceCommand(kind: AbsenceKind): Command {
  const word = ABSENCE_LABEL[kind];
  return {
    name: word,
    aliases: kind === "leave" ? ["休假"] : ["公出"],
    usage: `${word} <开始日期> 至 <结束日期> [代理人]（单位目标办为他人登记：${word} <姓名或账号> <开始日期> 至 <结束日期> [代理人]）`,
    usageFor: { head: `${word} <开始日期> 至 <结束日期> [代理人]`, staff: `${word} <开始日期> 至 <结束日期> [代理人]` },
    summary: `登记${word}，期间提醒转给代理人（默认本单位目标办）`,
    example: `${word} 5月6日 至 5月10日 孙婷`,
    roles: ["officer", "head", "staff"],
    async run(ctx, input) {
      const words = [...input.words];
      if (words.length === 0) throw new InputError(`请写明${word}的起止日期。`);
      const subjectWord = DATE_WORD.test(words[0]) ? null : words.shift()!;
      const delegateWord = words.length > 1 && !DATE_WORD.test(words[words.length - 1]) ? words.pop()! : null;
      if (words.length === 0) throw new InputError(`请写明${word}的起止日期。`);
      const subject = await subjectOf(ctx, subjectWord, `登记${word}`);
      const today = beijingDate(ctx.now);
      const range = parseDateRange(words.join(" "), today);
      const named = delegateWord ? await findColleague(ctx.tx, subject.agencyId!, delegateWord) : null;
      const absence = await recordAbsence(ctx.tx, { user: subject, kind, range, delegate: named, recordedById: ctx.actor.id, today });
      const delegate = named ?? (await defaultDelegate(ctx.tx, subject));
      const days = daysBetween(range.from, range.to) + 1;
      const self = subject.id === ctx.actor.id;
      const lines = [
        `已登记：${subject.name} ${absenceText(absence, today)}（共 ${days} 天）。`,
        delegate
          ? `期间${self ? "您" : subject.name}的目标提醒将转给${delegate.id === ctx.actor.id ? "您" : `代理人${delegate.name}`}${named ? "" : "（本单位目标办）"}；本单位目标办可代为汇报：代报 ${subject.name} <编号> <进度> <说明>。`
          : "本单位暂无可代理的目标办人员，期间提醒仍发给本人。",
        `提前返岗请发送“销假${self ? "" : ` ${subject.name}`}”。`,
      ];
      ctx.reply(lines.join("\n"));
      if (delegate && delegate.id !== ctx.actor.id && delegate.id !== subject.id) {
        await ctx.notify(
          delegate.id,
          { kind: "text", text: `【代理通知】${subject.name}${absenceText(absence, today)}，期间其负责目标的进度提醒将转给您，请协助跟进。如需代为汇报，请联系本单位目标办。` },
          { key: `absence-delegate:${absence.id}:${delegate.id}` },
        );
      }
      if (!self) {
        await ctx.notify(
          subject.id,
          { kind: "text", text: `本单位目标办${ctx.actor.name}已为您登记${absenceText(absence, today)}${delegate ? `，代理人：${delegate.name}` : ""}。如有误，请回复“销假”。` },
          { key: `absence-recorded:${absence.id}` },
        );
      }
    },
  };
}

export const leave = absenceCommand("leave");
export const trip = absenceCommand("trip");

/** 销假 [姓名或账号]: back early — the running absence ends yesterday, or the next one is cancelled. */
export const endLeave: Command = {
  name: "销假",
  aliases: ["返岗"],
  usage: "销假（单位目标办为他人销假：销假 <姓名或账号>）",
  usageFor: { head: "销假", staff: "销假" },
  summary: "结束请假或出差，提醒恢复发给本人",
  roles: ["officer", "head", "staff"],
  async run(ctx, input) {
    const subject = await subjectOf(ctx, input.words[0] ?? null, "销假");
    const today = beijingDate(ctx.now);
    const ended = await endAbsence(ctx.tx, subject.id, today);
    const who = subject.id === ctx.actor.id ? "您" : subject.name;
    if (!ended) return ctx.reply(`${who}目前没有登记中的请假或出差。`);
    const what = absenceText(ended.absence, today);
    const withdrawn = await withdrawStandIn(ctx, subject, ended.absence, what);
    ctx.reply(
      [
        ended.cancelled
          ? `已取消${who}登记的${what}，提醒照常发给${who === "您" ? "您本人" : "本人"}。`
          : `已销假：${who}原登记的${what}提前结束，今日起提醒恢复发给${who === "您" ? "您本人" : "本人"}。`,
        ...withdrawn,
      ].join("\n"),
    );
  },
};

/**
 * After 销假 the stand-in no longer receives the owner's reminders: what still waits for them is
 * withdrawn, and whoever had already been told (the 代理通知 or a reminder reached them) is told it ended.
 */
async function withdrawStandIn(ctx: CommandContext, subject: Person, absence: { id: number; delegateId: number | null }, what: string): Promise<string[]> {
  const delegateId = absence.delegateId ?? (await defaultDelegate(ctx.tx, subject))?.id ?? null;
  const noticeKeys = delegateId === null ? [] : [`absence-delegate:${absence.id}:${delegateId}`];
  const reminders = await withdrawWaiting(ctx.tx, { standInForId: subject.id }, `销假: ${subject.account}`);
  await withdrawWaiting(ctx.tx, { keys: noticeKeys }, `销假: ${subject.account}`);
  const standIns = [...new Set([...(delegateId === null ? [] : [delegateId]), ...reminders.byUser.keys()])];
  const told = await alreadyTold(ctx.tx, standIns, { standInForId: subject.id, keys: noticeKeys });
  const people = await ctx.tx.user.findMany({ where: { id: { in: standIns } }, orderBy: { id: "asc" } });
  const lines: string[] = [];
  for (const p of people) {
    const n = reminders.byUser.get(p.id) ?? 0;
    if (n) lines.push(`已撤回转给代理人${p.name}的 ${n} 条尚未发出的提醒。`);
    if (!told.has(p.id)) continue;
    await ctx.notify(
      p.id,
      { kind: "text", text: `【代理取消】${subject.name}已销假（原登记${what}），其目标提醒恢复发给本人，您无需再代为接收。${n ? `尚未发出的 ${n} 条代收提醒已撤回。` : ""}` },
      { key: `absence-ended:${absence.id}:${p.id}` },
    );
  }
  return lines;
}
