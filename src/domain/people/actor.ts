import type { Role } from "../vocabulary.js";
import { ForbiddenError } from "../errors.js";

/** The person acting, as resolved from their platform identity. */
export interface Actor {
  id: number;
  account: string;
  name: string;
  role: Role;
  agencyId: number | null;
}

/** Roles that see every agency: the provincial office and commissioned third parties (§2.24). */
export function seesProvince(actor: Actor): boolean {
  return actor.role === "office" || actor.role === "assessor";
}

/** DESIGN.md §1: officers and heads see their agency; staff see their agency's targets too, but only report on their own. */
export function canViewAgency(actor: Actor, agencyId: number): boolean {
  return seesProvince(actor) || actor.agencyId === agencyId;
}

export function assertCanViewAgency(actor: Actor, agencyId: number, what = "该单位的信息"): void {
  if (!canViewAgency(actor, agencyId)) throw new ForbiddenError(`您只能查看本单位的信息，无权查看${what}。`);
}

export function requireRole(actor: Actor, roles: readonly Role[], action: string): void {
  if (!roles.includes(actor.role)) throw new ForbiddenError(`您的角色不能${action}。`);
}
