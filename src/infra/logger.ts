import { pino, type Logger } from "pino";

export type { Logger };

/** Secrets and message bodies never reach the log, whatever a caller passes. */
const REDACT = [
  "*.secret",
  "*.appSecret",
  "*.corpsecret",
  "*.access_token",
  "*.accessToken",
  "*.token",
  "*.encodingAesKey",
  "*.password",
  "headers.sign",
  "req.headers.authorization",
];

export function createLogger(level: string = "info", destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { svc: "jxmb-bot" }, redact: { paths: REDACT, censor: "[redacted]" } }, destination);
}
