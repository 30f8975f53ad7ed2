import type { Tx } from "../../infra/db.js";
import { findAgency } from "./agencies.js";
import { InputError, NotFoundError, StateError } from "../errors.js";
import { normaliseMobile } from "../import/directory.js";
import { ROLE_LABEL, type Role } from "../vocabulary.js";

/**
 * People and their platform accounts, kept by the operator (`npm run cli -- user …`) and the office
 * (绑定 in chat). A person is never deleted: disabling keeps the ledger, appeals and verifications they
 * signed (§7.3 records who reported) and only stops them from acting.
 */
export type BindablePlatform = "wecom" | "dingtalk";
export const PLATFORM_LABEL: Record<BindablePlatform, string> = { wecom: "企业微信", dingtalk: "钉钉" };

/** The province's own roles: no agency (目标办 §2.12, 第三方机构 §2.24). */
export const PROVINCE_ROLES: readonly Role[] = ["office", "assessor"];

const ROLE_WORDS: Record<string, Role> = {
  目标办: "office",
  省目标办: "office",
  目标部: "office",
  单位目标办: "officer",
  单位主要负责人: "head",
  主要负责人: "head",
  一把手: "head",
  目标责任人: "staff",
  责任人: "staff",
  第三方机构: "assessor",
  第三方: "assessor",
};
const ROLE_CHOICES = "目标办、单位目标办、单位主要负责人、目标责任人、第三方机构";

/** Same rule as the 人员 sheet's 账号 column. */
const ACCOUNT = /^[A-Za-z0-9_.@-]{2,64}$/;
/** WeCom userid: 1–64 bytes of letters, digits and _-@. (doc 90195); DingTalk userids fit the same bound. */
const EXTERNAL_ID = /^[A-Za-z0-9_.@$:-]{1,64}$/;

export function parseRole(word: string): Role {
  const w = word.trim();
  const role = ROLE_WORDS[w] ?? (Object.keys(ROLE_LABEL).includes(w.toLowerCase()) ? (w.toLowerCase() as Role) : undefined);
  if (!role) throw new InputError(`“${w}”不是有效的角色，应为${ROLE_CHOICES}之一。`);
  return role;
}

export function parsePlatform(word: string): BindablePlatform {
  const w = word.trim().toLowerCase();
  if (w === "wecom" || w === "企业微信") return "wecom";
  if (w === "dingtalk" || w === "钉钉") return "dingtalk";
  throw new InputError(`“${word}”不是可绑定的平台，应为 wecom（企业微信）或 dingtalk（钉钉）。`);
}

export interface NewPerson {
  account: string;
  name: string;
  role: string;
  agency?: string;
  wecom?: string;
  dingtalk?: string;
  mobile?: string;
}

export async function addPerson(tx: Tx, p: NewPerson): Promise<{ id: number; account: string; name: string; role: Role; agency: string | null }> {
  if (!ACCOUNT.test(p.account)) throw new InputError(`账号“${p.account}”只能由字母、数字和 _ . @ - 组成（2–64 位）。`);
  const name = p.name.trim();
  if (!name || name.length > 30) throw new InputError("姓名不能为空，最多 30 字。");
  const role = parseRole(p.role);
  const existing = await tx.user.findUnique({ where: { account: p.account } });
  if (existing) throw new StateError(`账号 ${p.account} 已存在（${existing.name}，${ROLE_LABEL[existing.role as Role]}），未作修改。`);
  const province = PROVINCE_ROLES.includes(role);
  if (province && p.agency) throw new InputError(`${ROLE_LABEL[role]}人员不属于任何单位，请不要填写单位。`);
  if (!province && !p.agency) throw new InputError(`${ROLE_LABEL[role]}须填写所属单位（单位代码、全称或简称）。`);
  const mobile = p.mobile ? normaliseMobile(p.mobile) : null;
  if (p.mobile && !mobile) throw new InputError(`手机号“${p.mobile}”应为 11 位数字，如 13800000000。`);
  const agency = p.agency ? await findAgency(tx, p.agency) : null;
  const user = await tx.user.create({ data: { account: p.account, name, role, mobile, agencyId: agency?.id ?? null } });
  for (const platform of ["wecom", "dingtalk"] as const) {
    const id = p[platform];
    if (id) await bindIdentity(tx, p.account, platform, id);
  }
  return { id: user.id, account: user.account, name, role, agency: agency?.shortName ?? null };
}

export interface BindResult {
  user: { id: number; account: string; name: string; role: Role; agencyId: number | null };
  /** False when the account was already bound to this person (nothing written). */
  changed: boolean;
  /** The person's earlier account on this platform, replaced by this one. */
  replaced: string | null;
}

/**
 * Binds a WeCom userid / DingTalk userId to a person: one account per platform and person, and a
 * platform account belongs to one person only (refused, never taken over, when bound to someone else).
 */
export async function bindIdentity(tx: Tx, account: string, platform: BindablePlatform, externalId: string): Promise<BindResult> {
  const id = externalId.trim();
  const label = PLATFORM_LABEL[platform];
  if (!EXTERNAL_ID.test(id)) throw new InputError(`${label}账号“${id}”格式不正确（字母、数字和 _ - @ . 组成，最长 64 位）。`);
  const user = await tx.user.findUnique({ where: { account } });
  if (!user) throw new NotFoundError(`未找到账号 ${account}。请先导入人员或用 npm run cli -- user add 新增。`);
  if (!user.active) throw new StateError(`账号 ${account}（${user.name}）已停用，不能绑定平台账号。`);
  const person = { id: user.id, account: user.account, name: user.name, role: user.role as Role, agencyId: user.agencyId };
  const holder = await tx.platformIdentity.findUnique({ where: { platform_externalId: { platform, externalId: id } }, include: { user: true } });
  if (holder && holder.userId !== user.id) {
    throw new StateError(`${label}账号“${id}”已绑定${holder.user.name}（账号 ${holder.user.account}），不能再绑定给${user.name}。请核对账号。`);
  }
  if (holder) return { user: person, changed: false, replaced: null };
  const previous = await tx.platformIdentity.findFirst({ where: { userId: user.id, platform } });
  if (previous) await tx.platformIdentity.delete({ where: { id: previous.id } });
  await tx.platformIdentity.create({ data: { platform, externalId: id, userId: user.id } });
  // Once bound, the account is no longer 未登记.
  await tx.unknownSender.deleteMany({ where: { platform, externalId: id } });
  return { user: person, changed: true, replaced: previous?.externalId ?? null };
}

/** Stops a person from acting; their records stay as they are. */
export async function disablePerson(tx: Tx, account: string): Promise<{ name: string; already: boolean }> {
  const user = await tx.user.findUnique({ where: { account } });
  if (!user) throw new NotFoundError(`未找到账号 ${account}。`);
  if (!user.active) return { name: user.name, already: true };
  await tx.user.update({ where: { id: user.id }, data: { active: false } });
  return { name: user.name, already: false };
}

export interface PersonRow {
  account: string;
  name: string;
  role: string;
  agency: string;
  active: boolean;
  accounts: string;
}

/** Everyone, or one agency's people, agency by agency. */
export async function listPeople(tx: Tx, agencyRef?: string): Promise<PersonRow[]> {
  const agency = agencyRef ? await findAgency(tx, agencyRef) : null;
  const users = await tx.user.findMany({
    where: agency ? { agencyId: agency.id } : {},
    include: { agency: true, identities: { orderBy: { platform: "asc" } } },
    orderBy: [{ agencyId: "asc" }, { id: "asc" }],
  });
  return users.map((u) => ({
    account: u.account,
    name: u.name,
    role: ROLE_LABEL[u.role as Role] ?? u.role,
    agency: u.agency?.shortName ?? "（省级）",
    active: u.active,
    accounts: u.identities.filter((i) => i.platform in PLATFORM_LABEL).map((i) => `${PLATFORM_LABEL[i.platform as BindablePlatform]} ${i.externalId}`).join("，") || "未绑定",
  }));
}
