import type { Tx } from "../infra/db.js";
import type { Actor } from "../domain/actor.js";
import type { Role } from "../domain/vocabulary.js";

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
