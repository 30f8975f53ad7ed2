import { randomBytes } from "node:crypto";

/**
 * What the simulated WeCom remembers: tokens, media, sent cards and their response codes, and each
 * member's "phone screen" (every message that actually reached them, in order).
 */

export type Obj = Record<string, unknown>;

export interface ScreenItem {
  via: "api" | "passive";
  msgtype: string;
  content?: string;
  /** WeCom cut the text at 2048 bytes. */
  truncated?: boolean;
  card?: Obj;
  taskId?: string;
  mediaId?: string;
  at: number;
}

export interface SimCard {
  taskId: string;
  cardType: string;
  card: Obj;
  recipients: string[];
  /** Clickable keys: buttons, submit button, menu. */
  keys: string[];
  /** Per member: the replace_name once the member's buttons were greyed out. */
  replaced: Map<string, string>;
  sentAt: number;
}

export interface SimMedia {
  data: Buffer;
  fileName: string;
  contentType: string;
  type: string;
  createdAt: number;
}

interface TokenInfo {
  expiresAt: number;
  state: "valid" | "expired" | "revoked";
}

export type TokenStatus = "ok" | "missing" | "invalid" | "expired";

const DAY_MS = 24 * 3600_000;
/** response_code: single use, 72 h (doc 94888). */
const RESPONSE_CODE_TTL_MS = 3 * DAY_MS;
/** Temporary media lives 3 days (doc 90253). */
const MEDIA_TTL_MS = 3 * DAY_MS;

export interface StateConfig {
  now: () => number;
  tokenTtlSeconds: number;
  perUserPerMinute: number;
  perUserPerHour: number;
}

export class SimState {
  readonly media = new Map<string, SimMedia>();
  readonly cards = new Map<string, SimCard>();
  readonly screens = new Map<string, ScreenItem[]>();
  /** Messages WeCom accepted (errcode 0) but silently dropped for the per-member limits (doc 90312). */
  readonly dropped: { userid: string; item: ScreenItem }[] = [];
  private readonly tokens = new Map<string, TokenInfo>();
  private current?: string;
  private readonly responseCodes = new Map<string, { taskId: string; issuedAt: number; used: boolean }>();
  private readonly deliveries = new Map<string, number[]>();
  private seq = 0;

  constructor(private readonly cfg: StateConfig) {}

  now(): number {
    return this.cfg.now();
  }

  nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}${this.seq}${randomBytes(4).toString("hex")}`;
  }

  /** Within its validity WeCom hands out the same token again (doc 91039). */
  issueToken(): { token: string; expiresIn: number } {
    const now = this.now();
    const cur = this.current ? this.tokens.get(this.current) : undefined;
    if (this.current && cur && cur.state === "valid" && cur.expiresAt > now) {
      return { token: this.current, expiresIn: Math.ceil((cur.expiresAt - now) / 1000) };
    }
    const token = randomBytes(48).toString("base64url");
    this.tokens.set(token, { expiresAt: now + this.cfg.tokenTtlSeconds * 1000, state: "valid" });
    this.current = token;
    return { token, expiresIn: this.cfg.tokenTtlSeconds };
  }

  tokenStatus(token: string | undefined): TokenStatus {
    if (!token) return "missing";
    const info = this.tokens.get(token);
    if (!info || info.state === "revoked") return "invalid";
    if (info.state === "expired" || info.expiresAt <= this.now()) return "expired";
    return "ok";
  }

  /** Later calls with any issued token get 42001. */
  expireTokens(): void {
    for (const info of this.tokens.values()) if (info.state === "valid") info.state = "expired";
    this.current = undefined;
  }

  /** Later calls with any issued token get 40014 (WeCom may invalidate early). */
  invalidateTokens(): void {
    for (const info of this.tokens.values()) info.state = "revoked";
    this.current = undefined;
  }

  issuedTokens(): number {
    return this.tokens.size;
  }

  issueResponseCode(taskId: string): string {
    const code = randomBytes(24).toString("base64url");
    this.responseCodes.set(code, { taskId, issuedAt: this.now(), used: false });
    return code;
  }

  /** Consumes a response code; the reason when it cannot be used. */
  useResponseCode(code: string): { taskId: string } | { error: string } {
    const entry = this.responseCodes.get(code);
    if (!entry) return { error: "invalid response_code" };
    if (entry.used) return { error: "response_code already used" };
    if (this.now() - entry.issuedAt > RESPONSE_CODE_TTL_MS) return { error: "response_code expired" };
    entry.used = true;
    return { taskId: entry.taskId };
  }

  mediaFor(id: string): SimMedia | undefined {
    const m = this.media.get(id);
    return m && this.now() - m.createdAt <= MEDIA_TTL_MS ? m : undefined;
  }

  /** userids are case-insensitive in WeCom, so screens are keyed lower-case. */
  screen(userid: string): ScreenItem[] {
    const key = userid.toLowerCase();
    let s = this.screens.get(key);
    if (!s) this.screens.set(key, (s = []));
    return s;
  }

  /**
   * Puts a pushed message on the member's screen unless the member already got 30 this minute or
   * 1,000 this hour from the app — then WeCom drops it without an error (doc 90312).
   */
  private readonly recentContent = new Map<string, number>();
  /** Messages WeCom's duplicate check swallowed, for assertions. */
  readonly duplicatesSuppressed: { userid: string; msgtype: string }[] = [];

  isDuplicate(userid: string, msgtype: string, part: unknown, intervalSeconds: number): boolean {
    const key = `${userid.toLowerCase()}|${msgtype}|${JSON.stringify(part)}`;
    const now = this.now();
    const last = this.recentContent.get(key);
    if (last !== undefined && now - last < intervalSeconds * 1000) {
      this.duplicatesSuppressed.push({ userid, msgtype });
      return true;
    }
    this.recentContent.set(key, now);
    return false;
  }

  deliver(userid: string, item: ScreenItem): boolean {
    const now = this.now();
    userid = userid.toLowerCase();
    const times = (this.deliveries.get(userid) ?? []).filter((t) => now - t < 3600_000);
    const lastMinute = times.filter((t) => now - t < 60_000).length;
    if (lastMinute >= this.cfg.perUserPerMinute || times.length >= this.cfg.perUserPerHour) {
      this.deliveries.set(userid, times);
      this.dropped.push({ userid, item });
      return false;
    }
    times.push(now);
    this.deliveries.set(userid, times);
    this.screen(userid).push(item);
    return true;
  }

  reset(): void {
    this.media.clear();
    this.cards.clear();
    this.screens.clear();
    this.recentContent.clear();
    this.duplicatesSuppressed.length = 0;
    this.dropped.length = 0;
    this.responseCodes.clear();
    this.deliveries.clear();
  }
}
