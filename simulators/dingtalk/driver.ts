import { signCardCallback, signRobotMessage } from "./sign.js";
import type { CallbackRecord, CardState, SimState } from "./state.js";

/**
 * The simulated DingTalk users: builds robot-message and card-callback payloads exactly as the
 * platform does (receive-message and event-callback-card pages), signs them, POSTs them to the bot
 * and records the answer. Card-callback answers are applied to the stored card like DingTalk would.
 */
export interface DriverConfig {
  state: SimState;
  appSecret: string;
  robotCode: string;
  corpId: string;
  chatbotUserId: string;
  /** Legacy host origin, where session webhooks live. */
  oapiBase: string;
  botUrl: () => string | undefined;
  cardApiSecret: string;
  sessionTtlMs: number;
  /** Card callbacks are answered within 2 s or DingTalk gives up (event-callback-card page). */
  cardTimeoutMs: number;
  messageTimeoutMs: number;
}

export interface SignOptions {
  /** Sign with the wrong secret. */
  badSign?: boolean;
  /** Shift the timestamp this many ms into the past (positive) or future (negative). */
  skewMs?: number;
  /** Post somewhere other than the bot's default route. */
  url?: string;
}

export interface MessageOptions extends SignOptions {
  msgId?: string;
  group?: boolean;
  /** Group messages only: was the robot @-mentioned (isInAtList). Default true. */
  atBot?: boolean;
  conversationId?: string;
  nick?: string;
  sessionTtlMs?: number;
  /** Replace or add payload fields (e.g. msgtype "picture", senderStaffId ""). */
  overrides?: Record<string, unknown>;
}

export interface ClickOptions extends SignOptions {
  /** Click even though the card shows as submitted (DingTalk would have disabled the buttons). */
  force?: boolean;
}

export interface CallbackResult {
  status?: number;
  body?: unknown;
  timedOut: boolean;
  record: CallbackRecord;
}

export class Driver {
  private lastSignedAt = 0;
  constructor(private readonly cfg: DriverConfig) {}

  async sendText(staffId: string, content: string, opts: MessageOptions = {}): Promise<CallbackResult> {
    return this.sendMessage(staffId, { msgtype: "text", text: { content: opts.group ? ` ${content}` : content } }, opts);
  }

  async sendMessage(staffId: string, message: Record<string, unknown>, opts: MessageOptions = {}): Promise<CallbackResult> {
    const { state } = this.cfg;
    const now = state.clock.now().getTime();
    const group = opts.group === true;
    const conversationId = opts.conversationId ?? (group ? "cidSimGroup0000000000==" : `cidSimOto${Buffer.from(staffId).toString("hex")}==`);
    const expiresAt = now + (opts.sessionTtlMs ?? this.cfg.sessionTtlMs);
    const session = state.id("sess");
    state.sessions.set(session, { conversationId, staffId, isGroup: group, expiresAt });
    const payload: Record<string, unknown> = {
      conversationId,
      atUsers: group && opts.atBot !== false ? [{ dingtalkId: this.cfg.chatbotUserId }] : [],
      chatbotCorpId: this.cfg.corpId,
      chatbotUserId: this.cfg.chatbotUserId,
      msgId: opts.msgId ?? state.id("msg"),
      senderNick: opts.nick ?? staffId,
      isAdmin: false,
      senderStaffId: staffId,
      sessionWebhookExpiredTime: expiresAt,
      createAt: now,
      senderCorpId: this.cfg.corpId,
      conversationType: group ? "2" : "1",
      senderId: `$:LWCP_v1:$${Buffer.from(staffId).toString("base64")}`,
      ...(group ? { conversationTitle: "目标绩效工作群" } : {}),
      isInAtList: group ? opts.atBot !== false : true,
      sessionWebhook: `${this.cfg.oapiBase}/robot/sendBySession?session=${session}`,
      robotCode: this.cfg.robotCode,
      ...message,
      ...opts.overrides,
    };
    return this.post("message", this.target(opts.url, "/dingtalk/callback"), JSON.stringify(payload), payload, opts, this.cfg.messageTimeoutMs);
  }

  async clickCard(staffId: string, outTrackId: string, actionKey: string, params: Record<string, unknown> = {}, opts: ClickOptions = {}): Promise<CallbackResult> {
    const card = this.cfg.state.cards.get(outTrackId);
    if (!card) throw new Error(`simulator: no card ${outTrackId} was delivered`);
    assertCanClick(card, staffId, actionKey, opts.force === true);
    const content = JSON.stringify({ cardPrivateData: { actionIds: ["button_node_sim"], params: { action: actionKey, ...params } } });
    const payload: Record<string, unknown> = {
      extension: "{}",
      corpId: this.cfg.corpId,
      spaceType: card.space.type,
      userIdType: 1,
      type: "actionCallback",
      userId: staffId,
      content,
      spaceId: card.space.id,
      outTrackId,
      value: content,
    };
    const route = card.callbackRouteKey ? this.cfg.state.routes.get(card.callbackRouteKey) : undefined;
    const url = opts.url ?? route?.callbackUrl ?? this.target(undefined, "/dingtalk/card");
    const result = await this.post("card", url, JSON.stringify(payload), payload, opts, this.cfg.cardTimeoutMs, route?.apiSecret);
    if (result.status === 200 && !result.timedOut) applyCardAnswer(card, staffId, result.body);
    return result;
  }

  /** Re-delivers a recorded callback byte for byte (a platform retry), freshly signed. */
  async replay(record: CallbackRecord, opts: SignOptions = {}): Promise<CallbackResult> {
    if (record.kind === "message") return this.post("message", opts.url ?? record.url, record.rawBody, record.payload, opts, this.cfg.messageTimeoutMs);
    const card = this.cfg.state.cards.get(String(record.payload.outTrackId));
    const route = card?.callbackRouteKey ? this.cfg.state.routes.get(card.callbackRouteKey) : undefined;
    const result = await this.post("card", opts.url ?? record.url, record.rawBody, record.payload, opts, this.cfg.cardTimeoutMs, route?.apiSecret);
    if (card && result.status === 200 && !result.timedOut) applyCardAnswer(card, String(record.payload.userId), result.body);
    return result;
  }

  private target(url: string | undefined, path: string): string {
    if (url) return url;
    const bot = this.cfg.botUrl();
    if (!bot) throw new Error("simulator: no bot URL; pass botUrl to startDingtalkSimulator or call setBotUrl()");
    return `${bot.replace(/\/+$/, "")}${path}`;
  }

  private async post(
    kind: "message" | "card",
    url: string,
    rawBody: string,
    payload: Record<string, unknown>,
    opts: SignOptions,
    timeoutMs: number,
    routeSecret?: string,
  ): Promise<CallbackResult> {
    // Each delivery is signed at its own millisecond, as on DingTalk, even under a fixed test clock:
    // the bot refuses a timestamp + sign pair seen before with another body (a replay).
    let at = this.cfg.state.clock.now().getTime() - (opts.skewMs ?? 0);
    if (opts.skewMs === undefined) at = this.lastSignedAt = Math.max(at, this.lastSignedAt + 1);
    const timestamp = String(at);
    const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
    if (kind === "message") {
      headers.timestamp = timestamp;
      headers.sign = signRobotMessage(timestamp, opts.badSign ? `${this.cfg.appSecret}-forged` : this.cfg.appSecret);
    } else {
      const secret = routeSecret ?? this.cfg.cardApiSecret;
      headers["x-ddpaas-signature-timestamp"] = timestamp;
      headers["x-ddpaas-signature"] = signCardCallback(timestamp, opts.badSign ? `${secret}-forged` : secret);
    }
    const record: CallbackRecord = { kind, url, headers, rawBody, payload, timedOut: false, durationMs: 0 };
    this.cfg.state.callbacks.push(record);
    const started = Date.now();
    try {
      const res = await fetch(url, { method: "POST", headers, body: rawBody, signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      record.status = res.status;
      record.response = parse(text);
    } catch (err) {
      if ((err as Error).name !== "TimeoutError") throw err;
      record.timedOut = true;
    } finally {
      record.durationMs = Date.now() - started;
    }
    return { status: record.status, body: record.response, timedOut: record.timedOut, record };
  }
}

/** Who may click what: the card's audience, only its buttons, and not once it shows as submitted. */
function assertCanClick(card: CardState, staffId: string, actionKey: string, force: boolean): void {
  const audience = card.space.type === "IM_ROBOT" ? [card.space.id] : card.recipients;
  if (audience && !audience.includes(staffId)) throw new Error(`simulator: ${staffId} cannot see card ${card.outTrackId}`);
  const actions = parse(card.publicData.actions);
  if (Array.isArray(actions) && !actions.some((a: { key?: unknown }) => a?.key === actionKey)) {
    throw new Error(`simulator: card ${card.outTrackId} has no button "${actionKey}"`);
  }
  const submitted = card.privateData[staffId]?.submitted ?? card.publicData.submitted;
  if (submitted === "true" && !force) throw new Error(`simulator: card ${card.outTrackId} is already submitted; its buttons are disabled`);
}

/** Callback answer {cardData, userPrivateData, cardUpdateOptions} (event-callback-card page). */
function applyCardAnswer(card: CardState, staffId: string, body: unknown): void {
  const b = (body ?? {}) as {
    cardData?: { cardParamMap?: Record<string, string> };
    userPrivateData?: { cardParamMap?: Record<string, string> };
    cardUpdateOptions?: { updateCardDataByKey?: boolean; updatePrivateDataByKey?: boolean };
  };
  const publicMap = b.cardData?.cardParamMap;
  const privateMap = b.userPrivateData?.cardParamMap;
  if (publicMap) card.publicData = b.cardUpdateOptions?.updateCardDataByKey ? { ...card.publicData, ...publicMap } : { ...publicMap };
  if (privateMap) {
    card.privateData[staffId] = b.cardUpdateOptions?.updatePrivateDataByKey ? { ...(card.privateData[staffId] ?? {}), ...privateMap } : { ...privateMap };
  }
  if (publicMap || privateMap) card.updates += 1;
}

function parse(text: string | undefined): unknown {
  if (text === undefined || text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
