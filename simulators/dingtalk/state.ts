import { randomBytes } from "node:crypto";
import type { SimContacts } from "./contacts.js";
import type { OpenSpace } from "./validate.js";

/** Everything the simulator remembers; tests read it to assert what "DingTalk" received. */

export interface SimClock {
  now(): Date;
}

export type RouteName =
  | "token"
  | "legacyToken"
  | "batchSend"
  | "createAndDeliver"
  | "updateCard"
  | "registerCallback"
  | "media"
  | "session"
  | "deptListSub"
  | "userList";

export interface RecordedRequest {
  route: RouteName | "unknown";
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  status: number;
  response: unknown;
  at: number;
}

/** What a user's phone would show: one entry per message delivered. */
export interface DeliveredMessage {
  via: "oto" | "session";
  /** staffId for 1:1 API sends; for session replies, the user the chat belongs to (1:1) or undefined. */
  userId?: string;
  conversationId?: string;
  /** msgKey (API) or msgtype (webhook). */
  type: string;
  param: Record<string, unknown>;
  at: number;
}

export interface CardState {
  outTrackId: string;
  cardTemplateId: string;
  space: OpenSpace;
  recipients?: string[];
  callbackRouteKey?: string;
  publicData: Record<string, string>;
  privateData: Record<string, Record<string, string>>;
  updates: number;
}

export interface SessionState {
  conversationId: string;
  staffId?: string;
  isGroup: boolean;
  expiresAt: number;
}

export interface CallbackRecord {
  kind: "message" | "card";
  url: string;
  headers: Record<string, string>;
  /** Exactly the bytes sent, so replay() can re-send the same delivery. */
  rawBody: string;
  payload: Record<string, unknown>;
  status?: number;
  response?: unknown;
  timedOut: boolean;
  durationMs: number;
}

export interface Fault {
  route: RouteName | "*";
  /** Answer with this HTTP status (and body) instead of handling the request. */
  status?: number;
  body?: unknown;
  /** Wait before answering (or before handling, when no status is given). */
  delayMs?: number;
  /** Hold the request until this settles: a test opens it when it has seen what happens meanwhile. */
  until?: Promise<unknown>;
  /** Destroy the socket: the client sees a network error. */
  network?: boolean;
  /** How many requests it applies to (default 1). */
  times?: number;
}

export class SimState {
  readonly requests: RecordedRequest[] = [];
  readonly messages: DeliveredMessage[] = [];
  readonly callbacks: CallbackRecord[] = [];
  readonly cards = new Map<string, CardState>();
  readonly tokens = new Map<string, number>();
  readonly sessions = new Map<string, SessionState>();
  readonly media = new Map<string, { fileName: string; bytes: Buffer }>();
  readonly routes = new Map<string, { callbackUrl: string; apiSecret?: string }>();
  readonly flowControlled = new Set<string>();
  faults: (Fault & { times: number })[] = [];
  contacts: SimContacts = { departments: [], users: [] };
  qpsLimit: number | null = null;
  readonly qpsWindow = new Map<string, { second: number; count: number }>();
  private seq = 0;

  constructor(
    readonly clock: SimClock,
    public users: Set<string> | null,
  ) {}

  id(prefix: string): string {
    this.seq += 1;
    return `${prefix}${this.seq}${randomBytes(4).toString("hex")}`;
  }

  isKnownUser(staffId: string): boolean {
    return this.users === null || this.users.has(staffId);
  }

  /** Refetching within validity returns the same token (community-verified; B4 Tokens). */
  issueToken(ttlSec: number): { accessToken: string; expireIn: number } {
    const now = this.clock.now().getTime();
    for (const [token, expiresAt] of this.tokens) {
      if (expiresAt > now) return { accessToken: token, expireIn: Math.floor((expiresAt - now) / 1000) };
    }
    const token = this.id("simtoken");
    this.tokens.set(token, now + ttlSec * 1000);
    return { accessToken: token, expireIn: ttlSec };
  }

  tokenValid(token: string | undefined): boolean {
    const expiresAt = token ? this.tokens.get(token) : undefined;
    return expiresAt !== undefined && expiresAt > this.clock.now().getTime();
  }

  takeFault(route: RouteName): Fault | undefined {
    const i = this.faults.findIndex((f) => f.route === route || f.route === "*");
    if (i < 0) return undefined;
    const fault = this.faults[i];
    fault.times -= 1;
    if (fault.times <= 0) this.faults.splice(i, 1);
    return fault;
  }

  /** Fixed one-second windows per route on the real clock (QPS is about wall time, not test time). */
  overQps(route: RouteName): boolean {
    if (this.qpsLimit === null) return false;
    const second = Math.floor(Date.now() / 1000);
    const w = this.qpsWindow.get(route);
    if (!w || w.second !== second) {
      this.qpsWindow.set(route, { second, count: 1 });
      return false;
    }
    w.count += 1;
    return w.count > this.qpsLimit;
  }
}
