import type { Tx } from "../infra/db.js";
import type { Actor } from "../domain/people/actor.js";
import type { Role } from "../domain/vocabulary.js";
import type { InboundEvent } from "./event.js";
import { storableText } from "./normalize.js";

/** identity → user → role and agency. Null when the platform account is not bound to anyone. */
export async function resolveActor(tx: Tx, platform: string, externalId: string): Promise<Actor | "inactive" | null> {
  const identity = await tx.platformIdentity.findUnique({
    where: { platform_externalId: { platform, externalId } },
    include: { user: true },
  });
  if (!identity) return null;
  const u = identity.user;
  if (!u.active) return "inactive";
  return { id: u.id, account: u.account, name: u.name, role: u.role as Role, agencyId: u.agencyId };
}

/** Platforms whose accounts can be bound later with 绑定 (the console has no platform accounts). */
const BINDABLE = new Set(["wecom", "dingtalk"]);
const LAST_TEXT_MAX = 100;

/**
 * The first LAST_TEXT_MAX characters, counted as characters, not UTF-16 units: cutting an emoji in
 * half leaves a lone surrogate, which the database driver refuses as malformed text; control
 * characters (NUL above all, which PostgreSQL refuses in text) are dropped for the same reason.
 */
function clip(text: string): string {
  return storableText(Array.from(text).slice(0, LAST_TEXT_MAX).join(""));
}

/**
 * Remembers a platform account nobody is bound to (未登记), so the office can bind it with 绑定: the
 * platform, the account, first and last seen, and the last text cut short — nothing else.
 */
export async function rememberUnknownSender(tx: Tx, event: InboundEvent, now: Date): Promise<void> {
  if (!BINDABLE.has(event.platform)) return;
  const lastText = event.body.type === "text" ? clip(event.body.text.trim()) : event.body.type === "file" ? clip(`［文件］${event.body.fileName}`) : undefined;
  await tx.unknownSender.upsert({
    where: { platform_externalId: { platform: event.platform, externalId: event.senderId } },
    create: { platform: event.platform, externalId: event.senderId, firstSeenAt: now, lastSeenAt: now, lastText: lastText ?? null },
    update: { lastSeenAt: now, ...(lastText !== undefined ? { lastText } : {}) },
  });
}
