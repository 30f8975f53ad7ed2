import { createHmac } from "node:crypto";

/**
 * The simulator's own signing, written from the DingTalk pages rather than imported from the bot, so
 * a mistake in the bot's code cannot hide behind the same mistake here.
 * Robot message (receive-message page): Base64(HmacSHA256(appSecret, timestamp + "\n" + appSecret)).
 * Card callback (event-callback-card page): Base64(HmacSHA256(apiSecret, timestamp)).
 */
export function signRobotMessage(timestamp: string, appSecret: string): string {
  const mac = createHmac("sha256", Buffer.from(appSecret, "utf8"));
  mac.update(Buffer.from(timestamp + "\n" + appSecret, "utf8"));
  return mac.digest().toString("base64");
}

export function signCardCallback(timestamp: string, apiSecret: string): string {
  return createHmac("sha256", Buffer.from(apiSecret, "utf8")).update(Buffer.from(timestamp, "utf8")).digest().toString("base64");
}
