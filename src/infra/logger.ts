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

/**
 * `log.child(bindings)`, made only when first written to. A pino child with redaction costs tens of
 * microseconds to make, and a request makes several that, on the common path, never write a line.
 */
export function lazyChild(log: Logger, bindings: Record<string, unknown>): Logger {
  let real: Logger | undefined;
  const made = () => (real ??= log.child(bindings));
  return new Proxy({} as Logger, {
    get(_, prop) {
      if (prop === "child") return (more: Record<string, unknown>) => (real ? real.child(more) : lazyChild(log, { ...bindings, ...more }));
      const value = Reflect.get(made(), prop) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(made()) : value;
    },
  });
}
