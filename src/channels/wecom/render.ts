import type { Card, CardSelect, MarkdownReply, Reply, TextReply } from "../../messages/reply.js";
import { splitReply, type SplitLimit } from "../split.js";

/**
 * Reply model → WeCom message/send bodies (doc 90236). Pure functions: no I/O, no clock.
 *
 * Hard limits (content bytes, list lengths, key/id sizes) are enforced here; display lengths that the
 * doc only recommends ("建议不超过N个字") are truncated with "…" so cards stay readable on a phone.
 */

/**
 * text.content and markdown.content of an app message: at most 2048 bytes of UTF-8 (doc 90236; the
 * 4,096 bytes often quoted are the group robot's markdown, not an app's), and a passive text reply
 * likewise (doc 90241). Longer replies are split into numbered parts (splitForWecom).
 */
export const CONTENT_MAX_BYTES = 2048;
/** Parts of one reply: with other messages a member stays far below 30 messages a minute (doc 90312). */
export const MAX_PARTS = 8;
const ELLIPSIS = "…";

/**
 * Display lengths in characters, from the doc's recommendations (doc 90236 template_card tables:
 * title 36, desc 44, keyname 5, value 30, button 10, option 16); keyname gets a little more room
 * because cutting a four-character label such as 责任单位名称 hurts more than a wrapped line.
 */
const CHARS = { title: 36, desc: 44, keyname: 8, value: 30, button: 10, selectTitle: 16, option: 16 } as const;
/** Hard limits (doc 90236). */
const MAX = { buttons: 6, horizontal: 6, selects: 3, options: 10, keyBytes: 1024, optionIdBytes: 128, taskIdBytes: 128 } as const;

export class WecomRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WecomRenderError";
  }
}

/** Cuts a string to at most `maxBytes` of UTF-8 without splitting a character, marking the cut with "…". */
export function truncateBytes(s: string, maxBytes: number): string {
  if (Buffer.byteLength(s, "utf8") <= maxBytes) return s;
  const budget = maxBytes - Buffer.byteLength(ELLIPSIS, "utf8");
  let used = 0;
  let out = "";
  for (const ch of s) {
    const n = Buffer.byteLength(ch, "utf8");
    if (used + n > budget) break;
    used += n;
    out += ch;
  }
  return out + ELLIPSIS;
}

export function truncateChars(s: string, maxChars: number): string {
  const chars = Array.from(s);
  return chars.length <= maxChars ? s : chars.slice(0, maxChars - 1).join("") + ELLIPSIS;
}

// task_id allows only [0-9A-Za-z_-@], at most 128 bytes, unique per app (doc 90236). Card keys that fit
// are used as they are; others are carried as "@" + base64url(key) — base64url stays inside the allowed
// set — so the callback's TaskId maps back to the core's card key without any lookup table.
const TASK_ID = /^[0-9A-Za-z_-]+$/;

export function encodeTaskId(cardKey: string): string {
  const id = TASK_ID.test(cardKey) ? cardKey : `@${Buffer.from(cardKey, "utf8").toString("base64url")}`;
  if (id.length > MAX.taskIdBytes) throw new WecomRenderError(`card key too long for a WeCom task_id (${id.length} > 128 bytes)`);
  return id;
}

export function decodeTaskId(taskId: string): string {
  return taskId.startsWith("@") ? Buffer.from(taskId.slice(1), "base64url").toString("utf8") : taskId;
}

export interface TextBody {
  msgtype: "text";
  text: { content: string };
}
export interface MarkdownBody {
  msgtype: "markdown";
  markdown: { content: string };
}
export interface FileBody {
  msgtype: "file";
  file: { media_id: string };
}
export interface TemplateCardBody {
  msgtype: "template_card";
  template_card: Record<string, unknown>;
}
export type MessageBody = TextBody | MarkdownBody | FileBody | TemplateCardBody;

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

/** A text or markdown reply fits when its content — and, for markdown, its passive plain form — is within the limit. */
export const WECOM_LIMIT: SplitLimit = {
  maxParts: MAX_PARTS,
  fits: (r) => (r.kind === "text" ? bytes(r.text) <= CONTENT_MAX_BYTES : bytes(markdownContent(r)) <= CONTENT_MAX_BYTES && bytes(plain(r)) <= CONTENT_MAX_BYTES),
};

/** Text and markdown beyond the limit become numbered parts cut at line ends; other replies pass as they are. */
export function splitForWecom(reply: Reply): Reply[] {
  return reply.kind === "text" || reply.kind === "markdown" ? splitReply<TextReply | MarkdownReply>(reply, WECOM_LIMIT) : [reply];
}

/** The message bodies of a text or markdown reply: one, or its numbered parts. */
export function renderTextual(reply: TextReply | MarkdownReply): (TextBody | MarkdownBody)[] {
  return splitReply<TextReply | MarkdownReply>(reply, WECOM_LIMIT).map((p) => (p.kind === "text" ? renderText(p.text) : renderMarkdown(p)));
}

/** The cut here is a last guard only: senders split first (splitForWecom), so nothing is lost. */
export function renderText(text: string): TextBody {
  return { msgtype: "text", text: { content: truncateBytes(text, CONTENT_MAX_BYTES) } };
}

export function renderMarkdown(reply: MarkdownReply): MarkdownBody {
  return { msgtype: "markdown", markdown: { content: truncateBytes(markdownContent(reply), CONTENT_MAX_BYTES) } };
}

/** WeCom markdown has no separate title; show it as a heading unless the text already starts with it. */
function markdownContent(reply: MarkdownReply): string {
  const body = reply.text.trimStart();
  return !reply.title || body.replace(/^#+\s*/, "").startsWith(reply.title) ? reply.text : `### ${reply.title}\n${reply.text}`;
}

/**
 * Plain text for places that cannot render markdown (the passive reply supports text only, doc 90241):
 * drops heading marks, emphasis and quote marks, turns links into "text（url）".
 */
export function markdownToPlain(reply: MarkdownReply): string {
  return truncateBytes(plain(reply), CONTENT_MAX_BYTES);
}

function plain(reply: MarkdownReply): string {
  const text = reply.text
    .replace(/<font[^>]*>(.*?)<\/font>/g, "$1")
    .replace(/^#{1,6}\s*/gm, "")
    .replace(/^>\s?/gm, "")
    .replace(/\*\*(.+?)\*\*/g, "$1")
    .replace(/`([^`]+)`/g, "$1")
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, "$1（$2）");
  return reply.title && !text.trimStart().startsWith(reply.title) ? `${reply.title}\n${text}` : text;
}

const STYLE: Record<NonNullable<Card["actions"][number]["style"]>, number> = { primary: 1, default: 2, danger: 3 };

function checkBytes(what: string, value: string, max: number): string {
  if (value === "" || Buffer.byteLength(value, "utf8") > max) throw new WecomRenderError(`${what} must be 1–${max} bytes`);
  return value;
}

/**
 * A card becomes a button_interaction card, or a multiple_interaction card when it has selects (its
 * SelectedItems callback carries every select's choice, doc 90240). multiple_interaction has a single
 * submit button and no horizontal content list, so its first action is the submit and the fields go
 * into the title's description; selects longer than 10 options are windowed (visibleOptions).
 */
export function renderCard(card: Card): TemplateCardBody {
  if (card.actions.length === 0) throw new WecomRenderError("an interactive card needs at least one action");
  const task_id = encodeTaskId(card.key);
  const selects = card.selects ?? [];
  const fields = card.fields ?? [];
  if (selects.length === 0) {
    if (card.actions.length > MAX.buttons) throw new WecomRenderError(`at most ${MAX.buttons} buttons on a WeCom card`);
    const template_card: Record<string, unknown> = {
      card_type: "button_interaction",
      main_title: mainTitle(card.title, card.description),
      task_id,
      button_list: card.actions.map((a) => ({
        text: truncateChars(a.label, CHARS.button),
        style: STYLE[a.style ?? "default"],
        key: checkBytes("button key", a.key, MAX.keyBytes),
      })),
    };
    if (fields.length > 0) {
      template_card.horizontal_content_list = fields.slice(0, MAX.horizontal).map((f) => ({
        keyname: truncateChars(f.label, CHARS.keyname),
        value: truncateChars(f.value, CHARS.value),
      }));
    }
    return { msgtype: "template_card", template_card };
  }
  if (selects.length > MAX.selects) throw new WecomRenderError(`at most ${MAX.selects} selects on a WeCom card`);
  const submit = card.actions[0];
  const summary = fields.map((f) => `${f.label}：${f.value}`).join("；");
  const desc = [card.description, summary].filter(Boolean).join(" ");
  return {
    msgtype: "template_card",
    template_card: {
      card_type: "multiple_interaction",
      main_title: mainTitle(card.title, desc || undefined),
      task_id,
      select_list: selects.map((s) => {
        if (s.options.length === 0) throw new WecomRenderError("a select needs at least one option");
        return {
          question_key: checkBytes("select key", s.key, MAX.keyBytes),
          title: truncateChars(s.label, CHARS.selectTitle),
          ...(s.selected ? { selected_id: s.selected } : {}),
          option_list: visibleOptions(s).map((o) => ({ id: checkBytes("option id", o.id, MAX.optionIdBytes), text: truncateChars(o.label, CHARS.option) })),
        };
      }),
      submit_button: { text: truncateChars(submit.label, CHARS.button), key: checkBytes("button key", submit.key, MAX.keyBytes) },
    },
  };
}

/**
 * WeCom shows at most 10 options per select (doc 90236). A longer list keeps a window of 10 that starts
 * at the preselected option (the options after it are the likelier choices, e.g. progress 0…100 %)
 * and is shifted back when it would run past the end.
 */
export function visibleOptions(s: CardSelect): CardSelect["options"] {
  if (s.options.length <= MAX.options) return s.options;
  const selected = Math.max(0, s.options.findIndex((o) => o.id === s.selected));
  const start = Math.min(selected, s.options.length - MAX.options);
  return s.options.slice(start, start + MAX.options);
}

function mainTitle(title: string, desc?: string): { title: string; desc?: string } {
  return desc ? { title: truncateChars(title, CHARS.title), desc: truncateChars(desc, CHARS.desc) } : { title: truncateChars(title, CHARS.title) };
}
