/**
 * The reply model: what the core answers, independent of any platform. Each channel renders it
 * (console as text, WeCom as text/markdown/template_card, DingTalk as text/markdown/action card).
 */
export type Reply = TextReply | MarkdownReply | CardReply | CardUpdateReply | FileReply;

export interface TextReply {
  kind: "text";
  text: string;
  /** For a long list: where to get all of it when a platform can show only part, e.g. 发送“导出 统计”获取 Excel 文件。 */
  more?: string;
}

/** Markdown limited to what both WeCom and DingTalk render: headings, bold, lists, links, quotes. */
export interface MarkdownReply {
  kind: "markdown";
  title: string;
  text: string;
  /** As TextReply.more. */
  more?: string;
}

export interface CardReply {
  kind: "card";
  card: Card;
}

/** Tells the channel that a card was acted on: grey it out with `status` so it cannot be used again. */
export interface CardUpdateReply {
  kind: "card-update";
  cardKey: string;
  status: string;
}

export interface FileReply {
  kind: "file";
  fileName: string;
  /** Base64 so the reply model stays JSON (it is stored in the outbox and the inbound ledger). */
  base64: string;
  caption?: string;
}

export interface Card {
  /** Unique key of this card instance (WeCom task_id, DingTalk outTrackId). */
  key: string;
  title: string;
  description?: string;
  /** Label/value rows shown on the card. */
  fields?: { label: string; value: string }[];
  /** Single-choice selects; their chosen option ids fill {key} placeholders in action commands. */
  selects?: CardSelect[];
  actions: CardAction[];
  /**
   * A card that is only good until a day (an appeal window, §5.3e): from the next Beijing day a click
   * is answered with `closedText`, the card shows `closedStatus` and takes no more clicks.
   */
  openUntil?: { lastDay: string; closedStatus: string; closedText: string };
}

export interface CardSelect {
  key: string;
  label: string;
  options: { id: string; label: string }[];
  /** Option id preselected. */
  selected?: string;
}

export interface CardAction {
  /** Button key returned by the platform when clicked. */
  key: string;
  label: string;
  style?: "primary" | "default" | "danger";
  /** The chat command this button stands for, with {selectKey} placeholders, e.g. "汇报 FGW-03 {progress}". */
  command: string;
}

export const text = (t: string): TextReply => ({ kind: "text", text: t });
export const markdown = (title: string, t: string): MarkdownReply => ({ kind: "markdown", title, text: t });
