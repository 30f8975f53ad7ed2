/**
 * Payload rules of the WeCom send APIs as the simulator enforces them (doc 90236 发送应用消息,
 * doc 94888 更新模版卡片消息, error codes doc 90313). Where the docs name no errcode for a rule the
 * code chosen here is marked UNCONFIRMED; tests should assert "refused", not the exact number.
 */

export class SimApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`${errcode} ${errmsg}`);
  }
}

export const CONTENT_MAX_BYTES = 2048;
export const MSGTYPES = ["text", "image", "voice", "video", "file", "textcard", "news", "mpnews", "markdown", "miniprogram_notice", "template_card"];
export const CARD_TYPES = ["text_notice", "news_notice", "button_interaction", "vote_interaction", "multiple_interaction"];
/** Cards whose clicks call back (and that get a response_code). */
export const INTERACTIVE = ["button_interaction", "vote_interaction", "multiple_interaction"];
const TASK_ID = /^[0-9A-Za-z_\-@]{1,128}$/;

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const bytes = (s: string) => Buffer.byteLength(s, "utf8");
const fail = (errcode: number, errmsg: string): never => {
  throw new SimApiError(errcode, errmsg);
};

function nonEmptyString(v: unknown): v is string {
  return typeof v === "string" && v !== "";
}

/** agentid must be an integer and the token's own app (40056 / 301002, doc 90313). */
export function checkAgent(body: Obj, agentId: number): void {
  const a = body.agentid;
  if (a === undefined) fail(40056, "invalid agentid: missing");
  if (typeof a !== "number" || !Number.isInteger(a)) fail(40056, "invalid agentid: must be an integer");
  if (a !== agentId) fail(301002, "not allow operate another agent with this accesstoken");
}

/** Recipients of message/send: pipe-separated strings, not all empty (doc 90236). */
export function recipients(body: Obj): string[] {
  for (const f of ["touser", "toparty", "totag"]) {
    if (body[f] !== undefined && typeof body[f] !== "string") fail(40058, `invalid ${f}: must be a "|"-separated string`);
  }
  const users = ((body.touser as string | undefined) ?? "").split("|").filter(Boolean);
  if (users.length === 0 && !body.toparty && !body.totag) fail(82001, "all touser/toparty/totag empty");
  if (users.length > 1000) fail(40058, "touser: at most 1000");
  return users;
}

export interface ContentCheck {
  /** What the member sees (text truncated as WeCom does). */
  content?: string;
  truncated?: boolean;
}

export function checkMessage(body: Obj, mediaExists: (id: string) => boolean): ContentCheck {
  const msgtype = body.msgtype;
  if (typeof msgtype !== "string" || !MSGTYPES.includes(msgtype)) fail(40008, "invalid message type");
  switch (msgtype) {
    case "text": {
      const content = isObj(body.text) ? body.text.content : undefined;
      if (!nonEmptyString(content)) fail(44004, "empty content");
      const c = content as string;
      // "最长不超过2048个字节，超过将截断" (doc 90236): WeCom cuts silently; we record that it happened.
      if (bytes(c) > CONTENT_MAX_BYTES) return { content: Buffer.from(c).subarray(0, CONTENT_MAX_BYTES).toString("utf8"), truncated: true };
      return { content: c };
    }
    case "markdown": {
      const content = isObj(body.markdown) ? body.markdown.content : undefined;
      if (!nonEmptyString(content)) fail(44004, "empty content");
      if (bytes(content as string) > CONTENT_MAX_BYTES) fail(45002, "content size out of limit"); // UNCONFIRMED errcode
      return { content: content as string };
    }
    case "file":
    case "image":
    case "voice":
    case "video": {
      const part = body[msgtype];
      const mediaId = isObj(part) ? part.media_id : undefined;
      if (!nonEmptyString(mediaId)) fail(41006, "media_id missing");
      if (!mediaExists(mediaId as string)) fail(40007, "invalid media_id");
      return {};
    }
    case "template_card":
      if (!isObj(body.template_card)) fail(40058, "template_card missing");
      return {};
    default:
      return {};
  }
}

/** Every key a member can click on a card: buttons, submit button, right-top menu. */
export function cardKeys(card: Obj): string[] {
  const keys: string[] = [];
  for (const b of arr(card.button_list)) if (isObj(b) && nonEmptyString(b.key)) keys.push(b.key);
  if (isObj(card.submit_button) && nonEmptyString(card.submit_button.key)) keys.push(card.submit_button.key);
  if (isObj(card.action_menu)) for (const a of arr(card.action_menu.action_list)) if (isObj(a) && nonEmptyString(a.key)) keys.push(a.key);
  return keys;
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function listLength(v: unknown, what: string, min: number, max: number): unknown[] {
  if (v !== undefined && !Array.isArray(v)) fail(40058, `${what} must be a list`);
  const list = arr(v);
  if (list.length < min || list.length > max) fail(40058, `${what}: ${min}–${max} items`);
  return list;
}

function options(v: unknown, what: string, max: number): void {
  const list = listLength(v, `${what}.option_list`, 1, max);
  const ids = new Set<string>();
  for (const o of list) {
    if (!isObj(o) || !nonEmptyString(o.id) || bytes(o.id) > 128) fail(40058, `${what}: option id required, at most 128 bytes`);
    if (!nonEmptyString((o as Obj).text)) fail(40058, `${what}: option text required`);
    if (ids.has((o as Obj).id as string)) fail(40058, `${what}: option ids must be unique`);
    ids.add((o as Obj).id as string);
  }
}

function key(v: unknown, what: string): string {
  if (!nonEmptyString(v)) fail(42017, `${what}: key missing`);
  if (bytes(v as string) > 1024) fail(42018, `${what}: key longer than 1024 bytes`);
  return v as string;
}

/**
 * template_card required fields per card_type (doc 90236 parameter tables). Returns the card type.
 * `taskIdTaken` enforces "同一个应用任务id不能重复".
 */
export function checkTemplateCard(card: Obj, taskIdTaken: (id: string) => boolean): string {
  const type = card.card_type;
  if (typeof type !== "string" || !CARD_TYPES.includes(type)) fail(40058, "invalid card_type");
  const needsTask = INTERACTIVE.includes(type as string) || isObj(card.action_menu);
  if (needsTask || card.task_id !== undefined) {
    if (typeof card.task_id !== "string" || !TASK_ID.test(card.task_id)) fail(42014, "invalid task_id: [0-9A-Za-z_-@], at most 128 bytes");
    if (taskIdTaken(card.task_id as string)) fail(42014, "task_id already used by this app"); // UNCONFIRMED errcode
  }
  const title = isObj(card.main_title) ? card.main_title.title : undefined;
  if (card.horizontal_content_list !== undefined) {
    for (const h of listLength(card.horizontal_content_list, "horizontal_content_list", 0, 6)) {
      if (!isObj(h) || !nonEmptyString(h.keyname)) fail(40058, "horizontal_content_list: keyname required");
    }
  }
  if (card.jump_list !== undefined) listLength(card.jump_list, "jump_list", 0, 3);
  if (isObj(card.action_menu)) {
    for (const a of listLength(card.action_menu.action_list, "action_menu.action_list", 1, 3)) key(isObj(a) ? a.key : undefined, "action_menu");
  }

  switch (type) {
    case "text_notice":
    case "news_notice": {
      const action = card.card_action;
      if (!isObj(action) || (action.type === 1 && !nonEmptyString(action.url)) || (action.type === 2 && !nonEmptyString(action.appid)) || ![1, 2].includes(action.type as number)) {
        fail(40058, "card_action: type 1 with url or type 2 with appid required");
      }
      if (type === "text_notice" && !nonEmptyString(title) && !nonEmptyString(card.sub_title_text)) fail(40058, "main_title.title or sub_title_text required");
      if (type === "news_notice" && !isObj(card.card_image) && !isObj(card.image_text_area)) fail(40058, "card_image or image_text_area required");
      break;
    }
    case "button_interaction": {
      if (!nonEmptyString(title)) fail(40058, "main_title.title required");
      const seen = new Set<string>();
      for (const b of listLength(card.button_list, "button_list", 1, 6)) {
        if (!isObj(b) || !nonEmptyString(b.text)) fail(42020, "button text missing");
        const bt = (b as Obj).type ?? 0;
        if (bt === 1) {
          if (!nonEmptyString((b as Obj).url)) fail(40058, "button url required for type 1");
        } else {
          const k = key((b as Obj).key, "button_list");
          if (seen.has(k)) fail(42018, "button keys must be unique");
          seen.add(k);
        }
      }
      if (card.button_selection !== undefined) {
        const s = card.button_selection;
        if (!isObj(s)) fail(40058, "button_selection must be an object");
        key((s as Obj).question_key, "button_selection.question_key");
        options((s as Obj).option_list, "button_selection", 10);
      }
      break;
    }
    case "vote_interaction": {
      if (!nonEmptyString(title)) fail(40058, "main_title.title required");
      if (!isObj(card.checkbox)) fail(40058, "checkbox required");
      key((card.checkbox as Obj).question_key, "checkbox.question_key");
      options((card.checkbox as Obj).option_list, "checkbox", 20);
      if (!isObj(card.submit_button)) fail(40058, "submit_button required");
      key((card.submit_button as Obj).key, "submit_button");
      break;
    }
    case "multiple_interaction": {
      if (!nonEmptyString(title)) fail(40058, "main_title.title required");
      const keys = new Set<string>();
      for (const s of listLength(card.select_list, "select_list", 1, 3)) {
        if (!isObj(s)) fail(40058, "select_list items must be objects");
        const k = key((s as Obj).question_key, "select_list.question_key");
        if (keys.has(k)) fail(40058, "select_list question_key must be unique");
        keys.add(k);
        options((s as Obj).option_list, `select_list[${k}]`, 10);
      }
      if (!isObj(card.submit_button)) fail(40058, "submit_button required");
      key((card.submit_button as Obj).key, "submit_button");
      break;
    }
  }
  return type as string;
}
