import { beijingDate, parsePeriod, type Quarter } from "../domain/calendar/calendar.js";

/**
 * How people actually type on a phone's Chinese keyboard: full-width letters and digits
 * (ＦＧＷ－０９), a colon or comma after the command word (汇报：FGW-09，60，…), 确认 said as 好的.
 * Everything here is about the command's words; free text (a progress note) keeps its punctuation.
 */

/** Full-width ASCII letters, digits and the signs used in codes and figures → ASCII; the ideographic space → space. */
export function halfWidth(s: string): string {
  return s.replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\uFF05\uFF0D\uFF0E\uFF03\uFF0F]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, " ");
}

/**
 * Text as it may be stored: no control characters (PostgreSQL refuses NUL in text; none of them
 * means anything in a chat message) and no half of an emoji (a lone surrogate the drivers refuse).
 */
export function storableText(s: string): string {
  // Matching control characters is the point here.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, "");
}

/** After the command word, an ASCII colon or comma also separates (汇报:FGW-09); later only the Chinese ones do, so https://… stays whole. */
const FIRST_SEPARATOR = /^[\s:：,，;；]+/;
const SEPARATOR = /^[\s：，；]+/;
const FIRST_TOKEN = /^[^\s:：,，;；]+/;
const TOKEN = /^[^\s：，；]+/;
/** Codes, figures and periods: FGW-09, 60, 60%, 2026Q3, 12. */
const ASCII_TOKEN = /^[A-Za-z0-9%.\-_]+$/;

/**
 * The text of a message as a command: leading "/" dropped, full-width letters and digits made ASCII,
 * and the colons and commas that follow the command word and its coded arguments read as spaces —
 * but only when the first word is a command (`isCommand`), and only up to the first free-text word.
 */
export function normalizeCommandText(raw: string, isCommand: (firstWord: string) => boolean): string {
  const text = halfWidth(raw).trim().replace(/^[/／]/, "").trim();
  const first = FIRST_TOKEN.exec(text)?.[0];
  if (!first || !isCommand(first)) return text;
  let out = first;
  let rest = text.slice(first.length);
  for (let i = 0; ; i++) {
    const sep = (i === 0 ? FIRST_SEPARATOR : SEPARATOR).exec(rest);
    if (!sep) break;
    const token = TOKEN.exec(rest.slice(sep[0].length))?.[0];
    if (!token) break;
    out += ` ${token}`;
    rest = rest.slice(sep[0].length + token.length);
    if (!ASCII_TOKEN.test(token)) break;
  }
  return out + rest;
}

/** Words that say yes to “请回复‘确认’执行” (with or without a full stop or an exclamation mark). */
const YES = new Set(["确认", "确定", "是", "是的", "好", "好的", "对", "对的", "可以", "行", "没问题", "ok", "yes", "y"]);

export function isConfirmation(text: string): boolean {
  return YES.has(halfWidth(text).trim().replace(/[。.!！~～]+$/, "").toLowerCase());
}

const CHINESE_DIGIT = "一二三四";

/**
 * A quarter as people write it: 2026Q3, 2026年第三季度, 2026年Q3, and without a year (this year):
 * Q3, 三季度, 第三季度, 第3季度.
 */
export function parseQuarterText(text: string, now: Date): Quarter | null {
  const t = halfWidth(text).replace(/\s+/g, "").replace(/^(\d{4})年(?=[Qq])/, "$1");
  const full = parsePeriod(t);
  if (full) return full;
  const m = /^(?:[Qq]([1-4])|第?([1-4一二三四])季度)$/.exec(t);
  if (!m) return null;
  const d = m[1] ?? m[2];
  const quarter = (CHINESE_DIGIT.includes(d) ? CHINESE_DIGIT.indexOf(d) + 1 : Number(d)) as Quarter["quarter"];
  return { year: Number(beijingDate(now).slice(0, 4)), quarter };
}
