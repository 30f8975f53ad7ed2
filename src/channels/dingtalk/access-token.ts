import type { Clock } from "../../infra/clock.js";

/**
 * One cached app access token (POST /v1.0/oauth2/accessToken → {accessToken, expireIn: 7200}).
 * Refreshed 5 minutes before it expires so a request never leaves with a token about to die;
 * concurrent callers share one fetch instead of stampeding the token endpoint (20 QPS per API).
 */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

export interface FetchedToken {
  token: string;
  expiresInSec: number;
}

export class AccessTokenCache {
  private cached?: { token: string; refreshAt: number };
  private inflight?: Promise<string>;

  constructor(
    private readonly fetchToken: () => Promise<FetchedToken>,
    private readonly clock: Clock,
  ) {}

  async get(): Promise<string> {
    if (this.cached && this.clock.now().getTime() < this.cached.refreshAt) return this.cached.token;
    this.inflight ??= this.refresh().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** Drops the token after the platform refused it, unless another caller already replaced it. */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private async refresh(): Promise<string> {
    const { token, expiresInSec } = await this.fetchToken();
    const lifetime = expiresInSec * 1000;
    // A short-lived token (tests, odd responses) is refreshed at half-life instead of never.
    const margin = lifetime > 2 * REFRESH_MARGIN_MS ? REFRESH_MARGIN_MS : lifetime / 2;
    this.cached = { token, refreshAt: this.clock.now().getTime() + lifetime - margin };
    return token;
  }
}
