import type { Tx } from "../../infra/db.js";
import { type Actor, requireRole } from "../people/actor.js";
import { findColleague, type Person } from "../care/absence.js";
import { ForbiddenError, InputError, StateError } from "../errors.js";
import type { TargetDetail } from "./targets.js";
import { CLOSED_STATUSES, type TargetStatus } from "../vocabulary.js";

/**
 * The agency's own target office (管理单位目标办, §2.12) names who owns each of its targets. The new
 * set replaces the old one, so a reassignment is one command.
 */
export async function assignOwners(tx: Tx, actor: Actor, target: TargetDetail, names: string[]): Promise<Person[]> {
  requireRole(actor, ["officer"], "指定目标责任人（限本单位目标办）");
  if (actor.agencyId !== target.agencyId) throw new ForbiddenError(`目标 ${target.code} 不属于本单位，不能指定其责任人。`);
  if (CLOSED_STATUSES.includes(target.status as TargetStatus)) throw new StateError(`目标 ${target.code} 已结束，无需再指定责任人。`);
  if (names.length === 0) throw new InputError("请写明责任人的姓名或账号，多人用顿号或空格分隔。");
  const people: Person[] = [];
  for (const n of names) {
    const p = await findColleague(tx, target.agencyId, n);
    if (!["staff", "officer"].includes(p.role)) throw new InputError(`${p.name} 不是目标责任人或单位目标办人员，不能指定为责任人。`);
    if (!people.some((x) => x.id === p.id)) people.push(p);
  }
  await tx.targetOwner.deleteMany({ where: { targetId: target.id } });
  await tx.targetOwner.createMany({ data: people.map((p) => ({ targetId: target.id, userId: p.id })) });
  return people;
}
