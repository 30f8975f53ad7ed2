/** The WeCom channel's public surface: the callback routes and the outbox sender. */
export { createWecomRoutes, WECOM_CALLBACK_PATH, PASSIVE_BUDGET_MS, type WecomRoutesDeps } from "./receiver.js";
export { createWecomSender, wecomCredentials, type WecomCredentials } from "./create-sender.js";
export { WecomSender, classify } from "./sender.js";
export { WecomApiClient, WecomApiError, WecomHttpError, type WecomApiOptions } from "./api.js";
export { MAX_TIMESTAMP_SKEW_MS, MAX_BODY_BYTES } from "./callback-guard.js";
export { DbResponseCodes, MemoryResponseCodes, type ResponseCodeStore } from "./response-codes.js";
