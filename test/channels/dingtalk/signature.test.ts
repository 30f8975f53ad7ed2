import { describe, expect, it } from "vitest";
import { cardCallbackSign, MAX_SKEW_MS, robotSign, verifyCardSignature, verifyRobotSignature } from "../../../src/channels/dingtalk/signature.js";
import { signCardCallback, signRobotMessage } from "../../../simulators/dingtalk/sign.js";

// DingTalk publishes the algorithm but no input/output pair. These vectors were computed with node and
// python independently (platforms-reference.md B1/B3, marked "not official"); the first uses the
// secret from the official custom-robot signing sample ("this is secret").
const ROBOT_VECTORS = [
  { timestamp: "1577262236757", secret: "this is secret", sign: "hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM=" },
  { timestamp: "1613630252678", secret: "testAppSecret", sign: "ntHH8JdxnfG/7XJ6ZqZwQh6Xs3fKVSAsViIOUiFy+7w=" },
];
const CARD_VECTOR = { timestamp: "1700000000000", secret: "mySecret", sign: "t3jqwt0WBVsvNpgD+ncljxce56XsNOeEYafngX/BHjc=" };

describe("DingTalk robot message signature", () => {
  it.each(ROBOT_VECTORS)("signs timestamp $timestamp with the reference vector", ({ timestamp, secret, sign }) => {
    expect(robotSign(timestamp, secret)).toBe(sign);
    expect(signRobotMessage(timestamp, secret)).toBe(sign);
  });

  it("accepts a correct sign within the hour", () => {
    const { timestamp, secret, sign } = ROBOT_VECTORS[1];
    const now = new Date(Number(timestamp) + MAX_SKEW_MS);
    expect(verifyRobotSignature({ timestamp, sign, appSecret: secret, now })).toEqual({ ok: true });
  });

  it("rejects a timestamp more than an hour away, in either direction, before comparing signs", () => {
    const { timestamp, secret, sign } = ROBOT_VECTORS[1];
    const later = new Date(Number(timestamp) + MAX_SKEW_MS + 1);
    const earlier = new Date(Number(timestamp) - MAX_SKEW_MS - 1);
    expect(verifyRobotSignature({ timestamp, sign, appSecret: secret, now: later })).toEqual({ ok: false, reason: "stale" });
    expect(verifyRobotSignature({ timestamp, sign, appSecret: secret, now: earlier })).toEqual({ ok: false, reason: "stale" });
  });

  it("rejects a wrong secret, a tampered sign and missing headers", () => {
    const { timestamp, sign } = ROBOT_VECTORS[1];
    const now = new Date(Number(timestamp));
    expect(verifyRobotSignature({ timestamp, sign, appSecret: "otherSecret", now })).toEqual({ ok: false, reason: "bad_sign" });
    expect(verifyRobotSignature({ timestamp, sign: sign.slice(1), appSecret: "testAppSecret", now })).toEqual({ ok: false, reason: "bad_sign" });
    expect(verifyRobotSignature({ timestamp: "", sign, appSecret: "testAppSecret", now })).toEqual({ ok: false, reason: "missing" });
    expect(verifyRobotSignature({ timestamp, sign: undefined, appSecret: "testAppSecret", now })).toEqual({ ok: false, reason: "missing" });
  });

  it("rejects a timestamp that is not milliseconds", () => {
    const now = new Date(1613630252678);
    expect(verifyRobotSignature({ timestamp: "1613630252.678", sign: "x", appSecret: "s", now })).toEqual({ ok: false, reason: "bad_timestamp" });
  });
});

describe("DingTalk card callback signature", () => {
  it("signs the timestamp alone with the registered apiSecret", () => {
    expect(cardCallbackSign(CARD_VECTOR.timestamp, CARD_VECTOR.secret)).toBe(CARD_VECTOR.sign);
    expect(signCardCallback(CARD_VECTOR.timestamp, CARD_VECTOR.secret)).toBe(CARD_VECTOR.sign);
  });

  it("verifies and rejects like the robot signature", () => {
    const now = new Date(Number(CARD_VECTOR.timestamp) + 1000);
    expect(verifyCardSignature({ timestamp: CARD_VECTOR.timestamp, sign: CARD_VECTOR.sign, apiSecret: "mySecret", now })).toEqual({ ok: true });
    expect(verifyCardSignature({ timestamp: CARD_VECTOR.timestamp, sign: CARD_VECTOR.sign, apiSecret: "nope", now })).toEqual({ ok: false, reason: "bad_sign" });
    expect(verifyCardSignature({ timestamp: CARD_VECTOR.timestamp, sign: CARD_VECTOR.sign, apiSecret: "mySecret", now: new Date(now.getTime() + MAX_SKEW_MS) })).toEqual({
      ok: false,
      reason: "stale",
    });
  });
});
