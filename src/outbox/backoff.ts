/**
 * When to try a failed send again. Exponential, so a platform outage is not hammered; jittered, so
 * the rows that failed together (one outage, one rate-limit burst) do not all come back in the same
 * second and trip the limit again.
 */
export interface RetryPolicy {
  /** Delay after the first failed attempt. */
  baseMs: number;
  /** Longest delay between two attempts. */
  capMs: number;
  /** Attempts in all (the first send included) before a row is given up as `dead`. */
  maxAttempts: number;
}

/** 30 s, 1, 2, 4, 8, 16, 32 min, then dead: about an hour of trying spread over a working morning. */
export const DEFAULT_RETRY: RetryPolicy = { baseMs: 30_000, capMs: 3_600_000, maxAttempts: 8 };

/**
 * Delay before the next attempt after `attempts` attempts ("equal jitter": half fixed, half random,
 * so the delay still grows with every failure). A platform's own wait (retryAfterMs) is never cut short.
 */
export function retryDelay(attempts: number, policy: RetryPolicy, random: () => number = Math.random, retryAfterMs = 0): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.max(Math.round(exp / 2 + random() * (exp / 2)), retryAfterMs);
}
