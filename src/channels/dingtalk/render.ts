import type { Card, MarkdownReply, TextReply } from "../../messages/reply.js";
import { splitReply, type SplitLimit } from "../split.js";
import type { RobotMessage } from "./api.js";

/**
 * Reply model → DingTalk payloads. Pure functions.
 *
 * Robot API messages use msgKey/msgParam (sampleText {content}, sampleMarkdown {title, text},
 * sampleFile {mediaId, fileName, fileType}); session webhooks use the custom-robot format
 * ({msgtype, text|markdown, at}) — open.dingtalk.com/document/orgapp/robot-message-types-and-data-format.
 */

/**
 * Size limits: a robot API message's msgParam (a JSON string) at most 15,000 bytes (robot message
 * pages); a session-webhook body at most 20,000 bytes (errcode 460101 "message too long, exceed 20000
 * bytes"). Both are checked on the JSON actually sent; the webhook budget keeps room for the @ list.
 */
export const MSG_PARAM_MAX_BYTES = 15_000;
export const WEBHOOK_BODY_MAX_BYTES = 20_000;
const AT_RESERVE_BYTES = 200;
/** Parts of one reply before the rest is left to 导出 (see split.ts). */
export const MAX_PARTS = 4;

const jsonBytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v), "utf8");

export const DINGTALK_LIMIT: SplitLimit = {
  maxParts: MAX_PARTS,
  fits: (r) => jsonBytes(robotParam(r)) <= MSG_PARAM_MAX_BYTES && jsonBytes(webhookBody(r)) + AT_RESERVE_BYTES <= WEBHOOK_BODY_MAX_BYTES,
};

/** A text or markdown reply as it fits DingTalk: itself, or numbered parts cut at line ends. */
export function splitForDingtalk<R extends TextReply | MarkdownReply>(reply: R): R[] {
  return splitReply(reply, DINGTALK_LIMIT);
}

/** Callers split first (splitForDingtalk); the cut in clip() is a last guard that should never act. */
export function toRobotMessage(reply: TextReply | MarkdownReply): RobotMessage {
  return { msgKey: reply.kind === "text" ? "sampleText" : "sampleMarkdown", msgParam: robotParam({ ...reply, text: clip(reply.text) }) };
}

export function toWebhookMessage(reply: TextReply | MarkdownReply, atStaffId?: string): Record<string, unknown> {
  const at = atStaffId ? { at: { atUserIds: [atStaffId], isAtAll: false } } : {};
  return { ...webhookBody({ ...reply, text: clip(reply.text) }), ...at };
}

function robotParam(reply: TextReply | MarkdownReply): Record<string, string> {
  return reply.kind === "text" ? { content: reply.text } : { title: reply.title, text: reply.text };
}

function webhookBody(reply: TextReply | MarkdownReply): Record<string, unknown> {
  return reply.kind === "text" ? { msgtype: "text", text: { content: reply.text } } : { msgtype: "markdown", markdown: { title: reply.title, text: reply.text } };
}

export function fileMessage(mediaId: string, fileName: string): RobotMessage {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(fileName)?.[1]?.toLowerCase() ?? "file";
  return { msgKey: "sampleFile", msgParam: { mediaId, fileName, fileType: ext } };
}

/**
 * Variables of the interactive card template (built once in the DingTalk card platform and named by
 * its cardTemplateId). Every value is a string (cardParamMap is Map<String,String>); lists are JSON:
 * - title, description (markdown), lastMessage (conversation-list preview)
 * - fields: [{label, value}] for a loop container; fieldsMarkdown: the same as one markdown block
 * - selects: [{key, label, options: [{value, text}], defaultValue?: {index, value}}]
 * - actions: [{key, label, style}]; each button is a 回传请求 whose params are
 *   { action: <actions[i].key>, <selects[j].key>: <chosen option value> }
 * - status / submitted: set on submission to show the result and disable the buttons.
 */
export function cardParamMap(card: Card): Record<string, string> {
  const fields = card.fields ?? [];
  return {
    title: card.title,
    description: card.description ?? "",
    lastMessage: card.title,
    fields: JSON.stringify(fields),
    fieldsMarkdown: fields.map((f) => `**${f.label}**：${f.value}`).join("\n\n"),
    selects: JSON.stringify(
      (card.selects ?? []).map((s) => {
        const index = s.options.findIndex((o) => o.id === s.selected);
        return {
          key: s.key,
          label: s.label,
          options: s.options.map((o) => ({ value: o.id, text: o.label })),
          ...(index >= 0 ? { defaultValue: { index, value: s.selected } } : {}),
        };
      }),
    ),
    actions: JSON.stringify(card.actions.map((a) => ({ key: a.key, label: a.label, style: a.style ?? "default" }))),
    status: "",
    submitted: "false",
  };
}

/** The variables that mark a card used: shown to everyone (public) and to the clicker (private). */
export function submittedParams(status: string): Record<string, string> {
  return { status, submitted: "true" };
}

/** Beyond this many option combinations a card lists the command form instead of one link each. */
const MAX_LINKS_PER_ACTION = 12;

/**
 * A card without an interactive template: markdown whose links send the action's command as the
 * user's own message (dtmd://dingtalkclient/sendMessage, open.dingtalk.com/document/orgapp/
 * message-link-description). Such links work in markdown messages; whether they work in action-card
 * buttons is not documented, so cards are not rendered as sampleActionCard.
 */
export function cardAsMarkdown(card: Card): RobotMessage {
  const lines: string[] = [`### ${card.title}`];
  if (card.description) lines.push(card.description);
  for (const f of card.fields ?? []) lines.push(`- **${f.label}**：${f.value}`);
  for (const action of card.actions) lines.push(actionLine(card, action));
  lines.push("点击链接即可发送对应命令，也可以直接输入命令。");
  return { msgKey: "sampleMarkdown", msgParam: { title: card.title, text: clip(lines.join("\n\n")) } };
}

function actionLine(card: Card, action: Card["actions"][number]): string {
  const used = (card.selects ?? []).filter((s) => action.command.includes(`{${s.key}}`) && s.options.length > 0);
  if (used.length === 0) return `[${linkText(action.label)}](${sendLink(action.command)})`;
  let combos: { command: string; labels: string[] }[] = [{ command: action.command, labels: [] }];
  for (const s of used) {
    combos = combos.flatMap((c) => s.options.map((o) => ({ command: c.command.replaceAll(`{${s.key}}`, o.id), labels: [...c.labels, o.label] })));
    if (combos.length > MAX_LINKS_PER_ACTION) break;
  }
  if (combos.length <= MAX_LINKS_PER_ACTION) {
    return `**${action.label}**：${combos.map((c) => `[${linkText(c.labels.join(" "))}](${sendLink(c.command)})`).join("　")}`;
  }
  const form = used.reduce((cmd, s) => cmd.replaceAll(`{${s.key}}`, `<${s.label}>`), action.command);
  const choices = used.map((s) => `${s.label}可选：${s.options.map((o) => `${o.id}（${o.label}）`).join("、")}`);
  return [`**${action.label}**：请发送“${form}”`, ...choices].join("\n\n");
}

function sendLink(command: string): string {
  return `dtmd://dingtalkclient/sendMessage?content=${encodeURIComponent(command)}`;
}

/** Square brackets would end the markdown link text early. */
function linkText(s: string): string {
  return s.replace(/\[/g, "【").replace(/\]/g, "】");
}

/** 4,000 characters are at most 12,000 bytes of UTF-8 and still within both limits once escaped. */
const CLIP_CHARS = 4000;

function clip(s: string): string {
  return s.length <= CLIP_CHARS ? s : `${s.slice(0, CLIP_CHARS)}…（内容过长，已截断）`;
}
