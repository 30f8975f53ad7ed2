import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleRoute, isLegacy, OAPI_PREFIX, routeOf, type SimConfig, type SimRequest, type SimResponse } from "./api-routes.js";
import { Driver, type CallbackResult, type ClickOptions, type MessageOptions, type SignOptions } from "./driver.js";
import type { SimContacts } from "./contacts.js";
import { SimState, type CallbackRecord, type CardState, type DeliveredMessage, type Fault, type RecordedRequest, type SimClock } from "./state.js";

export type { SimContacts, SimDept, SimUser } from "./contacts.js";
export type { CallbackResult, CallbackRecord, CardState, ClickOptions, DeliveredMessage, Fault, MessageOptions, RecordedRequest, SignOptions, SimClock };

/**
 * A local DingTalk for tests and demos (platforms-reference.md PART D3): the token endpoint, robot 1:1
 * batchSend, interactive cards (createAndDeliver, update, callback registration), legacy media upload
 * and session webhooks, all validated like the platform does; plus simulated users who send signed
 * robot messages and click cards. Listens on 127.0.0.1, port 0 by default.
 */
export interface DingtalkSimulatorOptions {
  appKey?: string;
  appSecret?: string;
  /** Robot code; for enterprise internal apps it equals the AppKey. */
  robotCode?: string;
  corpId?: string;
  /** Known staffIds; others land in invalidStaffIdList. Absent: everyone is known. */
  users?: string[];
  /** Base URL of the bot (where /dingtalk/callback and /dingtalk/card live); or call setBotUrl later. */
  botUrl?: string;
  clock?: SimClock;
  port?: number;
  tokenTtlSec?: number;
  /** Official example: sessionWebhookExpiredTime = createAt + 5 400 060 ms (~90 min). */
  sessionTtlMs?: number;
  /** apiSecret used for card callbacks when the card's route was not registered (default appSecret). */
  cardApiSecret?: string;
  /** BatchSendOTO userIds cap: the parameter table says 20 (the error text says 100). */
  maxUserIds?: number;
  cardTimeoutMs?: number;
  messageTimeoutMs?: number;
  /** The organisation (通讯录) and the app's contact permissions. */
  contacts?: SimContacts;
}

export interface DingtalkSimulator {
  /** For DINGTALK_API_BASE. */
  apiBase: string;
  /** For DINGTALK_OAPI_BASE (the legacy host lives under /oapi here). */
  oapiBase: string;
  appKey: string;
  appSecret: string;
  robotCode: string;
  corpId: string;
  cardApiSecret: string;
  /** Every API request received, in order. */
  requests: RecordedRequest[];
  /** Every message delivered to a user or chat (the "phone screen"). */
  messages: DeliveredMessage[];
  /** Every callback POSTed to the bot, with its answer. */
  callbacks: CallbackRecord[];
  cards: Map<string, CardState>;
  setBotUrl(url: string): void;
  sendText(staffId: string, content: string, opts?: MessageOptions): Promise<CallbackResult>;
  sendMessage(staffId: string, message: Record<string, unknown>, opts?: MessageOptions): Promise<CallbackResult>;
  clickCard(staffId: string, outTrackId: string, actionKey: string, params?: Record<string, unknown>, opts?: ClickOptions): Promise<CallbackResult>;
  replay(record: CallbackRecord, opts?: SignOptions): Promise<CallbackResult>;
  /** Messages one user received: API 1:1 sends plus session replies in their 1:1 chat. */
  inbox(staffId: string): DeliveredMessage[];
  /** Session-webhook replies posted into a group. */
  groupChat(conversationId?: string): DeliveredMessage[];
  inject(fault: Fault): void;
  clearFaults(): void;
  /** Per-route requests per second before 403 QpsLimitForAppkeyAndApi; null turns it off. */
  setQpsLimit(limit: number | null): void;
  /** The user shows up in flowControlledStaffIdList until turned off. */
  flowControl(staffId: string, on?: boolean): void;
  /** Invalidates every issued token (the next API call gets InvalidAuthentication). */
  expireTokens(): void;
  /** Expires every session webhook issued so far. */
  expireSessions(): void;
  addUsers(...staffIds: string[]): void;
  /** Replaces the organisation read through department/listsub and user/list. */
  setContacts(contacts: SimContacts): void;
  /** Clears recordings (requests, messages, callbacks); cards, tokens and routes stay. */
  resetRecords(): void;
  close(): Promise<void>;
}

const DEFAULT_FAULT_BODY: Record<number, { code: string; message: string }> = {
  403: { code: "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", message: "应用调用该接口的QPS超过限制" },
  429: { code: "Throttling", message: "请求被限流" },
};

export async function startDingtalkSimulator(opts: DingtalkSimulatorOptions = {}): Promise<DingtalkSimulator> {
  const appKey = opts.appKey ?? "dingsimappkey0001";
  const cfg: SimConfig = {
    appKey,
    appSecret: opts.appSecret ?? "sim-app-secret-0123456789abcdef",
    robotCode: opts.robotCode ?? appKey,
    corpId: opts.corpId ?? "dingsimcorp0001",
    tokenTtlSec: opts.tokenTtlSec ?? 7200,
    maxUserIds: opts.maxUserIds ?? 20,
  };
  const state = new SimState(opts.clock ?? { now: () => new Date() }, opts.users ? new Set(opts.users) : null);
  if (opts.contacts) state.contacts = opts.contacts;
  let botUrl = opts.botUrl;

  const server = createServer((req, res) => {
    void serve(req, res, state, cfg).catch((err: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: { code: "SimulatorError", message: String(err) } });
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cardApiSecret = opts.cardApiSecret ?? cfg.appSecret;
  const driver = new Driver({
    state,
    appSecret: cfg.appSecret,
    robotCode: cfg.robotCode,
    corpId: cfg.corpId,
    chatbotUserId: "$:LWCP_v1:$simRobot",
    oapiBase: `${origin}${OAPI_PREFIX}`,
    botUrl: () => botUrl,
    cardApiSecret,
    sessionTtlMs: opts.sessionTtlMs ?? 5_400_060,
    cardTimeoutMs: opts.cardTimeoutMs ?? 2_000,
    messageTimeoutMs: opts.messageTimeoutMs ?? 10_000,
  });

  return {
    apiBase: origin,
    oapiBase: `${origin}${OAPI_PREFIX}`,
    appKey: cfg.appKey,
    appSecret: cfg.appSecret,
    robotCode: cfg.robotCode,
    corpId: cfg.corpId,
    cardApiSecret,
    requests: state.requests,
    messages: state.messages,
    callbacks: state.callbacks,
    cards: state.cards,
    setBotUrl: (url) => {
      botUrl = url;
    },
    sendText: (staffId, content, o) => driver.sendText(staffId, content, o),
    sendMessage: (staffId, message, o) => driver.sendMessage(staffId, message, o),
    clickCard: (staffId, outTrackId, actionKey, params, o) => driver.clickCard(staffId, outTrackId, actionKey, params, o),
    replay: (record, o) => driver.replay(record, o),
    inbox: (staffId) =>
      state.messages.filter((m) => m.userId === staffId),
    groupChat: (conversationId) => state.messages.filter((m) => m.via === "session" && m.userId === undefined && (!conversationId || m.conversationId === conversationId)),
    inject: (fault) => {
      state.faults.push({ ...fault, times: fault.times ?? 1 });
    },
    clearFaults: () => {
      state.faults.length = 0;
    },
    setQpsLimit: (limit) => {
      state.qpsLimit = limit;
    },
    flowControl: (staffId, on = true) => {
      if (on) state.flowControlled.add(staffId);
      else state.flowControlled.delete(staffId);
    },
    expireTokens: () => state.tokens.clear(),
    expireSessions: () => {
      for (const s of state.sessions.values()) s.expiresAt = 0;
    },
    setContacts: (contacts) => {
      state.contacts = contacts;
    },
    addUsers: (...ids) => {
      if (state.users) for (const id of ids) state.users.add(id);
    },
    resetRecords: () => {
      state.requests.length = 0;
      state.messages.length = 0;
      state.callbacks.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, state: SimState, cfg: SimConfig): Promise<void> {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks);
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : (v ?? "")]));
  const isJson = (headers["content-type"] ?? "").includes("json");
  const simReq: SimRequest = {
    method: req.method ?? "GET",
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    rawBody,
    json: isJson ? tryJson(rawBody.toString("utf8")) : undefined,
  };
  const route = routeOf(simReq.method, simReq.path);
  const record = (out: SimResponse): void => {
    state.requests.push({
      route: route ?? "unknown",
      method: simReq.method,
      path: simReq.path,
      query: simReq.query,
      headers,
      body: simReq.json ?? (rawBody.length ? `<${rawBody.length} bytes>` : undefined),
      status: out.status,
      response: out.body,
      at: state.clock.now().getTime(),
    });
  };
  if (!route) {
    const out = { status: 404, body: { code: "NotFound", message: `no ${simReq.method} ${simReq.path} here` } };
    record(out);
    return send(res, out);
  }
  const fault = state.takeFault(route);
  if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
  if (fault?.until) await fault.until;
  if (fault?.network) {
    record({ status: 0, body: "connection destroyed" });
    req.socket.destroy();
    return;
  }
  let out: SimResponse;
  if (fault?.status) {
    out = { status: fault.status, body: fault.body ?? DEFAULT_FAULT_BODY[fault.status] ?? { code: "ServiceUnavailable", message: "服务暂不可用" } };
  } else if (route !== "token" && !isLegacy(route) && state.overQps(route)) {
    // 20 QPS per app per API (how-to-process-api-throttling page); community code shows HTTP 403.
    out = { status: 403, body: DEFAULT_FAULT_BODY[403] };
  } else {
    out = await handleRoute(route, simReq, state, cfg);
  }
  record(out);
  send(res, out);
}

function send(res: ServerResponse, out: SimResponse): void {
  const body = JSON.stringify(out.body ?? {});
  res.writeHead(out.status, { "content-type": "application/json;charset=utf-8", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function tryJson(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return s;
  }
}
