import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * DingTalk request signatures (node:crypto only).
 *
 * Robot messages, HTTP mode (open.dingtalk.com/document/orgapp/receive-message): headers `timestamp`
 * (ms) and `sign` = Base64(HMAC-SHA256(key = AppSecret, data = timestamp + "\n" + AppSecret)); the
 * request is illegal when the timestamp is more than one hour away from now.
 *
 * Interactive-card callbacks, HTTP mode (open.dingtalk.com/document/orgapp/event-callback-card): headers
 * `x-ddpaas-signature-timestamp` (ms) and `x-ddpaas-signature` = Base64(HMAC-SHA256(key = apiSecret,
 * data = timestamp)), where apiSecret is the one registered with POST /v1.0/card/callbacks/register.
 * The page gives no skew limit for this one; we apply the robot's hour.
 */

/** The robot page's window; also used for card callbacks (undocumented there). */
export const MAX_SKEW_MS = 60 * 60 * 1000;

export type SignatureCheck = { ok: true } | { ok: false; reason: "missing" | "bad_timestamp" | "stale" | "bad_sign" };

export function robotSign(timestamp: string, appSecret: string): string {
  return createHmac("sha256", appSecret).update(`${timestamp}\n${appSecret}`, "utf8").digest("base64");
}

export function cardCallbackSign(timestamp: string, apiSecret: string): string {
  return createHmac("sha256", apiSecret).update(timestamp, "utf8").digest("base64");
}

export function verifyRobotSignature(input: { timestamp?: string; sign?: string; appSecret: string; now: Date }): SignatureCheck {
  return verify(input, robotSign);
}

export function verifyCardSignature(input: { timestamp?: string; sign?: string; apiSecret: string; now: Date }): SignatureCheck {
  return verify({ timestamp: input.timestamp, sign: input.sign, appSecret: input.apiSecret, now: input.now }, cardCallbackSign);
}

function verify(
  { timestamp, sign, appSecret, now }: { timestamp?: string; sign?: string; appSecret: string; now: Date },
  compute: (timestamp: string, secret: string) => string,
): SignatureCheck {
  if (!timestamp || !sign) return { ok: false, reason: "missing" };
  if (!/^\d{1,16}$/.test(timestamp)) return { ok: false, reason: "bad_timestamp" };
  if (Math.abs(now.getTime() - Number(timestamp)) > MAX_SKEW_MS) return { ok: false, reason: "stale" };
  return safeEqual(compute(timestamp, appSecret), sign) ? { ok: true } : { ok: false, reason: "bad_sign" };
}

/** Constant-time compare; a length mismatch is answered without comparing bytes (length is not secret). */
function safeEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(given, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
