/**
 * Payload rules the simulator enforces, taken from DingTalk's pages (see platforms-reference.md
 * PART B/D3). Each check returns an error in DingTalk's shape, or null when the payload is fine.
 * Codes marked "sim" are not documented; the real platform refuses the case with some 400.
 */
export interface ApiRefusal {
  status: number;
  code: string;
  message: string;
}

const refuse = (code: string, message: string, status = 400): ApiRefusal => ({ status, code, message });

/** msgKey → msgParam keys ("消息发送与接收类型" page); every value is a string. */
export const MSG_KEYS: Record<string, string[]> = {
  sampleText: ["content"],
  sampleMarkdown: ["title", "text"],
  sampleImageMsg: ["photoURL"],
  sampleLink: ["text", "title", "picUrl", "messageUrl"],
  sampleActionCard: ["title", "text", "singleTitle", "singleURL"],
  sampleActionCard2: ["title", "text", "actionTitle1", "actionURL1", "actionTitle2", "actionURL2"],
  sampleActionCard3: ["title", "text", "actionTitle1", "actionURL1", "actionTitle2", "actionURL2", "actionTitle3", "actionURL3"],
  sampleActionCard4: ["title", "text", "actionTitle1", "actionURL1", "actionTitle2", "actionURL2", "actionTitle3", "actionURL3", "actionTitle4", "actionURL4"],
  sampleActionCard5: ["title", "text", "actionTitle1", "actionURL1", "actionTitle2", "actionURL2", "actionTitle3", "actionURL3", "actionTitle4", "actionURL4", "actionTitle5", "actionURL5"],
  sampleActionCard6: ["title", "text", "buttonTitle1", "buttonUrl1", "buttonTitle2", "buttonUrl2"],
  sampleAudio: ["mediaId", "duration"],
  sampleFile: ["mediaId", "fileName", "fileType"],
  sampleVideo: ["duration", "videoMediaId", "videoType", "picMediaId"],
};

/** msgParam ≤ 15 000 bytes (group-send page; assumed the same for 1:1). */
export const MAX_MSG_PARAM_BYTES = 15_000;

export function checkBatchSend(
  body: unknown,
  rules: { robotCode: string; maxUserIds: number; knownMedia: (id: string) => boolean },
): { refusal: ApiRefusal } | { userIds: string[]; msgKey: string; param: Record<string, string> } {
  const b = (body ?? {}) as Record<string, unknown>;
  if (b.robotCode !== rules.robotCode) return { refusal: refuse("invalidParameter.robotCode.auth", "robotCode 与应用不匹配") };
  const userIds = b.userIds;
  if (!Array.isArray(userIds) || userIds.length === 0 || userIds.some((u) => typeof u !== "string" || u === "")) {
    return { refusal: refuse("invalidParameter.userIds.empty", "userIds 不能为空，且必须是字符串数组") };
  }
  if (userIds.length > rules.maxUserIds) return { refusal: refuse("invalidParameter.userIds.overMax", `userIds 不能超过 ${rules.maxUserIds} 个`) };
  const msgKey = b.msgKey;
  if (typeof msgKey !== "string" || !MSG_KEYS[msgKey]) return { refusal: refuse("invalidParameter.msgKey.invalid", "msgKey 无效") };
  const param = checkMsgParam(b.msgParam, msgKey);
  if ("refusal" in param) return param;
  if (msgKey === "sampleFile" && !rules.knownMedia(param.param.mediaId)) return { refusal: refuse("invalidParameter.msgParam.invalid", "mediaId 不存在") };
  return { userIds: userIds as string[], msgKey, param: param.param };
}

function checkMsgParam(raw: unknown, msgKey: string): { refusal: ApiRefusal } | { param: Record<string, string> } {
  const bad = (why: string) => ({ refusal: refuse("invalidParameter.msgParam.invalid", `msgParam 无效：${why}`) });
  // msgParam is a JSON *string* (BatchSendOTO request model); an object here is a client bug.
  if (typeof raw !== "string") return bad("必须是 JSON 字符串");
  if (Buffer.byteLength(raw, "utf8") > MAX_MSG_PARAM_BYTES) return bad(`超过 ${MAX_MSG_PARAM_BYTES} 字节`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return bad("不是合法 JSON");
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return bad("必须是 JSON 对象");
  const param = parsed as Record<string, unknown>;
  for (const key of MSG_KEYS[msgKey]) {
    if (typeof param[key] !== "string" || param[key] === "") return bad(`缺少 ${key}`);
  }
  return { param: param as Record<string, string> };
}

export type OpenSpace = { type: "IM_ROBOT" | "IM_GROUP"; id: string };

/** openSpaceId = dtv1.card//<SpaceType>.<SpaceId>[;…] (create-and-deliver page). */
export function parseOpenSpaceId(raw: unknown): OpenSpace[] | null {
  if (typeof raw !== "string" || !raw.startsWith("dtv1.card//")) return null;
  const spaces: OpenSpace[] = [];
  for (const part of raw.slice("dtv1.card//".length).split(";")) {
    const dot = part.indexOf(".");
    const type = part.slice(0, dot).toUpperCase();
    const id = part.slice(dot + 1);
    if (dot <= 0 || !id || (type !== "IM_ROBOT" && type !== "IM_GROUP")) return null;
    spaces.push({ type, id });
  }
  return spaces;
}

export function isStringMap(v: unknown): v is Record<string, string> {
  return !!v && typeof v === "object" && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "string");
}

export interface CardCreate {
  outTrackId: string;
  cardTemplateId: string;
  cardParamMap: Record<string, string>;
  privateData: Record<string, Record<string, string>>;
  space: OpenSpace;
  recipients?: string[];
  callbackRouteKey?: string;
  callbackType?: string;
}

/** Outtrack ids ≤ 64 characters (third-party digest of the create-and-deliver page; "sim"). */
export const MAX_OUT_TRACK_ID = 64;

export function checkCardCreate(body: unknown, robotCode: string): { refusal: ApiRefusal } | { card: CardCreate } {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b.cardTemplateId !== "string" || !b.cardTemplateId) return { refusal: refuse("param.cardTemplateIdEmpty", "卡片模版 Id 为空") };
  if (typeof b.outTrackId !== "string" || !b.outTrackId) return { refusal: refuse("param.outTrackIdEmpty", "业务标识 outTrackId 为空") };
  if (b.outTrackId.length > MAX_OUT_TRACK_ID) return { refusal: refuse("param.invalid", `outTrackId 超过 ${MAX_OUT_TRACK_ID} 个字符 (sim)`) };
  const cardData = b.cardData as { cardParamMap?: unknown } | undefined;
  if (!cardData || cardData.cardParamMap === undefined) return { refusal: refuse("param.cardPublicDataEmpty", "卡片公共数据为空") };
  // cardParamMap is Map<String,String>: non-strings must be JSON-encoded by the caller.
  if (!isStringMap(cardData.cardParamMap)) return { refusal: refuse("param.invalid", "cardParamMap 的值必须全部是字符串 (sim)") };
  const privateData = checkPrivateData(b.privateData);
  if (privateData === null) return { refusal: refuse("param.invalid", "privateData 格式错误 (sim)") };
  if (b.callbackType !== undefined && b.callbackType !== "STREAM" && b.callbackType !== "HTTP") {
    return { refusal: refuse("param.invalid", "callbackType 只能是 STREAM 或 HTTP (sim)") };
  }
  if (b.callbackType === "HTTP" && (typeof b.callbackRouteKey !== "string" || !b.callbackRouteKey)) {
    return { refusal: refuse("param.invalid", "HTTP 回调需要 callbackRouteKey (sim)") };
  }
  const spaces = parseOpenSpaceId(b.openSpaceId);
  if (!spaces || spaces.length !== 1) return { refusal: refuse("param.openSpaceModelInvalid", "openSpaceId 格式错误，应为 dtv1.card//IM_ROBOT.<userId> 或 dtv1.card//IM_GROUP.<cid>") };
  const space = spaces[0];
  let recipients: string[] | undefined;
  if (space.type === "IM_ROBOT") {
    const deliver = b.imRobotOpenDeliverModel as { spaceType?: unknown; robotCode?: unknown } | undefined;
    if (!deliver || deliver.spaceType !== "IM_ROBOT") return { refusal: refuse("param.openSpaceModelInvalid", "单聊投放需要 imRobotOpenDeliverModel.spaceType = IM_ROBOT") };
    if (deliver.robotCode !== undefined && deliver.robotCode !== robotCode) return { refusal: refuse("param.invalid", "robotCode 与应用不匹配 (sim)") };
  } else {
    const deliver = b.imGroupOpenDeliverModel as { robotCode?: unknown; recipients?: unknown } | undefined;
    if (!deliver || deliver.robotCode !== robotCode) return { refusal: refuse("param.openSpaceModelInvalid", "群聊投放需要 imGroupOpenDeliverModel.robotCode") };
    if (deliver.recipients !== undefined) {
      if (!Array.isArray(deliver.recipients) || deliver.recipients.some((r) => typeof r !== "string")) return { refusal: refuse("param.invalid", "recipients 必须是字符串数组 (sim)") };
      recipients = deliver.recipients as string[];
    }
  }
  return {
    card: {
      outTrackId: b.outTrackId,
      cardTemplateId: b.cardTemplateId,
      cardParamMap: cardData.cardParamMap,
      privateData,
      space,
      recipients,
      callbackRouteKey: typeof b.callbackRouteKey === "string" ? b.callbackRouteKey : undefined,
      callbackType: typeof b.callbackType === "string" ? b.callbackType : undefined,
    },
  };
}

/** privateData: { userId: { cardParamMap: Map<String,String> } }. */
export function checkPrivateData(raw: unknown): Record<string, Record<string, string>> | null {
  if (raw === undefined) return {};
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return null;
  const out: Record<string, Record<string, string>> = {};
  for (const [user, v] of Object.entries(raw as Record<string, unknown>)) {
    const map = (v as { cardParamMap?: unknown } | undefined)?.cardParamMap;
    if (!isStringMap(map)) return null;
    out[user] = map;
  }
  return out;
}

/** Custom-robot message formats accepted by a sessionWebhook (no interactive cards). */
export function checkWebhookMessage(body: unknown): string | null {
  const b = (body ?? {}) as Record<string, unknown>;
  const nonEmpty = (v: unknown) => typeof v === "string" && v !== "";
  switch (b.msgtype) {
    case "text":
      return nonEmpty((b.text as { content?: unknown } | undefined)?.content) ? null : "text.content 为空";
    case "markdown": {
      const m = (b.markdown ?? {}) as { title?: unknown; text?: unknown };
      return nonEmpty(m.title) && nonEmpty(m.text) ? null : "markdown 需要 title 和 text";
    }
    case "link":
    case "actionCard":
    case "feedCard":
      return b[b.msgtype] && typeof b[b.msgtype] === "object" ? null : `${b.msgtype} 内容为空`;
    default:
      return `不支持的 msgtype: ${String(b.msgtype)}`;
  }
}
