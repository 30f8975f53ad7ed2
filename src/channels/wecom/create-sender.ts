import type { AxiosInstance } from "axios";
import type { Settings } from "../../config/settings.js";
import type { Clock } from "../../infra/clock.js";
import type { Logger } from "../../infra/logger.js";
import { WecomApiClient } from "./api.js";
import type { Db } from "../../infra/db.js";
import { DbResponseCodes, MemoryResponseCodes } from "./response-codes.js";
import { WecomSender } from "./sender.js";

export interface WecomCredentials {
  corpId: string;
  agentId: number;
  secret: string;
  token: string;
  encodingAesKey: string;
  apiBase: string;
}

/** The WECOM_* settings, checked once; the message names the variable to fix. */
export function wecomCredentials(s: Settings): WecomCredentials {
  const { WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_SECRET, WECOM_TOKEN, WECOM_ENCODING_AES_KEY, WECOM_API_BASE } = s;
  if (!WECOM_CORP_ID || !WECOM_AGENT_ID || !WECOM_SECRET || !WECOM_TOKEN || !WECOM_ENCODING_AES_KEY) {
    throw new Error("WeCom is not configured: set WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_SECRET, WECOM_TOKEN and WECOM_ENCODING_AES_KEY");
  }
  const agentId = Number(WECOM_AGENT_ID);
  if (!Number.isSafeInteger(agentId) || agentId <= 0) {
    throw new Error("WECOM_AGENT_ID must be the app's numeric AgentId (admin console → 应用管理 → the app)");
  }
  return { corpId: WECOM_CORP_ID, agentId, secret: WECOM_SECRET, token: WECOM_TOKEN, encodingAesKey: WECOM_ENCODING_AES_KEY, apiBase: WECOM_API_BASE };
}

/**
 * One sender per app: its API client holds the token cache, its store the card response codes (in the
 * database when given one, so every instance finds them).
 */
export function createWecomSender(deps: { settings: Settings; clock: Clock; log: Logger; http?: AxiosInstance; db?: Db }): WecomSender {
  const c = wecomCredentials(deps.settings);
  const log = deps.log.child({ channel: "wecom" });
  const api = new WecomApiClient({ baseUrl: c.apiBase, corpId: c.corpId, secret: c.secret, agentId: c.agentId, clock: deps.clock, log, http: deps.http });
  return new WecomSender(api, deps.db ? new DbResponseCodes(deps.db, deps.clock) : new MemoryResponseCodes(deps.clock), log);
}
