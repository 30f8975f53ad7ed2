import { createDecipheriv, randomInt } from "node:crypto";
import { decrypt as wxDecrypt, encrypt as wxEncrypt, getSignature } from "@wecom/crypto";
import { XMLParser } from "fast-xml-parser";
import type { Obj, SimCard, SimState } from "./state.js";

/**
 * The simulated member's side: WeCom encrypting, signing and POSTing callbacks to the bot exactly as
 * docs 90238/90968 describe (via the official `@wecom/crypto`, independent of the bot's own crypto),
 * re-sending on timeout or non-200 (3 attempts, 5 s each), and checking and applying the bot's
 * passive reply (signature, decryption, receive id, addressee) to the member's screen and cards.
 */

export interface CallbackIdentity {
  corpId: string;
  agentId: number;
  token: string;
  encodingAesKey: string;
}

/** Ways to make a callback wrong on purpose, for the bot's rejection tests. */
export interface Forgery {
  /** Send a signature that does not match. */
  badSignature?: boolean;
  /** Receive id sealed into the ciphertext instead of the corp id. */
  corpId?: string;
  /** Shift the query timestamp (seconds) away from the simulator's clock. */
  timestampSkewSeconds?: number;
  /** Encrypt with another EncodingAESKey (the signature is still valid over that ciphertext). */
  encodingAesKey?: string;
  /** Replace the envelope XML (gets the ciphertext), e.g. to prepend a DOCTYPE. */
  envelope?: (encrypt: string) => string;
  /** Replace the decrypted message XML. */
  innerXml?: string;
}

export interface CallbackOptions {
  forge?: Forgery;
  /** Attempts in all (WeCom: 3). */
  attempts?: number;
  /** Per attempt (WeCom: 5 s). */
  timeoutMs?: number;
  /** Seconds; defaults to the simulator clock. */
  createTime?: number;
}

export interface CallbackAttempt {
  status: number;
  body: string;
  ms: number;
  error?: string;
}

export type PassiveReplyView = { msgType: "text"; content: string } | { msgType: "update_button"; replaceName: string } | { msgType: string; xml: string };

export interface CallbackResult {
  /** Status of the last attempt (0 when it timed out or failed to connect). */
  status: number;
  body: string;
  attempts: CallbackAttempt[];
  /** The decrypted passive reply, when the bot answered with one. */
  reply?: PassiveReplyView;
}

export interface RecordedCallback {
  kind: string;
  userid: string;
  innerXml: string;
  result: CallbackResult;
}

/** The bot's answer broke the protocol (bad signature, wrong corp id, wrong addressee …). */
export class SimProtocolError extends Error {}

const parser = new XMLParser({ processEntities: false, parseTagValue: false, ignoreAttributes: true, cdataPropName: false });
const cdata = (s: string) => `<![CDATA[${s}]]>`;

export interface DriverConfig {
  url: () => string | undefined;
  timeoutMs: number;
  attempts: number;
}

export class CallbackDriver {
  readonly callbacks: RecordedCallback[] = [];
  private msgSeq = 4561255354251345929n;

  constructor(
    private readonly id: CallbackIdentity,
    private readonly state: SimState,
    private readonly cfg: DriverConfig,
  ) {}

  nextMsgId(): string {
    this.msgSeq += 1n;
    return this.msgSeq.toString();
  }

  private head(userid: string, createTime: number, msgType: string): string {
    return (
      `<xml><ToUserName>${cdata(this.id.corpId)}</ToUserName>\n<FromUserName>${cdata(userid)}</FromUserName>\n` +
      `<CreateTime>${createTime}</CreateTime>\n<MsgType>${cdata(msgType)}</MsgType>\n`
    );
  }

  private createTime(opts: CallbackOptions): number {
    return opts.createTime ?? Math.floor(this.state.now() / 1000);
  }

  /** A text message (doc 90239). */
  sendText(userid: string, content: string, opts: CallbackOptions & { msgId?: string } = {}): Promise<CallbackResult> {
    const xml =
      this.head(userid, this.createTime(opts), "text") +
      `<Content>${cdata(content)}</Content>\n<MsgId>${opts.msgId ?? this.nextMsgId()}</MsgId>\n<AgentID>${this.id.agentId}</AgentID>\n</xml>`;
    return this.post("text", userid, xml, opts);
  }

  /** An image/video (doc 90239) or file message carrying a MediaId the bot fetches with media/get. */
  sendMedia(userid: string, msgType: "image" | "video" | "file", mediaId: string, opts: CallbackOptions & { msgId?: string; fileName?: string } = {}): Promise<CallbackResult> {
    const xml =
      this.head(userid, this.createTime(opts), msgType) +
      `<MediaId>${cdata(mediaId)}</MediaId>\n` +
      (opts.fileName ? `<FileName>${cdata(opts.fileName)}</FileName>\n` : "") +
      `<MsgId>${opts.msgId ?? this.nextMsgId()}</MsgId>\n<AgentID>${this.id.agentId}</AgentID>\n</xml>`;
    return this.post(msgType, userid, xml, opts);
  }

  /** enter_agent / subscribe / unsubscribe (doc 90240). */
  sendEvent(userid: string, event: string, opts: CallbackOptions = {}): Promise<CallbackResult> {
    const xml = this.head(userid, this.createTime(opts), "event") + `<Event>${cdata(event)}</Event>\n<EventKey>${cdata("")}</EventKey>\n<AgentID>${this.id.agentId}</AgentID>\n</xml>`;
    return this.post(event, userid, xml, opts);
  }

  /**
   * A member clicks `eventKey` on the card `taskId` (template_card_event, doc 90240). Refuses what a
   * real client would not allow: unknown cards, cards sent to someone else, keys not on the card,
   * greyed-out buttons, option ids not offered. `selected` maps question_key → option id(s); selects
   * not given keep their default (selected_id, else the first option).
   */
  async clickCard(userid: string, taskId: string, eventKey: string, selected: Record<string, string | string[]> = {}, opts: CallbackOptions & { force?: boolean } = {}): Promise<CallbackResult> {
    const card = this.state.cards.get(taskId);
    if (!opts.force) {
      if (!card) throw new Error(`no card with task_id ${taskId} was sent`);
      const member = userid.toLowerCase();
      if (!card.recipients.includes(member)) throw new Error(`card ${taskId} was not sent to ${userid}`);
      if (card.replaced.has(member)) throw new Error(`card ${taskId} is already handled for ${userid} (button shows "${card.replaced.get(member)}")`);
      if (!card.keys.includes(eventKey)) throw new Error(`card ${taskId} has no key ${eventKey}; it has ${card.keys.join(", ")}`);
    }
    const items = card ? selectedItems(card, selected, !opts.force) : [];
    const responseCode = this.state.issueResponseCode(taskId);
    const xml =
      this.head(userid, this.createTime(opts), "event") +
      `<Event>${cdata("template_card_event")}</Event>\n<EventKey>${cdata(eventKey)}</EventKey>\n<TaskId>${cdata(taskId)}</TaskId>\n` +
      `<CardType>${cdata(card?.cardType ?? "button_interaction")}</CardType>\n<ResponseCode>${cdata(responseCode)}</ResponseCode>\n` +
      `<AgentID>${this.id.agentId}</AgentID>\n` +
      (items.length
        ? `<SelectedItems>${items
            .map((i) => `<SelectedItem><QuestionKey>${cdata(i.key)}</QuestionKey><OptionIds>${i.ids.map((o) => `<OptionId>${cdata(o)}</OptionId>`).join("")}</OptionIds></SelectedItem>`)
            .join("")}</SelectedItems>\n`
        : "") +
      `</xml>`;
    return this.post("template_card_event", userid, xml, opts, taskId);
  }

  /** URL verification (doc 90238): the bot must answer the plain echostr within 1 s. */
  async verifyUrl(opts: { forge?: Forgery; timeoutMs?: number } = {}): Promise<{ ok: boolean; status: number; body: string; expected: string; ms: number }> {
    const expected = String(randomInt(1e9, 2 ** 47)) + String(randomInt(1e8, 1e9));
    const sealed = this.seal(expected, opts.forge);
    const started = Date.now();
    const res = await this.fetch(this.query(sealed, "echostr"), { method: "GET" }, opts.timeoutMs ?? 1000);
    return { ok: res.status === 200 && res.body === expected, status: res.status, body: res.body, expected, ms: Date.now() - started };
  }

  /** POST any body with any query, for malformed-request tests. */
  async postRaw(query: Record<string, string>, body: string, timeoutMs = this.cfg.timeoutMs): Promise<CallbackAttempt> {
    return this.fetch(new URLSearchParams(query).toString(), { method: "POST", body, headers: { "content-type": "text/xml" } }, timeoutMs);
  }

  /** Encrypt + sign as WeCom does; `forge` bends one rule. */
  seal(plain: string, forge: Forgery = {}): { encrypt: string; timestamp: string; nonce: string; signature: string } {
    const encrypt = wxEncrypt(forge.encodingAesKey ?? this.id.encodingAesKey, plain, forge.corpId ?? this.id.corpId);
    const timestamp = String(Math.floor(this.state.now() / 1000) + (forge.timestampSkewSeconds ?? 0));
    const nonce = String(randomInt(1e9, 2e9));
    let signature = getSignature(this.id.token, timestamp, nonce, encrypt);
    if (forge.badSignature) signature = (signature[0] === "0" ? "1" : "0") + signature.slice(1);
    return { encrypt, timestamp, nonce, signature };
  }

  private query(s: { encrypt: string; timestamp: string; nonce: string; signature: string }, echostr?: "echostr"): string {
    const q = new URLSearchParams({ msg_signature: s.signature, timestamp: s.timestamp, nonce: s.nonce });
    if (echostr) q.set("echostr", s.encrypt);
    return q.toString();
  }

  private async post(kind: string, userid: string, innerXml: string, opts: CallbackOptions, taskId?: string): Promise<CallbackResult> {
    const forge = opts.forge ?? {};
    const sealed = this.seal(forge.innerXml ?? innerXml, forge);
    const body =
      forge.envelope?.(sealed.encrypt) ??
      `<xml><ToUserName>${cdata(this.id.corpId)}</ToUserName><AgentID>${cdata(String(this.id.agentId))}</AgentID><Encrypt>${cdata(sealed.encrypt)}</Encrypt></xml>`;
    const attempts: CallbackAttempt[] = [];
    const max = opts.attempts ?? this.cfg.attempts;
    // WeCom re-sends the very same request when an attempt times out or is not a 200 (doc 90238).
    for (let i = 0; i < max; i++) {
      const a = await this.fetch(this.query(sealed), { method: "POST", body, headers: { "content-type": "text/xml" } }, opts.timeoutMs ?? this.cfg.timeoutMs);
      attempts.push(a);
      if (a.status === 200) break;
    }
    const last = attempts[attempts.length - 1];
    const result: CallbackResult = { status: last.status, body: last.body, attempts };
    if (last.status === 200 && last.body !== "") result.reply = this.applyReply(userid, last.body, taskId);
    this.callbacks.push({ kind, userid, innerXml, result });
    return result;
  }

  private async fetch(query: string, init: RequestInit, timeoutMs: number): Promise<CallbackAttempt> {
    const url = this.cfg.url();
    if (!url) throw new Error("the simulator has no callback URL: call setCallbackUrl(botUrl + '/wecom/callback') first");
    const started = Date.now();
    try {
      const res = await fetch(`${url}?${query}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      return { status: res.status, body: await res.text(), ms: Date.now() - started };
    } catch (e) {
      const error = (e as Error).name === "TimeoutError" ? "timeout" : (e as Error).message;
      return { status: 0, body: "", ms: Date.now() - started, error };
    }
  }

  /** Checks the passive reply as WeCom would and shows it to the member. */
  private applyReply(userid: string, xml: string, taskId?: string): PassiveReplyView {
    const env = parseXml(xml, "passive reply envelope");
    const { Encrypt, MsgSignature, TimeStamp, Nonce } = env as Record<string, string | undefined>;
    if (!Encrypt || !MsgSignature || !TimeStamp || !Nonce) throw new SimProtocolError("passive reply lacks Encrypt/MsgSignature/TimeStamp/Nonce");
    if (getSignature(this.id.token, TimeStamp, Nonce, Encrypt) !== MsgSignature) throw new SimProtocolError("passive reply MsgSignature does not match");
    checkPadding(this.id.encodingAesKey, Encrypt);
    let plain: { message: string; id: string };
    try {
      plain = wxDecrypt(this.id.encodingAesKey, Encrypt);
    } catch (e) {
      throw new SimProtocolError(`passive reply does not decrypt: ${(e as Error).message}`);
    }
    if (plain.id !== this.id.corpId) throw new SimProtocolError(`passive reply receive id ${plain.id} is not the corp id`);
    const inner = parseXml(plain.message, "passive reply message");
    if (inner.ToUserName !== userid) throw new SimProtocolError(`passive reply addressed to ${String(inner.ToUserName)}, not ${userid}`);
    if (inner.FromUserName !== this.id.corpId) throw new SimProtocolError("passive reply FromUserName is not the corp id");
    const at = this.state.now();
    if (inner.MsgType === "text") {
      const content = String(inner.Content ?? "");
      const truncated = Buffer.byteLength(content) > 2048;
      this.state.screen(userid).push({ via: "passive", msgtype: "text", content: truncated ? Buffer.from(content).subarray(0, 2048).toString() : content, truncated, at });
      return { msgType: "text", content };
    }
    if (inner.MsgType === "update_button") {
      const replaceName = String((inner.Button as Obj | undefined)?.ReplaceName ?? "");
      const card = taskId ? this.state.cards.get(taskId) : undefined;
      if (!card) throw new SimProtocolError("update_button is only a valid answer to a template_card_event");
      if (!replaceName) throw new SimProtocolError("update_button without ReplaceName");
      card.replaced.set(userid.toLowerCase(), replaceName);
      return { msgType: "update_button", replaceName };
    }
    this.state.screen(userid).push({ via: "passive", msgtype: String(inner.MsgType), at });
    return { msgType: String(inner.MsgType), xml: plain.message };
  }
}

/** WeCom pads to 32-byte blocks with PKCS#7 (doc 90968); `@wecom/crypto` does not check this itself. */
function checkPadding(encodingAesKey: string, encrypted: string): void {
  const data = Buffer.from(encrypted, "base64");
  if (data.length === 0 || data.length % 32 !== 0) throw new SimProtocolError("passive reply ciphertext is not a multiple of 32 bytes");
  const key = Buffer.from(`${encodingAesKey}=`, "base64");
  const decipher = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(data), decipher.final()]);
  const pad = plain[plain.length - 1];
  if (pad < 1 || pad > 32 || !plain.subarray(plain.length - pad).every((b) => b === pad)) throw new SimProtocolError(`passive reply has invalid PKCS#7 padding (${pad})`);
}

function parseXml(xml: string, what: string): Obj {
  try {
    const doc = parser.parse(xml, true) as Obj;
    const root = doc.xml;
    if (typeof root !== "object" || root === null) throw new Error("no <xml> root");
    return root as Obj;
  } catch (e) {
    throw new SimProtocolError(`${what} is not valid XML: ${(e as Error).message}`);
  }
}

function selectedItems(card: SimCard, selected: Record<string, string | string[]>, strict: boolean): { key: string; ids: string[] }[] {
  const c = card.card;
  const pick = (q: Obj, fallback: string[]): { key: string; ids: string[] } => {
    const key = String(q.question_key);
    const offered = ((q.option_list as Obj[] | undefined) ?? []).map((o) => String(o.id));
    const given = selected[key];
    const ids = given === undefined ? fallback : Array.isArray(given) ? given : [given];
    if (strict) for (const id of ids) if (!offered.includes(id)) throw new Error(`option ${id} is not offered by ${key}: ${offered.join(", ")}`);
    return { key, ids };
  };
  const first = (q: Obj) => {
    const opts = (q.option_list as Obj[] | undefined) ?? [];
    const sel = q.selected_id !== undefined && opts.some((o) => o.id === q.selected_id) ? String(q.selected_id) : opts[0] ? String(opts[0].id) : undefined;
    return sel ? [sel] : [];
  };
  if (card.cardType === "multiple_interaction") return ((c.select_list as Obj[] | undefined) ?? []).map((s) => pick(s, first(s)));
  if (card.cardType === "vote_interaction" && c.checkbox) {
    const box = c.checkbox as Obj;
    const checked = ((box.option_list as Obj[] | undefined) ?? []).filter((o) => o.is_checked).map((o) => String(o.id));
    return [pick(box, checked)];
  }
  if (card.cardType === "button_interaction" && c.button_selection) return [pick(c.button_selection as Obj, first(c.button_selection as Obj))];
  return [];
}
