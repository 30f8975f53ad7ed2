import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleApi, type SimResponse } from "./api-handlers.js";
import type { SimDirectory } from "./contacts.js";
import { CallbackDriver, type CallbackOptions, type CallbackResult, type Forgery, type RecordedCallback } from "./callback-client.js";
import { SimState, type ScreenItem, type SimCard, type SimMedia } from "./state.js";

/**
 * A local WeCom (企业微信) for tests and benchmarks: the qyapi endpoints a self-built app uses, with
 * WeCom's validation, token lifecycle, per-member limits and fault injection, plus a simulated member
 * who sends encrypted callbacks to the bot. Loopback only, port 0.
 *
 *   const sim = await startWecomSimulator();
 *   const app = await startBot({ ...sim.env() });
 *   sim.setCallbackUrl(`${app.url}/wecom/callback`);
 *   await sim.sendText("zhangsan", "帮助");
 *   sim.screen("zhangsan") // what the member now sees
 */

export { SimProtocolError, type CallbackResult, type Forgery, type CallbackOptions, type PassiveReplyView } from "./callback-client.js";
export type { ScreenItem, SimCard } from "./state.js";
export type { SimDepartment, SimDirectory, SimMember } from "./contacts.js";

export interface WecomSimulatorOptions {
  corpId?: string;
  agentId?: number;
  secret?: string;
  token?: string;
  encodingAesKey?: string;
  /** Members in the app's visible range (others come back as invaliduser / 81013); default everyone. */
  users?: string[];
  /** Simulator clock in ms (tokens, limits, response codes, CreateTime); default Date.now. */
  now?: () => number;
  tokenTtlSeconds?: number;
  /** The bot's callback URL (…/wecom/callback); can be set later with setCallbackUrl. */
  callbackUrl?: string;
  /** Per callback attempt; WeCom waits 5 s. */
  callbackTimeoutMs?: number;
  /** Attempts per callback; WeCom makes 3. */
  callbackAttempts?: number;
  perUserPerMinute?: number;
  perUserPerHour?: number;
  /** The organisation (通讯录) the app may read; default only the root department. */
  directory?: SimDirectory;
}

/** Fault injection: the next `times` matching API calls fail this way (or are slowed down). */
export interface Fault {
  /** API after /cgi-bin/ ("message/send", "gettoken" …); default every API except gettoken. */
  api?: string;
  times?: number;
  /** Answer with this HTTP status instead of 200. */
  status?: number;
  /** Answer HTTP 200 with this errcode (e.g. 45009 frequency limit, 45033 concurrency, -1 busy). */
  errcode?: number;
  errmsg?: string;
  /** Wait before answering (alone: then answer normally). */
  delayMs?: number;
}

export interface RecordedRequest {
  method: string;
  api: string;
  query: Record<string, string>;
  /** Parsed JSON body, or for uploads the raw length; undefined for GET. */
  body?: unknown;
  status: number;
  response?: unknown;
  /** Set when an injected fault answered. */
  fault?: boolean;
  at: number;
}

export interface WecomSimulator {
  baseUrl: string;
  corpId: string;
  agentId: number;
  secret: string;
  token: string;
  encodingAesKey: string;
  /** Every API request, in order. */
  requests: RecordedRequest[];
  /** Every callback the simulated members sent, with the bot's answers. */
  callbacks: RecordedCallback[];
  cards: Map<string, SimCard>;
  media: Map<string, SimMedia>;
  /** Accepted but silently dropped pushes (30/min, 1,000/h per member, doc 90312). */
  dropped: { userid: string; item: ScreenItem }[];
  /** WECOM_* settings pointing a bot at this simulator. */
  env(): Record<string, string>;
  setCallbackUrl(url: string): void;
  /** What the member has seen, in order (API pushes and passive replies). */
  screen(userid: string): ScreenItem[];
  /** API requests to one endpoint, e.g. sent("message/send"). */
  sent(api: string): RecordedRequest[];
  expireTokens(): void;
  invalidateTokens(): void;
  issuedTokens(): number;
  fault(f: Fault): void;
  clearFaults(): void;
  /** Stores media as if a member had uploaded it; returns the MediaId. */
  putMedia(data: Buffer, fileName: string, contentType?: string): string;
  sendText(userid: string, content: string, opts?: CallbackOptions & { msgId?: string }): Promise<CallbackResult>;
  sendMedia(userid: string, msgType: "image" | "video" | "file", mediaId: string, opts?: CallbackOptions & { msgId?: string; fileName?: string }): Promise<CallbackResult>;
  sendEvent(userid: string, event: string, opts?: CallbackOptions): Promise<CallbackResult>;
  clickCard(userid: string, taskId: string, eventKey: string, selected?: Record<string, string | string[]>, opts?: CallbackOptions & { force?: boolean }): Promise<CallbackResult>;
  verifyUrl(opts?: { forge?: Forgery; timeoutMs?: number }): Promise<{ ok: boolean; status: number; body: string; expected: string; ms: number }>;
  postRaw(query: Record<string, string>, body: string): Promise<{ status: number; body: string }>;
  /** Encrypt + sign a plaintext as WeCom would (for hand-made requests). */
  seal(plain: string, forge?: Forgery): { encrypt: string; timestamp: string; nonce: string; signature: string };
  /** Polls until `check` returns true (background sends arrive after the callback answer). */
  waitFor(check: () => boolean, timeoutMs?: number): Promise<void>;
  /** Replaces the organisation the app reads through department/list and user/list. */
  setDirectory(directory: SimDirectory): void;
  /** Forgets requests, callbacks, cards, media, screens and faults (keeps tokens). */
  reset(): void;
  close(): Promise<void>;
}

const alnum = (n: number) => {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(randomBytes(n), (b) => chars[b % chars.length]).join("");
};

export async function startWecomSimulator(opts: WecomSimulatorOptions = {}): Promise<WecomSimulator> {
  const corpId = opts.corpId ?? `ww${randomBytes(8).toString("hex")}`;
  const agentId = opts.agentId ?? 1000002;
  const secret = opts.secret ?? alnum(43);
  const token = opts.token ?? alnum(24);
  const encodingAesKey = opts.encodingAesKey ?? alnum(43);
  let callbackUrl = opts.callbackUrl;
  const now = opts.now ?? Date.now;
  const state = new SimState({
    now,
    tokenTtlSeconds: opts.tokenTtlSeconds ?? 7200,
    perUserPerMinute: opts.perUserPerMinute ?? 30,
    perUserPerHour: opts.perUserPerHour ?? 1000,
  });
  const users = opts.users ? new Set(opts.users.map((u) => u.toLowerCase())) : undefined;
  let directory: SimDirectory = opts.directory ?? { departments: [{ id: 1, name: "企业", parentid: 0 }], members: [] };
  const app = { corpId, secret, agentId, users, hasCallback: () => callbackUrl !== undefined, directory: () => directory };
  const driver = new CallbackDriver({ corpId, agentId, token, encodingAesKey }, state, {
    url: () => callbackUrl,
    timeoutMs: opts.callbackTimeoutMs ?? 5000,
    attempts: opts.callbackAttempts ?? 3,
  });
  const requests: RecordedRequest[] = [];
  const faults: (Fault & { times: number })[] = [];

  const server = createServer((req, res) => {
    serve(req, res).catch((e: unknown) => {
      res.statusCode = 500;
      res.end(`simulator error: ${(e as Error).message}`);
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sim");
    const raw = await readAll(req);
    const api = url.pathname.replace(/^\/cgi-bin\//, "");
    const query = Object.fromEntries(url.searchParams);
    const record: RecordedRequest = { method: req.method ?? "GET", api, query, body: parseBody(req, raw), status: 0, at: now() };
    requests.push(record);

    const fault = takeFault(api);
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    let answer: SimResponse;
    if (fault && fault.status !== undefined) {
      answer = { status: fault.status, json: { errcode: -1, errmsg: "system error" } };
    } else if (fault && fault.errcode !== undefined) {
      answer = { status: 200, json: { errcode: fault.errcode, errmsg: fault.errmsg ?? faultMessage(fault.errcode) } };
    } else if (!url.pathname.startsWith("/cgi-bin/")) {
      answer = { status: 404, json: { errcode: 404, errmsg: "not found" } };
    } else {
      answer = await handleApi({ method: record.method, api, query, headers: req.headers, raw }, state, app);
    }
    record.fault = fault !== undefined && (fault.status !== undefined || fault.errcode !== undefined);
    record.status = answer.status;
    record.response = answer.json ?? { bytes: answer.bytes?.length };
    res.statusCode = answer.status;
    for (const [k, v] of Object.entries(answer.headers ?? {})) res.setHeader(k, v);
    if (answer.bytes) {
      res.end(answer.bytes);
    } else {
      res.setHeader("content-type", "application/json; charset=UTF-8");
      res.end(JSON.stringify(answer.json));
    }
  }

  function takeFault(api: string): Fault | undefined {
    const i = faults.findIndex((f) => (f.api === undefined ? api !== "gettoken" : f.api === api || f.api === "*"));
    if (i < 0) return undefined;
    const f = faults[i];
    f.times -= 1;
    if (f.times <= 0) faults.splice(i, 1);
    return f;
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    corpId,
    agentId,
    secret,
    token,
    encodingAesKey,
    requests,
    callbacks: driver.callbacks,
    cards: state.cards,
    media: state.media,
    dropped: state.dropped,
    env: () => ({
      WECOM_CORP_ID: corpId,
      WECOM_AGENT_ID: String(agentId),
      WECOM_SECRET: secret,
      WECOM_TOKEN: token,
      WECOM_ENCODING_AES_KEY: encodingAesKey,
      WECOM_API_BASE: baseUrl,
    }),
    setCallbackUrl: (url) => {
      callbackUrl = url;
    },
    screen: (userid) => state.screen(userid),
    sent: (api) => requests.filter((r) => r.api === api),
    expireTokens: () => state.expireTokens(),
    invalidateTokens: () => state.invalidateTokens(),
    issuedTokens: () => state.issuedTokens(),
    fault: (f) => faults.push({ ...f, times: f.times ?? 1 }),
    clearFaults: () => {
      faults.length = 0;
    },
    putMedia: (data, fileName, contentType = "application/octet-stream") => {
      const id = state.nextId("media");
      state.media.set(id, { data, fileName, contentType, type: "file", createdAt: now() });
      return id;
    },
    sendText: (u, c, o) => driver.sendText(u, c, o),
    sendMedia: (u, t, m, o) => driver.sendMedia(u, t, m, o),
    sendEvent: (u, e, o) => driver.sendEvent(u, e, o),
    clickCard: (u, t, k, s, o) => driver.clickCard(u, t, k, s, o),
    verifyUrl: (o) => driver.verifyUrl(o),
    postRaw: (q, b) => driver.postRaw(q, b),
    seal: (p, f) => driver.seal(p, f),
    waitFor: async (check, timeoutMs = 3000) => {
      const until = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > until) throw new Error("waitFor: condition not met in time");
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    setDirectory: (d) => {
      directory = d;
    },
    reset: () => {
      requests.length = 0;
      driver.callbacks.length = 0;
      faults.length = 0;
      state.reset();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function faultMessage(errcode: number): string {
  if (errcode === 45009) return "api freq out of limit";
  if (errcode === 45033) return "api concurrent out of limit";
  if (errcode === -1) return "system busy";
  return "injected error";
}

function parseBody(req: IncomingMessage, raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  if (/json|text\/plain/i.test(String(req.headers["content-type"] ?? "")) || raw[0] === 0x7b) {
    try {
      return JSON.parse(raw.toString("utf8"));
    } catch {
      return raw.toString("utf8");
    }
  }
  return { contentType: req.headers["content-type"], bytes: raw.length };
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      // Well above WeCom's 20 MB file limit; protects the test process, not a protocol rule.
      if (size > 32 << 20) req.destroy(new Error("request too large"));
      else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
