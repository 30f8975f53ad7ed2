import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Signed links to the status board (看板). The token names what it opens — the whole province or
 * one agency — and until when; an HMAC-SHA256 over both with LINK_SECRET keeps either from being
 * changed. Anyone holding a valid link sees its scope, so links are short-lived (BOARD_LINK_TTL_HOURS).
 *
 * Format: `v1.<scope>.<expiry, unix seconds>.<base64url signature>`, scope `p` or `a<agencyId>`.
 */
export type BoardScope = { kind: "province" } | { kind: "agency"; agencyId: number };

export type LinkCheck = { ok: true; scope: BoardScope; expiresAt: Date } | { ok: false; reason: "malformed" | "tampered" | "expired" };

function scopeCode(scope: BoardScope): string {
  return scope.kind === "province" ? "p" : `a${scope.agencyId}`;
}

function sign(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body).digest("base64url");
}

export function signBoardToken(scope: BoardScope, expiresAt: Date, secret: string): string {
  const body = `v1.${scopeCode(scope)}.${Math.floor(expiresAt.getTime() / 1000)}`;
  return `${body}.${sign(body, secret)}`;
}

/** The signature is checked before the expiry, so a tampered link never learns whether it was current. */
export function verifyBoardToken(token: string | undefined, secret: string, now: Date): LinkCheck {
  const m = /^v1\.(p|a[1-9]\d{0,9})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token ?? "");
  if (!m) return { ok: false, reason: "malformed" };
  const expected = Buffer.from(sign(`v1.${m[1]}.${m[2]}`, secret));
  const given = Buffer.from(m[3]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: "tampered" };
  const expiresAt = new Date(Number(m[2]) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  const scope: BoardScope = m[1] === "p" ? { kind: "province" } : { kind: "agency", agencyId: Number(m[1].slice(1)) };
  return { ok: true, scope, expiresAt };
}

/** The link a 看板 reply carries. */
export function boardUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/board?t=${encodeURIComponent(token)}`;
}
