import axios, { type AxiosInstance, type Method } from "axios";
import type { Clock } from "../../infra/clock.js";
import type { Logger } from "../../infra/logger.js";
import { AccessTokenCache, type FetchedToken } from "./access-token.js";
import { DingtalkApiError, fromHttpError, fromLegacyBody } from "./errors.js";

/**
 * The one outbound seam to DingTalk. New API family (api.dingtalk.com/v1.0, token in header
 * x-acs-dingtalk-access-token) for tokens, robot messages and cards; the legacy host (oapi) only for
 * media upload and session webhooks. Every failure is a DingtalkApiError; nothing here logs a secret,
 * a token or a URL that carries one.
 */
export interface DingtalkApiConfig {
  appKey: string;
  appSecret: string;
  robotCode: string;
  apiBase: string;
  oapiBase: string;
  clock: Clock;
  log: Logger;
  http?: AxiosInstance;
  timeoutMs?: number;
}

/** Robot message: msgKey plus msgParam (sent as a JSON string). */
export interface RobotMessage {
  msgKey: string;
  msgParam: Record<string, string>;
}

export interface BatchSendResult {
  processQueryKey?: string;
  invalidStaffIdList: string[];
  flowControlledStaffIdList: string[];
}

export interface CardDelivery {
  outTrackId: string;
  cardTemplateId: string;
  cardParamMap: Record<string, string>;
  /** Registered with POST /v1.0/card/callbacks/register; without it clicks are not called back over HTTP. */
  callbackRouteKey?: string;
  /** Robot 1:1 chat with a user, or a group (recipients: who may see it; all members when absent). */
  to: { userId: string } | { openConversationId: string; recipients?: string[] };
}

export interface CardUpdate {
  outTrackId: string;
  cardParamMap?: Record<string, string>;
  /** Per-user private data: { userId: cardParamMap }. */
  privateData?: Record<string, Record<string, string>>;
}

export class DingtalkApi {
  readonly robotCode: string;
  private readonly http: AxiosInstance;
  private readonly tokens: AccessTokenCache;
  private readonly timeoutMs: number;

  constructor(private readonly cfg: DingtalkApiConfig) {
    this.robotCode = cfg.robotCode;
    this.http = cfg.http ?? axios.create();
    this.timeoutMs = cfg.timeoutMs ?? 10_000;
    this.tokens = new AccessTokenCache(() => this.fetchToken(), cfg.clock);
  }

  accessToken(): Promise<string> {
    return this.tokens.get();
  }

  /** Robot 1:1 messages (BatchSendOTO): per-user failures come back in the lists, not as errors. */
  async batchSendOto(userIds: string[], message: RobotMessage): Promise<BatchSendResult> {
    const data = await this.call<Partial<BatchSendResult>>("robot.batchSend", "POST", "/v1.0/robot/oToMessages/batchSend", {
      robotCode: this.robotCode,
      userIds,
      msgKey: message.msgKey,
      msgParam: JSON.stringify(message.msgParam),
    });
    return {
      processQueryKey: data.processQueryKey,
      invalidStaffIdList: data.invalidStaffIdList ?? [],
      flowControlledStaffIdList: data.flowControlledStaffIdList ?? [],
    };
  }

  /**
   * Creates a card instance from a template and delivers it (open.dingtalk.com/document/orgapp/
   * create-and-deliver-cards). openSpaceId is dtv1.card//IM_ROBOT.<userId> or IM_GROUP.<cid>.
   */
  async createAndDeliverCard(card: CardDelivery): Promise<void> {
    const body: Record<string, unknown> = {
      cardTemplateId: card.cardTemplateId,
      outTrackId: card.outTrackId,
      cardData: { cardParamMap: card.cardParamMap },
      userIdType: 1,
      ...(card.callbackRouteKey ? { callbackType: "HTTP", callbackRouteKey: card.callbackRouteKey } : {}),
    };
    if ("userId" in card.to) {
      body.openSpaceId = `dtv1.card//IM_ROBOT.${card.to.userId}`;
      body.imRobotOpenSpaceModel = { supportForward: false };
      body.imRobotOpenDeliverModel = { spaceType: "IM_ROBOT", robotCode: this.robotCode };
    } else {
      body.openSpaceId = `dtv1.card//IM_GROUP.${card.to.openConversationId}`;
      body.imGroupOpenSpaceModel = { supportForward: false };
      body.imGroupOpenDeliverModel = { robotCode: this.robotCode, ...(card.to.recipients ? { recipients: card.to.recipients } : {}) };
    }
    type Res = { success?: boolean; result?: { deliverResults?: { success?: boolean; errorMsg?: string }[] } };
    const res = await this.call<Res>("card.createAndDeliver", "POST", "/v1.0/card/instances/createAndDeliver", body);
    // HTTP 200 can still carry success:false or a failed space (official cardReplier.ts checks success).
    const failed = res.result?.deliverResults?.find((d) => d.success === false);
    if (res.success === false || failed) {
      throw new DingtalkApiError("card.createAndDeliver", "permanent", `not delivered: ${failed?.errorMsg ?? "success=false"}`, 200);
    }
  }

  /** PUT /v1.0/card/instances, merging by key so untouched variables keep their values. */
  async updateCard(update: CardUpdate): Promise<void> {
    const privateData = update.privateData
      ? Object.fromEntries(Object.entries(update.privateData).map(([user, map]) => [user, { cardParamMap: map }]))
      : undefined;
    await this.call("card.update", "PUT", "/v1.0/card/instances", {
      outTrackId: update.outTrackId,
      ...(update.cardParamMap ? { cardData: { cardParamMap: update.cardParamMap } } : {}),
      ...(privateData ? { privateData } : {}),
      cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
      userIdType: 1,
    });
  }

  /** Points a callbackRouteKey at our POST /dingtalk/card; apiSecret signs the callbacks. */
  async registerCardCallback(input: { callbackRouteKey: string; callbackUrl: string; apiSecret: string }): Promise<void> {
    await this.call("card.registerCallback", "POST", "/v1.0/card/callbacks/register", { ...input, forceUpdate: true });
  }

  /** Legacy media upload (oapi /media/upload, multipart field "media") → media_id for sampleFile. */
  async uploadMedia(fileName: string, bytes: Buffer, type: "file" | "image" = "file"): Promise<string> {
    return this.withToken("media.upload", async (token) => {
      const form = new FormData();
      form.append("media", new Blob([new Uint8Array(bytes)]), fileName);
      const res = await this.http.post(`${this.cfg.oapiBase}/media/upload`, form, {
        params: { access_token: token, type },
        timeout: this.timeoutMs,
      });
      const err = fromLegacyBody("media.upload", res.data);
      if (err) throw err;
      const mediaId = (res.data as { media_id?: string }).media_id;
      if (!mediaId) throw new DingtalkApiError("media.upload", "retryable", "no media_id in answer", res.status);
      return mediaId;
    });
  }

  /**
   * Replies through a message's sessionWebhook (no token; custom-robot message format). Only URLs on
   * the configured oapi host are followed, so a forged payload cannot make us POST elsewhere.
   */
  async postSessionWebhook(url: string, message: Record<string, unknown>): Promise<void> {
    if (!url.startsWith(`${this.cfg.oapiBase.replace(/\/+$/, "")}/`)) {
      throw new DingtalkApiError("session.webhook", "permanent", "sessionWebhook is not on DINGTALK_OAPI_BASE");
    }
    let data: unknown;
    try {
      data = (await this.http.post(url, message, { timeout: 5_000 })).data;
    } catch (err) {
      throw fromHttpError("session.webhook", err);
    }
    const err = fromLegacyBody("session.webhook", data);
    if (err) throw err;
  }

  /** The next level of departments under deptId (topapi/v2/department/listsub; the root is 1). */
  async listSubDepartments(deptId: number): Promise<{ deptId: number; name: string; parentId: number }[]> {
    const data = await this.legacyPost<{ result?: { dept_id?: number; name?: string; parent_id?: number }[] }>("department.listsub", "/topapi/v2/department/listsub", { dept_id: deptId });
    return (data.result ?? []).map((d) => ({ deptId: Number(d.dept_id), name: d.name ?? "", parentId: Number(d.parent_id) }));
  }

  /** Everyone directly in one department, page by page (topapi/v2/user/list, at most 100 a page). */
  async listDepartmentUsers(deptId: number): Promise<{ userId: string; name: string; mobile?: string }[]> {
    type Page = { result?: { has_more?: boolean; next_cursor?: number; list?: { userid?: string; name?: string; mobile?: string }[] } };
    const users: { userId: string; name: string; mobile?: string }[] = [];
    for (let cursor: number | undefined = 0; cursor !== undefined; ) {
      const page: Page = await this.legacyPost<Page>("user.list", "/topapi/v2/user/list", { dept_id: deptId, cursor, size: 100 });
      for (const u of page.result?.list ?? []) users.push({ userId: u.userid ?? "", name: u.name ?? "", ...(u.mobile ? { mobile: u.mobile } : {}) });
      cursor = page.result?.has_more ? page.result.next_cursor : undefined;
    }
    return users;
  }

  /** Legacy (oapi) JSON call with the token in the query and errcode in the body. */
  private async legacyPost<T>(api: string, path: string, body: unknown): Promise<T> {
    return this.withToken(api, async (token) => {
      const res = await this.http.post(`${this.cfg.oapiBase}${path}`, body, { params: { access_token: token }, timeout: this.timeoutMs });
      const err = fromLegacyBody(api, res.data);
      if (err) throw err;
      return res.data as T;
    });
  }

  private async fetchToken(): Promise<FetchedToken> {
    try {
      const res = await this.http.post(
        `${this.cfg.apiBase}/v1.0/oauth2/accessToken`,
        { appKey: this.cfg.appKey, appSecret: this.cfg.appSecret },
        { timeout: this.timeoutMs },
      );
      const { accessToken, expireIn } = res.data as { accessToken?: string; expireIn?: number };
      if (!accessToken) throw new DingtalkApiError("oauth2.accessToken", "retryable", "no accessToken in answer", res.status);
      return { token: accessToken, expiresInSec: Number(expireIn) || 7200 };
    } catch (err) {
      const e = fromHttpError("oauth2.accessToken", err);
      // Wrong credentials are an operator problem; keep the outbox retrying until they are fixed.
      const failure = e.kind === "permanent" || e.kind === "auth" ? new DingtalkApiError(e.api, "retryable", e.detail, e.status, e.code) : e;
      this.cfg.log.error({
        msg: "DingTalk access token refused: check DINGTALK_APP_KEY and DINGTALK_APP_SECRET (开发者后台 → 应用凭证) and DINGTALK_API_BASE",
        ...failure.toLog(),
      });
      throw failure;
    }
  }

  private async call<T>(api: string, method: Method, path: string, data: unknown): Promise<T> {
    return this.withToken(api, async (token) => {
      const started = Date.now();
      try {
        const res = await this.http.request({
          method,
          url: `${this.cfg.apiBase}${path}`,
          data,
          headers: { "x-acs-dingtalk-access-token": token, "content-type": "application/json" },
          timeout: this.timeoutMs,
        });
        this.cfg.log.debug({ msg: "dingtalk api", api, status: res.status, ms: Date.now() - started });
        return res.data as T;
      } catch (err) {
        throw fromHttpError(api, err);
      }
    });
  }

  /** Runs with the cached token; on an auth refusal drops it, refetches once and retries once. */
  private async withToken<T>(api: string, run: (token: string) => Promise<T>): Promise<T> {
    const token = await this.tokens.get();
    try {
      return await run(token);
    } catch (err) {
      const e = err instanceof DingtalkApiError ? err : fromHttpError(api, err);
      if (e.kind !== "auth") throw e;
      this.cfg.log.info({ msg: "dingtalk token refused, refreshing once", api, code: e.code });
      this.tokens.invalidate(token);
      try {
        return await run(await this.tokens.get());
      } catch (again) {
        const e2 = again instanceof DingtalkApiError ? again : fromHttpError(api, again);
        throw e2.kind === "auth" ? new DingtalkApiError(api, "retryable", `token refused after refresh: ${e2.detail}`, e2.status, e2.code) : e2;
      }
    }
  }
}
