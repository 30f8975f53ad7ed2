import type { Tx } from "../../infra/db.js";
import { type Actor, requireRole } from "../people/actor.js";
import { appealLastDay } from "./appeals.js";
import { beijingDate, chineseDate, parsePeriod, periodOf, previousQuarter, quarterLabel, quarterOf } from "../calendar/calendar.js";
import { ForbiddenError, InputError, NotFoundError, StateError } from "../errors.js";
import { getVisibleTarget, looksLikeTargetCode } from "../targets/targets.js";

/**
 * What a 申诉 (§5.3e) is about. 负面清单 entries (§2.23) are numbered within their list, so an entry is
 * named by its quarter and number ("2026Q3-2", or "2026Q3 2"); a target code names the target's entry
 * when it has one open to appeal, else the target itself. A bare number is refused: read as a
 * database-wide id it could reach into another quarter's list.
 */
export interface EntryRef {
  period: string;
  seq: number;
}

/** "2026Q3-2", "2026q3－2", "2026Q3#2", "2026Q3第2项" as one word, or the quarter and the number apart. */
export function parseEntryRef(words: string[]): { ref: EntryRef; used: number } | null {
  const one = /^(\d{4})[Qq]([1-4])(?:[-－—–#＃]第?|第)(\d{1,4})[项条]?$/.exec(words[0] ?? "");
  if (one) return { ref: { period: `${one[1]}Q${one[2]}`, seq: Number(one[3]) }, used: 1 };
  const q = words[0] ? parsePeriod(words[0]) : null;
  const n = /^第?(\d{1,4})[项条]?$/.exec(words[1] ?? "");
  return q && n ? { ref: { period: periodOf(q), seq: Number(n[1]) }, used: 2 } : null;
}

/** "2026年第三季度负面清单第 2 项" */
export function entryLabel(period: string, seq: number): string {
  return `${quarterLabel(parsePeriod(period)!)}负面清单第 ${seq} 项`;
}

/** The form that names an entry in 申诉, shown wherever heads read entries. */
export function entryRefText(period: string, seq: number | string): string {
  return `${period}-${seq}`;
}

type WindowedEntry = { notifiedAt: Date | null; list: { notifiedAt: Date | null; computedAt: Date } };

/** The last day an entry may be appealed: from when it reached the head (a supplementary entry: its own notice). */
export function entryLastDay(e: WindowedEntry, windowDays: number): string {
  return appealLastDay(e.notifiedAt ?? e.list.notifiedAt ?? e.list.computedAt, windowDays);
}

const entryInclude = { list: true, target: true } as const;

async function agencyEntry(tx: Tx, actor: Actor, ref: EntryRef) {
  if (actor.agencyId === null) throw new ForbiddenError("您的账号未关联单位，不能提出申诉。");
  const label = quarterLabel(parsePeriod(ref.period)!);
  const list = await tx.negativeList.findUnique({ where: { agencyId_period: { agencyId: actor.agencyId, period: ref.period } } });
  if (!list) throw new NotFoundError(`本单位${label}负面清单尚未生成，没有可申诉的条目。`);
  const entry = await tx.negativeListEntry.findUnique({ where: { listId_seq: { listId: list.id, seq: ref.seq } }, include: entryInclude });
  if (!entry) throw new NotFoundError(`${label}负面清单没有第 ${ref.seq} 项。请用“负面清单 ${ref.period}”查看条目号。`);
  return entry;
}

type Entry = Awaited<ReturnType<typeof agencyEntry>>;

async function assertAppealable(tx: Tx, entry: Entry, now: Date, windowDays: number): Promise<void> {
  const label = entryLabel(entry.list.period, entry.seq);
  if (entry.status !== "active") throw new StateError(`${label}已撤销，无需申诉。`);
  const lastDay = entryLastDay(entry, windowDays);
  if (beijingDate(now) > lastDay) {
    throw new StateError(`${label}的申诉期（送达后 ${windowDays} 日内，截至 ${chineseDate(lastDay)}）已过，不能再申诉。如有疑问，请通过“沟通”联系目标办。`);
  }
  const pending = await tx.appeal.findFirst({ where: { negativeEntryId: entry.id, status: "pending" } });
  if (pending) throw new StateError(`${label}已有待受理的申诉（申诉号 ${pending.id}），请等待目标办答复。`);
}

export type AppealSubject =
  | { kind: "entry"; entry: Entry; label: string; viaTarget: string | null; used: number }
  | { kind: "target"; target: Awaited<ReturnType<typeof getVisibleTarget>>; label: string; used: number };

/** Resolves the first words of 申诉 to an entry open to appeal or a target, or says what to write. */
export async function resolveAppealSubject(tx: Tx, actor: Actor, words: string[], cycleId: number, now: Date, windowDays: number): Promise<AppealSubject> {
  requireRole(actor, ["officer", "head"], "提出申诉（申诉由单位目标办或单位主要负责人提出）");
  const parsed = parseEntryRef(words);
  if (parsed) {
    const entry = await agencyEntry(tx, actor, parsed.ref);
    await assertAppealable(tx, entry, now, windowDays);
    return { kind: "entry", entry, label: entryLabel(entry.list.period, entry.seq), viaTarget: null, used: parsed.used };
  }
  const first = words[0] ?? "";
  if (/^\d+$/.test(first)) {
    throw new InputError(`负面清单条目按季度编号，请写明季度和条目号，例如：申诉 ${await exampleRef(tx, actor, now)} <理由>（条目号见“负面清单”）。`, "bad_entry");
  }
  if (!looksLikeTargetCode(first)) {
    throw new InputError(`“${first}”既不是负面清单条目（如 ${await exampleRef(tx, actor, now)}），也不是目标编号（如 FGW-03）。`, "bad_entry");
  }
  const target = await getVisibleTarget(tx, actor, cycleId, first);
  const entries = await tx.negativeListEntry.findMany({
    where: { targetId: target.id, status: "active", list: { agencyId: actor.agencyId ?? -1 } },
    include: entryInclude,
    orderBy: [{ list: { period: "asc" } }, { seq: "asc" }],
  });
  const open = entries.filter((e) => beijingDate(now) <= entryLastDay(e, windowDays));
  if (open.length > 1) {
    const forms = open.map((e) => `· ${entryLabel(e.list.period, e.seq)}：申诉 ${entryRefText(e.list.period, e.seq)} <理由>`);
    throw new InputError(`目标 ${target.code} 在申诉期内有 ${open.length} 项负面清单条目，请写明申诉哪一项：\n${forms.join("\n")}`, "ambiguous_entry");
  }
  if (open.length === 1) {
    await assertAppealable(tx, open[0], now, windowDays);
    return { kind: "entry", entry: open[0], label: entryLabel(open[0].list.period, open[0].seq), viaTarget: target.code, used: 1 };
  }
  const pending = await tx.appeal.findFirst({ where: { targetId: target.id, subjectType: "target", status: "pending" } });
  if (pending) throw new StateError(`目标 ${target.code} 已有待受理的申诉（申诉号 ${pending.id}），请等待目标办答复。`);
  return { kind: "target", target, label: `目标 ${target.code}`, used: 1 };
}

/** An example in the agency's own newest quarter, so the hint is one the reader can use. */
async function exampleRef(tx: Tx, actor: Actor, now: Date): Promise<string> {
  const latest = actor.agencyId === null ? null : await tx.negativeList.findFirst({ where: { agencyId: actor.agencyId }, orderBy: { period: "desc" } });
  return entryRefText(latest?.period ?? periodOf(previousQuarter(quarterOf(beijingDate(now)))), 1);
}

/**
 * What accepting an appeal against a target changes: nothing by itself. When the target is on a
 * negative list, the entry is named, with how to appeal it while its window is open.
 */
export async function targetAppealEffect(tx: Tx, agencyId: number, target: { id: number; code: string }, now: Date, windowDays: number) {
  const entries = await tx.negativeListEntry.findMany({
    where: { targetId: target.id, status: "active", list: { agencyId } },
    include: { list: true },
    orderBy: [{ list: { period: "asc" } }, { seq: "asc" }],
  });
  if (entries.length === 0) {
    const text = `本申诉针对目标 ${target.code} 本身，不在任何负面清单中：同意后负面清单、目标状态和台账均不自动变更。`;
    return { forOffice: text, forAgency: text };
  }
  const named = entries.map((e) => `${entryLabel(e.list.period, e.seq)}（${e.points} 分）`).join("、");
  const head = `目标 ${target.code} 列入${named}，同意本申诉不撤销${entries.length > 1 ? "上述各项" : "该项"}`;
  const routes = entries.map((e) => {
    const lastDay = entryLastDay(e, windowDays);
    return beijingDate(now) <= lastDay
      ? `如对该项有异议，请于 ${chineseDate(lastDay)}（含）前发送：申诉 ${entryRefText(e.list.period, e.seq)} <理由>`
      : `${entryLabel(e.list.period, e.seq)}的申诉期已于 ${chineseDate(lastDay)} 结束`;
  });
  return { forOffice: `${head}；撤销须受理对该项的申诉。`, forAgency: `${head}。${routes.join("；")}。` };
}
