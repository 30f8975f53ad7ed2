import { listDepartmentUsers, listSubDepartments } from "./contacts.js";
import type { RouteName, SimState } from "./state.js";
import { checkBatchSend, checkCardCreate, checkPrivateData, checkWebhookMessage, isStringMap, type ApiRefusal } from "./validate.js";

/**
 * The simulated endpoints. New API family (api.dingtalk.com) at the root; legacy oapi.dingtalk.com
 * under /oapi, so a client that mixes up the two hosts gets a 404 just as it would for real.
 */
export interface SimConfig {
  appKey: string;
  appSecret: string;
  robotCode: string;
  corpId: string;
  tokenTtlSec: number;
  maxUserIds: number;
}

export interface SimRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  rawBody: Buffer;
  json: unknown;
}

export interface SimResponse {
  status: number;
  body: unknown;
}

export const OAPI_PREFIX = "/oapi";

const ROUTES: Record<string, RouteName> = {
  "POST /v1.0/oauth2/accessToken": "token",
  "POST /v1.0/robot/oToMessages/batchSend": "batchSend",
  "POST /v1.0/card/instances/createAndDeliver": "createAndDeliver",
  "PUT /v1.0/card/instances": "updateCard",
  "POST /v1.0/card/callbacks/register": "registerCallback",
  [`GET ${OAPI_PREFIX}/gettoken`]: "legacyToken",
  [`POST ${OAPI_PREFIX}/media/upload`]: "media",
  [`POST ${OAPI_PREFIX}/robot/sendBySession`]: "session",
  [`POST ${OAPI_PREFIX}/topapi/v2/department/listsub`]: "deptListSub",
  [`POST ${OAPI_PREFIX}/topapi/v2/user/list`]: "userList",
};

export function routeOf(method: string, path: string): RouteName | undefined {
  return ROUTES[`${method} ${path}`];
}

export const isLegacy = (route: RouteName): boolean => ["legacyToken", "media", "session", "deptListSub", "userList"].includes(route);

const json = (status: number, body: unknown): SimResponse => ({ status, body });
const apiError = (r: ApiRefusal, requestid: string): SimResponse => json(r.status, { code: r.code, message: r.message, requestid });

export async function handleRoute(route: RouteName, req: SimRequest, state: SimState, cfg: SimConfig): Promise<SimResponse> {
  const requestid = state.id("req");
  const now = state.clock.now().getTime();

  if (route === "token") {
    const b = (req.json ?? {}) as { appKey?: unknown; appSecret?: unknown };
    if (b.appKey !== cfg.appKey || b.appSecret !== cfg.appSecret) {
      return apiError({ status: 400, code: "invalidClientIdOrSecret", message: "无效的clientId或者clientSecret" }, requestid);
    }
    return json(200, state.issueToken(cfg.tokenTtlSec));
  }
  if (route === "legacyToken") {
    if (req.query.appkey !== cfg.appKey || req.query.appsecret !== cfg.appSecret) return json(200, { errcode: 40096, errmsg: "不合法的appKey或appSecret" });
    const t = state.issueToken(cfg.tokenTtlSec);
    return json(200, { errcode: 0, errmsg: "ok", access_token: t.accessToken, expires_in: t.expireIn });
  }
  if (route === "session") return sessionWebhook(req, state, now);
  if (route === "media") return mediaUpload(req, state, now);
  if (route === "deptListSub") return listSubDepartments(state, state.contacts, req.query, req.json);
  if (route === "userList") return listDepartmentUsers(state, state.contacts, req.query, req.json);

  // Every other route is the new API family: token in the x-acs-dingtalk-access-token header.
  const token = req.headers["x-acs-dingtalk-access-token"];
  if (!token) return apiError({ status: 400, code: "AuthenticationFailed.MissingParameter", message: "缺少参数：x-acs-dingtalk-access-token" }, requestid);
  if (!state.tokenValid(token)) return apiError({ status: 400, code: "InvalidAuthentication", message: "不合法的access_token" }, requestid);

  if (route === "batchSend") {
    const checked = checkBatchSend(req.json, { robotCode: cfg.robotCode, maxUserIds: cfg.maxUserIds, knownMedia: (id) => state.media.has(id) });
    if ("refusal" in checked) return apiError(checked.refusal, requestid);
    const invalid = checked.userIds.filter((u) => !state.isKnownUser(u));
    const throttled = checked.userIds.filter((u) => state.isKnownUser(u) && state.flowControlled.has(u));
    for (const userId of checked.userIds) {
      if (invalid.includes(userId) || throttled.includes(userId)) continue;
      state.messages.push({ via: "oto", userId, type: checked.msgKey, param: checked.param, at: now });
    }
    return json(200, { processQueryKey: state.id("pqk"), invalidStaffIdList: invalid, flowControlledStaffIdList: throttled });
  }
  if (route === "createAndDeliver") {
    const checked = checkCardCreate(req.json, cfg.robotCode);
    if ("refusal" in checked) return apiError(checked.refusal, requestid);
    const card = checked.card;
    // outTrackId identifies the instance for later updates and callbacks, so it must be new ("sim" code).
    if (state.cards.has(card.outTrackId)) return apiError({ status: 400, code: "param.outTrackIdDuplicate", message: "outTrackId 已存在 (sim)" }, requestid);
    const delivered = card.space.type === "IM_GROUP" || state.isKnownUser(card.space.id);
    if (delivered) {
      state.cards.set(card.outTrackId, {
        outTrackId: card.outTrackId,
        cardTemplateId: card.cardTemplateId,
        space: card.space,
        recipients: card.recipients,
        callbackRouteKey: card.callbackRouteKey,
        publicData: { ...card.cardParamMap },
        privateData: card.privateData,
        updates: 0,
      });
    }
    return json(200, {
      success: true,
      result: {
        outTrackId: card.outTrackId,
        deliverResults: [
          { spaceType: card.space.type, spaceId: card.space.id, success: delivered, errorMsg: delivered ? "" : "用户不存在 (sim)", carrierId: delivered ? state.id("carrier") : "" },
        ],
      },
    });
  }
  if (route === "updateCard") return updateCard(req.json, state, requestid);
  if (route === "registerCallback") {
    const b = (req.json ?? {}) as { callbackRouteKey?: unknown; callbackUrl?: unknown; apiSecret?: unknown; forceUpdate?: unknown };
    if (typeof b.callbackRouteKey !== "string" || !b.callbackRouteKey) return apiError({ status: 400, code: "param.invalid", message: "callbackRouteKey 为空" }, requestid);
    if (typeof b.callbackUrl !== "string" || !/^https?:\/\//.test(b.callbackUrl)) return apiError({ status: 400, code: "callbackUrl.empty", message: "回调地址为空" }, requestid);
    if (state.routes.has(b.callbackRouteKey) && b.forceUpdate !== true) return apiError({ status: 400, code: "param.invalid", message: "callbackRouteKey 已注册，需 forceUpdate (sim)" }, requestid);
    const apiSecret = typeof b.apiSecret === "string" && b.apiSecret ? b.apiSecret : undefined;
    state.routes.set(b.callbackRouteKey, { callbackUrl: b.callbackUrl, apiSecret });
    return json(200, { success: true, result: { callbackRouteKey: b.callbackRouteKey, callbackUrl: b.callbackUrl, apiSecret } });
  }
  return json(404, { code: "NotFound", message: "no such API", requestid });
}

/** PUT /v1.0/card/instances: merge by key when the options say so, replace otherwise. */
function updateCard(body: unknown, state: SimState, requestid: string): SimResponse {
  const b = (body ?? {}) as { outTrackId?: unknown; cardData?: { cardParamMap?: unknown }; privateData?: unknown; cardUpdateOptions?: Record<string, unknown> };
  if (typeof b.outTrackId !== "string" || !b.outTrackId) return apiError({ status: 400, code: "param.outTrackIdEmpty", message: "业务标识 outTrackId 为空" }, requestid);
  const card = state.cards.get(b.outTrackId);
  if (!card) return apiError({ status: 400, code: "param.cardNotExist", message: "卡片不存在 (sim)" }, requestid);
  const publicMap = b.cardData?.cardParamMap;
  if (publicMap !== undefined && !isStringMap(publicMap)) return apiError({ status: 400, code: "param.invalid", message: "cardParamMap 的值必须全部是字符串 (sim)" }, requestid);
  const privateData = checkPrivateData(b.privateData);
  if (privateData === null) return apiError({ status: 400, code: "param.invalid", message: "privateData 格式错误 (sim)" }, requestid);
  const byKey = b.cardUpdateOptions?.updateCardDataByKey === true;
  const privateByKey = b.cardUpdateOptions?.updatePrivateDataByKey === true;
  if (publicMap) card.publicData = byKey ? { ...card.publicData, ...publicMap } : { ...publicMap };
  for (const [user, map] of Object.entries(privateData)) {
    card.privateData[user] = privateByKey ? { ...(card.privateData[user] ?? {}), ...map } : { ...map };
  }
  card.updates += 1;
  return json(200, { success: true, result: true });
}

/** sessionWebhook: no token, valid until sessionWebhookExpiredTime; custom-robot formats only. */
function sessionWebhook(req: SimRequest, state: SimState, now: number): SimResponse {
  const session = state.sessions.get(req.query.session ?? "");
  // Error codes for an unknown/expired session and a bad body are not documented ("sim").
  if (!session || session.expiresAt <= now) return json(200, { errcode: 300005, errmsg: "session不存在或已过期 (sim)" });
  const problem = checkWebhookMessage(req.json);
  if (problem) return json(200, { errcode: 40035, errmsg: `缺少参数或参数不合法：${problem} (sim)` });
  const b = req.json as Record<string, unknown>;
  const msgtype = String(b.msgtype);
  state.messages.push({
    via: "session",
    userId: session.isGroup ? undefined : session.staffId,
    conversationId: session.conversationId,
    type: msgtype,
    param: { ...(b[msgtype] as Record<string, unknown>), ...(b.at ? { at: b.at } : {}) },
    at: now,
  });
  return json(200, { errcode: 0, errmsg: "ok" });
}

/** Legacy media upload: multipart field "media", token in the query (errcode on HTTP 200). */
async function mediaUpload(req: SimRequest, state: SimState, now: number): Promise<SimResponse> {
  if (!state.tokenValid(req.query.access_token)) return json(200, { errcode: 40014, errmsg: "不合法的access_token" });
  const type = req.query.type;
  if (!["image", "voice", "video", "file"].includes(type ?? "")) return json(200, { errcode: 40004, errmsg: "不合法的媒体文件类型" });
  let form: FormData;
  try {
    form = await new Request("http://sim.local/upload", {
      method: "POST",
      headers: { "content-type": req.headers["content-type"] ?? "" },
      body: new Uint8Array(req.rawBody),
    }).formData();
  } catch {
    return json(200, { errcode: 41005, errmsg: "缺少多媒体文件数据" });
  }
  const file = form.get("media");
  if (!file || typeof file === "string") return json(200, { errcode: 41005, errmsg: "缺少多媒体文件数据" });
  const mediaId = `@${state.id("lAD")}`;
  state.media.set(mediaId, { fileName: file.name, bytes: Buffer.from(await file.arrayBuffer()) });
  return json(200, { errcode: 0, errmsg: "ok", type, media_id: mediaId, created_at: now });
}
