import type { AxiosInstance } from "axios";
import type { Settings } from "../../config/settings.js";
import type { Clock } from "../../infra/clock.js";
import type { Logger } from "../../infra/logger.js";
import { DingtalkApi } from "./api.js";
import { DingtalkSender, type DingtalkCardOptions } from "./sender.js";

/**
 * Builds the API client and the outbox sender from settings. Build it once and pass `api` and
 * `sender` to createDingtalkRoutes too, so both share one token cache.
 */
export function createDingtalkChannel(
  settings: Settings,
  deps: { clock: Clock; log: Logger; http?: AxiosInstance; cards?: DingtalkCardOptions },
): { api: DingtalkApi; sender: DingtalkSender } {
  const missing = (["DINGTALK_APP_KEY", "DINGTALK_APP_SECRET", "DINGTALK_ROBOT_CODE"] as const).filter((k) => !settings[k]);
  if (missing.length) throw new Error(`${missing.join(", ")} not set: the DingTalk channel needs all of DINGTALK_APP_KEY, DINGTALK_APP_SECRET, DINGTALK_ROBOT_CODE`);
  const log = deps.log.child({ channel: "dingtalk" });
  const api = new DingtalkApi({
    appKey: settings.DINGTALK_APP_KEY!,
    appSecret: settings.DINGTALK_APP_SECRET!,
    robotCode: settings.DINGTALK_ROBOT_CODE!,
    apiBase: settings.DINGTALK_API_BASE.replace(/\/+$/, ""),
    oapiBase: settings.DINGTALK_OAPI_BASE.replace(/\/+$/, ""),
    clock: deps.clock,
    log,
    http: deps.http,
  });
  return { api, sender: new DingtalkSender(api, log, deps.cards) };
}
