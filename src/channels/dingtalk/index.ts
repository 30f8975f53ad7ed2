/** The DingTalk channel's public surface: routes for the Koa app, the outbox sender, the API client. */
export { createDingtalkRoutes, type DingtalkReceiverDeps } from "./receiver.js";
export { createDingtalkChannel } from "./channel.js";
export { DingtalkSender, type DingtalkCardOptions } from "./sender.js";
export { DingtalkApi, type DingtalkApiConfig } from "./api.js";
export { DingtalkApiError } from "./errors.js";
export { BackgroundTasks } from "./background.js";
export { robotSign, cardCallbackSign, verifyRobotSignature, verifyCardSignature } from "./signature.js";
