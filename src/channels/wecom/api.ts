import axios, { type AxiosInstance, type AxiosResponse } from "axios";
import type { Clock } from "../../infra/clock.js";
import type { Logger } from "../../infra/logger.js";
import type { MessageBody } from "./render.js";

/**
 * WeCom server API client for one self-built app (host qyapi.weixin.qq.com or WECOM_API_BASE).
 *
 * - The access token is cached until 5 minutes before it expires (doc 91039: 7200 s, repeated
 *   fetches within the validity return the same token) and fetched once for concurrent callers.
 * - A call rejected for its token (40014 invalid, 42001 expired, 40001 bad credential) gets one fresh
 *   token and one retry: WeCom may invalidate tokens early (doc 91039).
 * - Two error kinds: the platform said no (WecomApiError, errcode/errmsg, doc 90313) and the transport
 *   failed (WecomHttpError: non-200 status, timeout, network). Neither carries the URL, so the token in
 *   the query string never reaches a log.
 */

export class WecomApiError extends Error {
  constructor(
    readonly api: string,
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeCom ${api} failed: errcode ${errcode} ${errmsg}`);
    this.name = "WecomApiError";
  }
}

export class WecomHttpError extends Error {
  constructor(
    readonly api: string,
    /** HTTP status when the server answered, undefined for network errors and timeouts. */
    readonly status: number | undefined,
    message: string,
  ) {
    super(`WeCom ${api}: ${message}`);
    this.name = "WecomHttpError";
  }
}

export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001]);
const REFRESH_MARGIN_MS = 5 * 60_000;

/** Operator hints for errors that mean misconfiguration rather than a bad request (doc 90313). */
const HINTS: Record<number, string> = {
  40001: "check WECOM_SECRET: it must be this app's Secret (admin console → 应用管理 → the app)",
  40013: "check WECOM_CORP_ID: it is the 企业ID shown under 我的企业 → 企业信息",
  40056: "check WECOM_AGENT_ID: it must be the AgentId of the app whose Secret is WECOM_SECRET",
  301002: "check WECOM_AGENT_ID: the token belongs to another app",
  60020: "add this server's public IP to the app's 企业可信IP list in the admin console",
  48002: "the app lacks permission for this API; grant it in the admin console",
};

export interface WecomApiOptions {
  baseUrl: string;
  corpId: string;
  secret: string;
  agentId: number;
  clock: Clock;
  log: Logger;
  timeoutMs?: number;
  /** Injected in tests; by default a plain axios instance. */
  http?: AxiosInstance;
}

export interface SendMessageResult {
  msgid?: string;
  response_code?: string;
  invaliduser?: string;
}

export interface MediaFile {
  data: Buffer;
  fileName?: string;
  contentType?: string;
}

export interface WecomDepartment {
  id: number;
  name: string;
  parentid: number;
}

export interface WecomMember {
  userid: string;
  name: string;
  department: number[];
  mobile?: string;
}

interface WecomJson {
  errcode?: number;
  errmsg?: string;
  [key: string]: unknown;
}

/** WeCom's default window for enable_duplicate_check (at most 4 hours). */
export const DUPLICATE_CHECK_SECONDS = 1800;

export class WecomApiClient {
  readonly agentId: number;
  private readonly http: AxiosInstance;
  private readonly base: string;
  private cached?: { token: string; refreshAt: number };
  private inflight?: Promise<string>;

  constructor(private readonly opts: WecomApiOptions) {
    this.agentId = opts.agentId;
    this.base = opts.baseUrl.replace(/\/+$/, "");
    this.http = opts.http ?? axios.create({ timeout: opts.timeoutMs ?? 10_000 });
  }

  /** The cached token, or a fresh one; concurrent callers share one gettoken request. */
  async getAccessToken(): Promise<string> {
    const now = this.opts.clock.now().getTime();
    if (this.cached && now < this.cached.refreshAt) return this.cached.token;
    this.inflight ??= this.fetchToken().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  /** Forget a token WeCom rejected, unless a newer one has replaced it meanwhile. */
  invalidateToken(token?: string): void {
    if (!token || this.cached?.token === token) this.cached = undefined;
  }

  async sendMessage(touser: string, body: MessageBody, extra: Record<string, unknown> = {}): Promise<SendMessageResult> {
    // WeCom drops a message identical to one sent to the same member within the interval (doc 90236):
    // the platform-side guard for an outbox row re-sent after a crash between sending and recording.
    const json = await this.post("message/send", { touser, agentid: this.agentId, ...body, enable_duplicate_check: 1, duplicate_check_interval: DUPLICATE_CHECK_SECONDS, ...extra });
    return { msgid: str(json.msgid), response_code: str(json.response_code), invaliduser: str(json.invaliduser) };
  }

  /** Greys out the clicked button with a new label (doc 94888); each response_code works once, for 72 h. */
  async updateTemplateCardButton(userids: string[], responseCode: string, replaceName: string): Promise<void> {
    await this.post("message/update_template_card", {
      userids,
      agentid: this.agentId,
      response_code: responseCode,
      button: { replace_name: replaceName },
    });
  }

  /** Temporary media (doc 90253), valid 3 days; returns the media_id. */
  async uploadMedia(type: "file" | "image", fileName: string, data: Buffer): Promise<string> {
    const api = "media/upload";
    const json = await this.withToken(api, async (token) => {
      const form = new FormData();
      form.append("media", new Blob([new Uint8Array(data)]), fileName);
      const res = await this.request(api, { method: "POST", url: `${this.base}/cgi-bin/media/upload`, params: { access_token: token, type }, data: form });
      return checked(api, res.data);
    });
    const mediaId = str(json.media_id);
    if (!mediaId) throw new WecomApiError(api, -1, "no media_id in the answer");
    return mediaId;
  }

  /** Downloads media (doc 90254): bytes on success, a JSON errcode body on failure. */
  async getMedia(mediaId: string): Promise<MediaFile> {
    const api = "media/get";
    return this.withToken(api, async (token) => {
      const res = await this.request(api, {
        method: "GET",
        url: `${this.base}/cgi-bin/media/get`,
        params: { access_token: token, media_id: mediaId },
        responseType: "arraybuffer",
      });
      const data = Buffer.from(res.data as ArrayBuffer);
      const contentType = String(res.headers["content-type"] ?? "");
      if (/json|text\/plain/i.test(contentType) && data.subarray(0, 1).toString() === "{") {
        checked(api, JSON.parse(data.toString("utf8")) as WecomJson);
      }
      return { data, fileName: fileNameFrom(String(res.headers["content-disposition"] ?? "")), contentType: contentType || undefined };
    });
  }

  /** Departments in the app's visible range (doc 90208 获取部门列表). */
  async listDepartments(): Promise<WecomDepartment[]> {
    const json = await this.get("department/list", {});
    const list = Array.isArray(json.department) ? (json.department as Record<string, unknown>[]) : [];
    return list.map((d) => ({ id: Number(d.id), name: str(d.name) ?? "", parentid: Number(d.parentid ?? 0) }));
  }

  /**
   * Members directly in one department (doc 90201 获取部门成员详情). Apps created after 2022-06-20 get
   * no mobile here, and an agent-developed app may get the userid in place of the name.
   */
  async listDepartmentMembers(departmentId: number): Promise<WecomMember[]> {
    const json = await this.get("user/list", { department_id: String(departmentId) });
    const list = Array.isArray(json.userlist) ? (json.userlist as Record<string, unknown>[]) : [];
    return list.map((u) => ({
      userid: str(u.userid) ?? "",
      name: str(u.name) ?? "",
      department: Array.isArray(u.department) ? u.department.map(Number) : [],
      mobile: str(u.mobile),
    }));
  }

  private async get(api: string, params: Record<string, string>): Promise<WecomJson> {
    return this.withToken(api, async (token) => {
      const res = await this.request(api, { method: "GET", url: `${this.base}/cgi-bin/${api}`, params: { access_token: token, ...params } });
      return checked(api, res.data);
    });
  }

  private async post(api: string, body: Record<string, unknown>): Promise<WecomJson> {
    return this.withToken(api, async (token) => {
      const res = await this.request(api, { method: "POST", url: `${this.base}/cgi-bin/${api}`, params: { access_token: token }, data: body });
      return checked(api, res.data);
    });
  }

  private async withToken<T>(api: string, fn: (token: string) => Promise<T>): Promise<T> {
    const token = await this.getAccessToken();
    try {
      return await fn(token);
    } catch (err) {
      if (!(err instanceof WecomApiError) || !TOKEN_ERRCODES.has(err.errcode)) throw err;
      this.opts.log.info({ api, errcode: err.errcode }, "wecom token rejected; fetching a new one and retrying once");
      this.invalidateToken(token);
      return fn(await this.getAccessToken());
    }
  }

  private async fetchToken(): Promise<string> {
    const api = "gettoken";
    const started = this.opts.clock.now().getTime();
    const res = await this.request(api, {
      method: "GET",
      url: `${this.base}/cgi-bin/gettoken`,
      params: { corpid: this.opts.corpId, corpsecret: this.opts.secret },
    });
    const json = checked(api, res.data, this.opts.log);
    const token = str(json.access_token);
    const expiresIn = Number(json.expires_in);
    if (!token || !Number.isFinite(expiresIn) || expiresIn <= 0) throw new WecomApiError(api, -1, "no access_token/expires_in in the answer");
    const lifetimeMs = expiresIn * 1000;
    const refreshAt = started + (lifetimeMs > 2 * REFRESH_MARGIN_MS ? lifetimeMs - REFRESH_MARGIN_MS : lifetimeMs / 2);
    this.cached = { token, refreshAt };
    this.opts.log.info({ api, expiresIn }, "wecom access token fetched");
    return token;
  }

  private async request(
    api: string,
    cfg: { method: "GET" | "POST"; url: string; params: Record<string, string>; data?: unknown; responseType?: "arraybuffer" },
  ): Promise<AxiosResponse> {
    let res: AxiosResponse;
    try {
      res = await this.http.request({ ...cfg, validateStatus: () => true });
    } catch (err) {
      // Only the error code/message: the axios error carries the request URL with the token in it.
      const e = err as { code?: string; message?: string };
      throw new WecomHttpError(api, undefined, e.code ?? e.message ?? "network error");
    }
    if (res.status !== 200) throw new WecomHttpError(api, res.status, `HTTP ${res.status}`);
    return res;
  }
}

function checked(api: string, data: unknown, log?: Logger): WecomJson {
  const json = (typeof data === "string" ? safeJson(data) : data) as WecomJson | undefined;
  if (!json || typeof json !== "object") throw new WecomHttpError(api, 200, "answer is not JSON");
  const errcode = Number(json.errcode ?? 0);
  if (errcode !== 0) {
    const hint = HINTS[errcode];
    if (hint && log) log.error({ api, errcode, errmsg: json.errmsg, hint }, "wecom configuration problem");
    throw new WecomApiError(api, errcode, String(json.errmsg ?? ""));
  }
  return json;
}

/** The hint for an errcode that means misconfiguration, if any. */
export function configHint(errcode: number): string | undefined {
  return HINTS[errcode];
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined;
}

function fileNameFrom(disposition: string): string | undefined {
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (star) return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ""));
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1].trim() : undefined;
}
