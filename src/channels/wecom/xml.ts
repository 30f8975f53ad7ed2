import { XMLParser } from "fast-xml-parser";

/**
 * The XML seam of WeCom callbacks: the envelope around the ciphertext, the decrypted message (docs
 * 90239, 90240) and the passive reply (docs 90238, 90241). WeCom never sends DTDs, so any DOCTYPE or
 * ENTITY is refused before parsing (no entity expansion, no XXE), and inputs are size-bounded.
 */

export const MAX_XML_BYTES = 64 * 1024;

export class WecomXmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WecomXmlError";
  }
}

const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Ids such as MsgId are 64-bit (or base64-looking strings): never turn values into numbers.
  parseTagValue: false,
  trimValues: true,
  // CDATA (how WeCom sends every string) is kept verbatim; plain text only gets the five predefined
  // entities decoded by hand, since entity processing is off.
  cdataPropName: "#cdata",
  maxNestedTags: 8,
  isArray: (name) => name === "SelectedItem" || name === "OptionId",
});

type XmlNode = string | XmlObject | XmlNode[];
interface XmlObject {
  [key: string]: XmlNode;
}

function parseRoot(xml: string): XmlObject {
  if (Buffer.byteLength(xml, "utf8") > MAX_XML_BYTES) throw new WecomXmlError("xml too large");
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new WecomXmlError("DOCTYPE/ENTITY not allowed");
  let doc: XmlObject;
  try {
    doc = parser.parse(xml, true) as XmlObject;
  } catch {
    throw new WecomXmlError("malformed xml");
  }
  const root = doc?.xml;
  if (root === undefined || typeof root !== "object" || Array.isArray(root)) throw new WecomXmlError("missing <xml> root");
  return root;
}

const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeText(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos);/g, (_, name: string) => PREDEFINED[name]);
}

function str(node: XmlNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node === "string") return decodeText(node);
  if (Array.isArray(node)) return undefined;
  const raw = node["#cdata"];
  // An element may hold several CDATA sections (e.g. one split around "]]>").
  if (Array.isArray(raw)) return raw.every((r) => typeof r === "string") ? (raw as string[]).join("") : undefined;
  return typeof raw === "string" ? raw : undefined;
}

/** The POST body: `<xml><ToUserName/><AgentID/><Encrypt/></xml>` (doc 90238). */
export interface Envelope {
  toUserName?: string;
  agentId?: string;
  encrypt: string;
}

export function parseEnvelope(xml: string): Envelope {
  const root = parseRoot(xml);
  const encrypt = str(root.Encrypt);
  if (!encrypt) throw new WecomXmlError("missing Encrypt");
  return { toUserName: str(root.ToUserName), agentId: str(root.AgentID), encrypt };
}

export interface SelectedItem {
  questionKey: string;
  optionIds: string[];
}

/** A decrypted message or event, fields named after the XML elements. */
export interface WecomMessage {
  toUserName: string;
  fromUserName: string;
  createTime: string;
  msgType: string;
  agentId?: string;
  msgId?: string;
  content?: string;
  mediaId?: string;
  fileName?: string;
  event?: string;
  eventKey?: string;
  taskId?: string;
  cardType?: string;
  responseCode?: string;
  selectedItems: SelectedItem[];
}

export function parseMessage(xml: string): WecomMessage {
  const root = parseRoot(xml);
  const fromUserName = str(root.FromUserName);
  const msgType = str(root.MsgType);
  const createTime = str(root.CreateTime);
  if (!fromUserName || !msgType || !createTime) throw new WecomXmlError("missing FromUserName, MsgType or CreateTime");
  return {
    toUserName: str(root.ToUserName) ?? "",
    fromUserName,
    createTime,
    msgType,
    agentId: str(root.AgentID),
    msgId: str(root.MsgId),
    content: str(root.Content),
    mediaId: str(root.MediaId),
    fileName: str(root.FileName),
    event: str(root.Event),
    eventKey: str(root.EventKey),
    taskId: str(root.TaskId),
    cardType: str(root.CardType),
    responseCode: str(root.ResponseCode),
    selectedItems: selectedItems(root.SelectedItems),
  };
}

function selectedItems(node: XmlNode | undefined): SelectedItem[] {
  if (!node || typeof node !== "object" || Array.isArray(node)) return [];
  const items = node.SelectedItem;
  if (!Array.isArray(items)) return [];
  const out: SelectedItem[] = [];
  for (const item of items) {
    if (!item || typeof item !== "object" || Array.isArray(item)) continue;
    const questionKey = str(item.QuestionKey);
    const ids = item.OptionIds && typeof item.OptionIds === "object" && !Array.isArray(item.OptionIds) ? item.OptionIds.OptionId : undefined;
    if (!questionKey) continue;
    const optionIds = Array.isArray(ids) ? ids.map((id) => str(id)).filter((v): v is string => v !== undefined) : [];
    out.push({ questionKey, optionIds });
  }
  return out;
}

/** CDATA cannot contain "]]>": split it across two sections. */
export function cdata(value: string): string {
  return `<![CDATA[${value.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
}

/** Encrypted passive reply envelope (doc 90238). */
export function buildEncryptedReply(p: { encrypt: string; signature: string; timestamp: string; nonce: string }): string {
  return (
    `<xml><Encrypt>${cdata(p.encrypt)}</Encrypt><MsgSignature>${cdata(p.signature)}</MsgSignature>` +
    `<TimeStamp>${p.timestamp}</TimeStamp><Nonce>${cdata(p.nonce)}</Nonce></xml>`
  );
}

interface ReplyHead {
  /** The member's userid. */
  toUser: string;
  /** The corp id. */
  fromUser: string;
  createTime: number;
}

/** Passive text reply (doc 90241); Content is limited to 2048 bytes, the caller truncates. */
export function buildTextReply(h: ReplyHead & { content: string }): string {
  return (
    `<xml><ToUserName>${cdata(h.toUser)}</ToUserName><FromUserName>${cdata(h.fromUser)}</FromUserName>` +
    `<CreateTime>${h.createTime}</CreateTime><MsgType>${cdata("text")}</MsgType><Content>${cdata(h.content)}</Content></xml>`
  );
}

/** Passive `update_button` reply to a template_card_event: greys out the clicker's button (doc 90241). */
export function buildUpdateButtonReply(h: ReplyHead & { replaceName: string }): string {
  return (
    `<xml><ToUserName>${cdata(h.toUser)}</ToUserName><FromUserName>${cdata(h.fromUser)}</FromUserName>` +
    `<CreateTime>${h.createTime}</CreateTime><MsgType>${cdata("update_button")}</MsgType>` +
    `<Button><ReplaceName>${cdata(h.replaceName)}</ReplaceName></Button></xml>`
  );
}
