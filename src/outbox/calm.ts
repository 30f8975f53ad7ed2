import { createHash } from "node:crypto";
import { addDays, beijingDate, beijingMinutes, fromBeijingDate } from "../domain/calendar.js";
import type { Reply } from "../messages/reply.js";

/**
 * Calm reminders, as pure functions the outbox worker calls (no database, no clock of its own):
 * pushes wait for the delivery window (QUIET_HOURS on working days), several optional messages for
 * one person due together merge into one digest, a muted person gets only mandatory notices, and
 * nobody gets the same message twice on one Beijing day.
 */

/** The daily window pushes may go out in, in minutes after 00:00 Beijing time; end exclusive. */
export interface DeliveryWindow {
  start: number;
  end: number;
}

/** A Beijing date ("2026-10-08") → is it a working day. Pass `WorkingDays.isWorkingDay`. */
export type IsWorkingDay = (day: string) => boolean;

/** "08:30-18:00" (the QUIET_HOURS setting: the hours pushes are allowed in). */
export function parseQuietHours(spec: string): DeliveryWindow {
  const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(spec.trim());
  if (!m) throw new RangeError(`QUIET_HOURS "${spec}" must look like 08:30-18:00`);
  const [h1, m1, h2, m2] = m.slice(1).map(Number);
  if (h1 > 23 || h2 > 24 || m1 > 59 || m2 > 59) throw new RangeError(`QUIET_HOURS "${spec}" is not a time of day`);
  const window = { start: h1 * 60 + m1, end: h2 * 60 + m2 };
  // An overnight window would push at night, which is what the setting exists to prevent.
  if (window.start >= window.end) throw new RangeError(`QUIET_HOURS "${spec}": the start must be before the end on the same day`);
  return window;
}

export function isDeliverable(at: Date, window: DeliveryWindow, isWorkingDay: IsWorkingDay): boolean {
  const minutes = beijingMinutes(at);
  return isWorkingDay(beijingDate(at)) && minutes >= window.start && minutes < window.end;
}

/** The instant itself when inside the window, else the start of the next window on a working day. */
export function nextDeliveryTime(at: Date, window: DeliveryWindow, isWorkingDay: IsWorkingDay): Date {
  if (isDeliverable(at, window, isWorkingDay)) return at;
  const today = beijingDate(at);
  let day = isWorkingDay(today) && beijingMinutes(at) < window.start ? today : addDays(today, 1);
  // Bounded like the working-day calendar: no holiday run is longer than this.
  for (let i = 0; i < 40 && !isWorkingDay(day); i++) day = addDays(day, 1);
  return new Date(fromBeijingDate(day).getTime() + window.start * 60_000);
}

/** The mute rule: 退订 提醒 silences optional messages only; mandatory ones (§2.23 list, escalations) always go. */
export function isMuted(message: { mandatory: boolean }, user: { muteOptional: boolean } | null | undefined): boolean {
  return !message.mandatory && Boolean(user?.muteOptional);
}

/**
 * What a message says, independent of card keys (random per card), so the same reminder queued
 * under two idempotency keys is recognised as the same message.
 */
export function fingerprint(payload: Reply | string): string {
  const reply = (typeof payload === "string" ? JSON.parse(payload) : payload) as Reply;
  const content = reply.kind === "card" ? { ...reply, card: { ...reply.card, key: "" } } : reply;
  return createHash("sha256").update(JSON.stringify(content)).digest("hex");
}

/** The first instant of the Beijing day containing `now`: the worker reads what was sent since. */
export function startOfBeijingDay(now: Date): Date {
  return fromBeijingDate(beijingDate(now));
}

export interface PendingRow {
  id: number;
  userId: number | null;
  platform: string;
  recipient: string;
  idempotencyKey: string;
  payload: string;
  mandatory: boolean;
}

export interface DeliveryPlan {
  /** One send per entry; a digest covers several rows, all of which are marked sent with it. */
  send: { rowIds: number[]; platform: string; recipient: string; userId: number | null; reply: Reply; digest: boolean }[];
  /** Outside the delivery window: set notBefore and release the claim. */
  defer: { rowIds: number[]; notBefore: Date } | null;
  /** Not to be sent at all: the person muted optional messages, or got the same message today. */
  skip: { rowId: number; reason: "muted" | "duplicate" }[];
}

export interface PlanContext {
  now: Date;
  window: DeliveryWindow;
  isWorkingDay: IsWorkingDay;
  /** muteOptional of each userId in the batch. */
  users: Map<number, { muteOptional: boolean }>;
  /** Fingerprints of what each user was already sent today (payloads of rows with sentAt ≥ startOfBeijingDay). */
  sentToday: Map<number, Set<string>>;
  /** Which rows may join a digest; default: optional text and markdown (cards keep their buttons). */
  digestible?: (row: PendingRow, reply: Reply) => boolean;
}

const defaultDigestible = (row: PendingRow, reply: Reply) => !row.mandatory && (reply.kind === "text" || reply.kind === "markdown");

/** Decides, for a batch of due rows, what to send now (merged), what to hold, and what to drop. */
export function planDelivery(rows: PendingRow[], ctx: PlanContext): DeliveryPlan {
  const plan: DeliveryPlan = { send: [], defer: null, skip: [] };
  if (rows.length === 0) return plan;
  if (!isDeliverable(ctx.now, ctx.window, ctx.isWorkingDay)) {
    plan.defer = { rowIds: rows.map((r) => r.id), notBefore: nextDeliveryTime(ctx.now, ctx.window, ctx.isWorkingDay) };
    return plan;
  }
  const digestible = ctx.digestible ?? defaultDigestible;
  const groups = new Map<string, { row: PendingRow; reply: Reply }[]>();
  const seen = new Map<string, Set<string>>();
  for (const row of [...rows].sort((a, b) => a.id - b.id)) {
    if (row.userId !== null && isMuted(row, ctx.users.get(row.userId))) {
      plan.skip.push({ rowId: row.id, reason: "muted" });
      continue;
    }
    const who = `${row.userId ?? ""}|${row.platform}|${row.recipient}`;
    const print = fingerprint(row.payload);
    const already = seen.get(who) ?? new Set(row.userId !== null ? ctx.sentToday.get(row.userId) : []);
    seen.set(who, already);
    if (already.has(print)) {
      plan.skip.push({ rowId: row.id, reason: "duplicate" });
      continue;
    }
    already.add(print);
    const list = groups.get(who) ?? [];
    list.push({ row, reply: JSON.parse(row.payload) as Reply });
    groups.set(who, list);
  }
  for (const list of groups.values()) {
    const merge = list.filter((x) => digestible(x.row, x.reply));
    const alone = merge.length >= 2 ? list.filter((x) => !merge.includes(x)) : list;
    const { userId, platform, recipient } = list[0].row;
    for (const x of alone) plan.send.push({ rowIds: [x.row.id], platform, recipient, userId, reply: x.reply, digest: false });
    if (merge.length >= 2) {
      plan.send.push({ rowIds: merge.map((x) => x.row.id), platform, recipient, userId, reply: digestReply(merge.map((x) => x.reply)), digest: true });
    }
  }
  return plan;
}

/** One markdown message out of several text or markdown replies, numbered in the order they were queued. */
export function digestReply(replies: Reply[]): Reply {
  const parts = replies.map((r, i) => {
    const body = r.kind === "text" ? r.text : r.kind === "markdown" ? r.text : "";
    return `**${i + 1}.** ${body.trim()}`;
  });
  return {
    kind: "markdown",
    title: `提醒汇总（${replies.length} 条）`,
    text: [`**今日提醒汇总（共 ${replies.length} 条）**`, ...parts, "如不再接收非必要提醒，请回复“退订 提醒”；负面清单、督办等必要通知不受影响。"].join("\n\n"),
  };
}
