import { isAxiosError } from "axios";
import type { SendFailure } from "../../outbox/sender.js";

/**
 * The platform said no, or the network failed: one error type with a kind the outbox understands.
 * "auth" is internal: the API client refreshes the token once and retries before anyone sees it.
 */
export type FailureKind = "auth" | "rate_limited" | "retryable" | "permanent";

export class DingtalkApiError extends Error {
  constructor(
    readonly api: string,
    readonly kind: FailureKind,
    readonly detail: string,
    readonly status?: number,
    readonly code?: string,
    readonly retryAfterMs?: number,
  ) {
    super(`${api}: ${detail}`);
    this.name = "DingtalkApiError";
  }

  /** Safe to log: no headers, no token, no request body. */
  toLog(): Record<string, unknown> {
    return { api: this.api, kind: this.kind, status: this.status, code: this.code, detail: this.detail };
  }
}

// QPS limits: Forbidden.AccessDenied.QpsLimitForAppkeyAndApi / QpsLimitForApi / ApiCountLimitForOrg
// (open.dingtalk.com/document/development/how-to-process-api-throttling-on-the-dingtalk-server: retry after 1 s).
const RATE_LIMIT_CODE = /throttl|qpslimit|countlimit|flowcontrol/i;
// Bad or expired token: 400/401 InvalidAuthentication "不合法的access_token".
const AUTH_CODE = /invalidauthentication|authenticationfailed/i;
const QPS_RETRY_MS = 1_000;

/** New API family (api.dingtalk.com): non-2xx with JSON {code, message, requestid}. */
export function fromHttpError(api: string, err: unknown): DingtalkApiError {
  if (err instanceof DingtalkApiError) return err;
  if (!isAxiosError(err)) return new DingtalkApiError(api, "retryable", err instanceof Error ? err.message : String(err));
  const res = err.response;
  if (!res) return new DingtalkApiError(api, "retryable", `network: ${err.code ?? err.message}`);
  const data = (res.data ?? {}) as { code?: unknown; message?: unknown; errcode?: unknown; errmsg?: unknown };
  const code = data.code !== undefined ? String(data.code) : data.errcode !== undefined ? String(data.errcode) : undefined;
  const message = String(data.message ?? data.errmsg ?? `HTTP ${res.status}`);
  const status = res.status;
  if (status === 429 || (code && RATE_LIMIT_CODE.test(code))) {
    return new DingtalkApiError(api, "rate_limited", message, status, code, retryAfter(res.headers?.["retry-after"]) ?? QPS_RETRY_MS);
  }
  if (status === 401 || (code && AUTH_CODE.test(code))) return new DingtalkApiError(api, "auth", message, status, code);
  if (status >= 500) return new DingtalkApiError(api, "retryable", message, status, code);
  return new DingtalkApiError(api, "permanent", message, status, code);
}

/**
 * Legacy family (oapi.dingtalk.com, session webhooks): HTTP 200 with errcode. 88/40014/42001 are token
 * trouble, 90018/90002 QPS limits, 410100 the robot-webhook 20-a-minute throttle, -1 "系统繁忙".
 */
export function fromLegacyBody(api: string, body: unknown): DingtalkApiError | null {
  const b = (body ?? {}) as { errcode?: unknown; errmsg?: unknown; sub_code?: unknown };
  const errcode = Number(b.errcode ?? 0);
  if (errcode === 0) return null;
  const code = String(b.errcode);
  const message = String(b.errmsg ?? "error");
  const sub = String(b.sub_code ?? "");
  if (errcode === 40014 || errcode === 42001 || (errcode === 88 && (sub === "40014" || sub === "42001"))) {
    return new DingtalkApiError(api, "auth", message, 200, code);
  }
  if (errcode === 90018 || errcode === 90002 || errcode === 410100) return new DingtalkApiError(api, "rate_limited", message, 200, code, QPS_RETRY_MS);
  if (errcode === -1) return new DingtalkApiError(api, "retryable", message, 200, code);
  return new DingtalkApiError(api, "permanent", message, 200, code);
}

/** Maps any error to the outbox's typed failure; token trouble that survived a refresh is retryable. */
export function toSendFailure(err: unknown): SendFailure {
  const e = err instanceof DingtalkApiError ? err : fromHttpError("send", err);
  const kind = e.kind === "auth" ? "retryable" : e.kind;
  return { ok: false, kind, code: e.code ?? e.status, message: e.message, ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}) };
}

function retryAfter(header: unknown): number | undefined {
  const s = Number(header);
  return Number.isFinite(s) && s > 0 ? s * 1000 : undefined;
}
