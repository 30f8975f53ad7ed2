import { departmentList, memberList, type SimDirectory } from "./contacts.js";
import { parseMultipart } from "./multipart.js";
import type { Obj, SimState } from "./state.js";
import { cardKeys, checkAgent, checkMessage, checkTemplateCard, INTERACTIVE, recipients, SimApiError } from "./validate.js";

/**
 * The simulated qyapi endpoints under /cgi-bin/ (docs 91039, 90236, 94888, 90253, 90254, 90208, 90201). Every
 * answer is HTTP 200 with errcode/errmsg, as WeCom does, except media/get's file bytes.
 */

export interface SimRequest {
  method: string;
  /** Path after /cgi-bin/, e.g. "message/send". */
  api: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  raw: Buffer;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  json?: Obj;
  bytes?: Buffer;
}

export interface AppConfig {
  corpId: string;
  secret: string;
  agentId: number;
  /** Members in the app's visible range; undefined lets everyone receive. */
  users?: Set<string>;
  /** Interactive cards need a callback URL on the app (doc 90236). */
  hasCallback: () => boolean;
  /** The organisation the app may read (通讯录). */
  directory: () => SimDirectory;
}

const ok = (extra: Obj = {}): SimResponse => ({ status: 200, json: { errcode: 0, errmsg: "ok", ...extra } });
const err = (errcode: number, errmsg: string): SimResponse => ({ status: 200, json: { errcode, errmsg } });

export async function handleApi(req: SimRequest, state: SimState, app: AppConfig): Promise<SimResponse> {
  try {
    if (req.api === "gettoken") return gettoken(req, state, app);
    const status = state.tokenStatus(req.query.access_token);
    if (status === "missing") return err(41001, "access_token missing");
    if (status === "invalid") return err(40014, "invalid access_token");
    if (status === "expired") return err(42001, "access_token expired");
    switch (`${req.method} ${req.api}`) {
      case "POST message/send":
        return send(json(req), state, app);
      case "POST message/update_template_card":
        return updateCard(json(req), state, app);
      case "POST media/upload":
        return upload(req, state);
      case "GET media/get":
        return download(req, state);
      case "GET department/list":
        return departmentList(app.directory(), req.query);
      case "GET user/list":
        return memberList(app.directory(), req.query);
      default:
        return { status: 404, json: { errcode: 404, errmsg: "unknown api (not simulated)" } };
    }
  } catch (e) {
    if (e instanceof SimApiError) return err(e.errcode, e.errmsg);
    throw e;
  }
}

function json(req: SimRequest): Obj {
  try {
    const body = JSON.parse(req.raw.toString("utf8")) as unknown;
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error("not an object");
    return body as Obj;
  } catch {
    throw new SimApiError(47001, "data format error");
  }
}

function gettoken(req: SimRequest, state: SimState, app: AppConfig): SimResponse {
  if (req.query.corpid !== app.corpId) return err(40013, "invalid corpid");
  if (req.query.corpsecret !== app.secret) return err(40001, "invalid credential");
  const { token, expiresIn } = state.issueToken();
  return ok({ access_token: token, expires_in: expiresIn });
}

function send(body: Obj, state: SimState, app: AppConfig): SimResponse {
  checkAgent(body, app.agentId);
  const users = recipients(body);
  const content = checkMessage(body, (id) => state.mediaFor(id) !== undefined);
  const msgtype = body.msgtype as string;
  let card: Obj | undefined;
  let cardType: string | undefined;
  if (msgtype === "template_card") {
    card = body.template_card as Obj;
    cardType = checkTemplateCard(card, (id) => state.cards.has(id));
    if ((INTERACTIVE.includes(cardType) || card.action_menu) && !app.hasCallback()) {
      throw new SimApiError(40058, "app has no callback url: interactive cards cannot be sent"); // UNCONFIRMED errcode
    }
  }
  // userids are case-insensitive; invalid ones come back lower-cased (doc 90236).
  const known = (u: string) => !app.users || app.users.has(u.toLowerCase());
  const valid = users.filter(known).map((u) => u.toLowerCase());
  const invalid = users.filter((u) => !known(u)).map((u) => u.toLowerCase());
  if (users.length > 0 && valid.length === 0 && !body.toparty && !body.totag) throw new SimApiError(81013, "user & party & tag all invalid");

  const msgid = state.nextId("msg");
  const extra: Obj = { msgid };
  if (invalid.length) extra.invaliduser = invalid.join("|");
  if (card && cardType) {
    const taskId = card.task_id as string | undefined;
    if (taskId) {
      state.cards.set(taskId, { taskId, cardType, card, recipients: valid, keys: cardKeys(card), replaced: new Map(), sentAt: state.now() });
      if (INTERACTIVE.includes(cardType) || card.action_menu) extra.response_code = state.issueResponseCode(taskId);
    }
  }
  const part = body[msgtype] as Obj | undefined;
  for (const u of valid) {
    // enable_duplicate_check (doc 90236): the same content to the same member within the interval is
    // accepted and silently not delivered again. (Exact matching rule UNCONFIRMED: content equality.)
    if (body.enable_duplicate_check === 1 && state.isDuplicate(u, msgtype, part, Number(body.duplicate_check_interval ?? 1800))) continue;
    state.deliver(u, {
      via: "api",
      msgtype,
      content: content.content,
      truncated: content.truncated,
      card,
      taskId: card?.task_id as string | undefined,
      mediaId: typeof part?.media_id === "string" ? part.media_id : undefined,
      at: state.now(),
    });
  }
  return ok(extra);
}

function updateCard(body: Obj, state: SimState, app: AppConfig): SimResponse {
  checkAgent(body, app.agentId);
  // Recipient fields are arrays here, unlike message/send (doc 94888).
  for (const f of ["userids", "partyids", "tagids"]) {
    if (body[f] !== undefined && !Array.isArray(body[f])) throw new SimApiError(40058, `${f} must be a list`);
  }
  const userids = ((body.userids as unknown[] | undefined) ?? []).map((u) => String(u).toLowerCase());
  if (userids.length === 0 && !(body.partyids as unknown[] | undefined)?.length && !(body.tagids as unknown[] | undefined)?.length && body.atall !== 1) {
    throw new SimApiError(40058, "userids/partyids/tagids/atall: one is required");
  }
  if (typeof body.response_code !== "string" || body.response_code === "") throw new SimApiError(40058, "response_code required");
  const button = body.button as Obj | undefined;
  const newCard = body.template_card as Obj | undefined;
  if (!button && !newCard) throw new SimApiError(40058, "button or template_card required");
  if (button && (typeof button.replace_name !== "string" || button.replace_name === "")) throw new SimApiError(42020, "button.replace_name missing");
  const used = state.useResponseCode(body.response_code);
  if ("error" in used) throw new SimApiError(40058, used.error); // UNCONFIRMED errcode
  const card = state.cards.get(used.taskId);
  if (!card) throw new SimApiError(42016, "task_id not found");
  if (button && !INTERACTIVE.includes(card.cardType)) throw new SimApiError(40058, "only button/vote/multiple cards can update the button");
  const targets = body.atall === 1 ? card.recipients : userids.filter((u) => card.recipients.includes(u));
  const invaliduser = userids.filter((u) => !card.recipients.includes(u));
  for (const u of targets) {
    if (button) card.replaced.set(u, button.replace_name as string);
    else state.screen(u).push({ via: "api", msgtype: "update_template_card", card: newCard, taskId: card.taskId, at: state.now() });
  }
  return ok({ invaliduser });
}

/** Size limits per media type (doc 90253): all > 5 bytes; image 10 MB, voice 2 MB, video 10 MB, file 20 MB. */
const MEDIA_LIMITS: Record<string, number> = { image: 10 << 20, voice: 2 << 20, video: 10 << 20, file: 20 << 20 };

function upload(req: SimRequest, state: SimState): SimResponse {
  const type = req.query.type;
  if (!type || !(type in MEDIA_LIMITS)) return err(40004, "invalid media type");
  const parts = parseMultipart(String(req.headers["content-type"] ?? ""), req.raw);
  const media = parts?.find((p) => p.name === "media" && p.fileName !== undefined);
  if (!media) return err(41005, "media data missing");
  if (media.data.length <= 5 || media.data.length > MEDIA_LIMITS[type]) return err(40006, "invalid file size");
  const mediaId = state.nextId("media");
  state.media.set(mediaId, {
    data: media.data,
    fileName: media.fileName ?? "file",
    contentType: media.contentType ?? "application/octet-stream",
    type,
    createdAt: state.now(),
  });
  return ok({ type, media_id: mediaId, created_at: String(Math.floor(state.now() / 1000)) });
}

function download(req: SimRequest, state: SimState): SimResponse {
  const id = req.query.media_id;
  if (!id) return err(41006, "media_id missing");
  const media = state.mediaFor(id);
  if (!media) return err(40007, "invalid media_id");
  return {
    status: 200,
    headers: {
      "content-type": media.contentType,
      // Header values are Latin-1: non-ASCII names go in filename* (RFC 6266).
      "content-disposition": `attachment; filename="${media.fileName.replace(/[^\x20-\x7e]|"/g, "_")}"; filename*=UTF-8''${encodeURIComponent(media.fileName)}`,
      "cache-control": "no-cache, must-revalidate",
    },
    bytes: media.data,
  };
}
