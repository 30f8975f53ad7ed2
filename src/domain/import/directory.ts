import type { Tx } from "../../infra/db.js";
import { RowReader } from "./cells.js";
import type { ImportInput, Problems } from "./problems.js";
import { IMPORT_ROLE_LABEL, PROVINCE_ROLES, type ImportRole } from "./sheets.js";
import { AGENCY_LEVEL_LABEL, AGENCY_MANAGEMENT_LABEL, ROLE_LABEL, type Role } from "../vocabulary.js";

/**
 * The 单位 and 人员 sheets: agencies (§2.13) and their people, merged with what the database already
 * holds, so the 目标 sheet can name agencies and owners defined in the same file.
 */
export interface AgencyEntry {
  code: string;
  name: string;
  shortName: string;
  managementType: string;
  /** 级别 (§2.16), null when never entered. */
  adminLevel: string | null;
  id: number | null;
  /** Row of the 单位 sheet that defines or updates it. */
  row?: number;
  changed?: boolean;
}

export interface UserEntry {
  account: string;
  name: string;
  role: string;
  agencyCode: string | null;
  active: boolean;
  /** Kept as stored when the sheet leaves it empty. */
  mobile: string | null;
  id: number | null;
  row?: number;
  changed?: boolean;
  /** Platform accounts to bind (those not bound to this person yet). */
  identities?: { platform: "wecom" | "dingtalk"; externalId: string }[];
}

export interface Directory {
  agencies: Map<string, AgencyEntry>;
  users: Map<string, UserEntry>;
  /** Names used by 单位 and 人员 rows that have problems: references to them are not reported twice. */
  failed: Set<string>;
}

const ROLE_ALIASES: Record<string, ImportRole> = {
  主要负责人: "head",
  一把手: "head",
  责任人: "staff",
  工作人员: "staff",
  省目标办: "office",
  目标部: "office",
  第三方: "assessor",
};

export async function loadDirectory(tx: Tx): Promise<Directory> {
  const agencies = await tx.agency.findMany({ orderBy: { id: "asc" } });
  const users = await tx.user.findMany({ include: { agency: { select: { code: true } } }, orderBy: { id: "asc" } });
  return {
    agencies: new Map(agencies.map((a) => [a.code, { code: a.code, name: a.name, shortName: a.shortName, managementType: a.managementType, adminLevel: a.adminLevel, id: a.id }])),
    users: new Map(users.map((u) => [u.account, { account: u.account, name: u.name, role: u.role, agencyCode: u.agency?.code ?? null, active: u.active, mobile: u.mobile, id: u.id }])),
    failed: new Set(),
  };
}

/** An agency as people name it: code, full name or short name. */
export function findAgencyEntry(dir: Directory, ref: string): AgencyEntry | "ambiguous" | null {
  const q = ref.replace(/\s/g, "");
  const all = [...dir.agencies.values()];
  const exact = dir.agencies.get(q.toUpperCase()) ?? all.find((a) => a.name === q);
  if (exact) return exact;
  const short = all.filter((a) => a.shortName === q);
  return short.length === 1 ? short[0] : short.length > 1 ? "ambiguous" : null;
}

/** An owner by account, or by a name unique within the agency. */
export function findUserEntry(dir: Directory, ref: string, agencyCode: string): UserEntry | "ambiguous" | null {
  const byAccount = dir.users.get(ref) ?? [...dir.users.values()].find((u) => u.account.toLowerCase() === ref.toLowerCase());
  if (byAccount) return byAccount;
  const byName = [...dir.users.values()].filter((u) => u.name === ref && u.agencyCode === agencyCode);
  return byName.length === 1 ? byName[0] : byName.length > 1 ? "ambiguous" : null;
}

/** "138 0000 0000", "+86 13800000000", "138-0000-0000" → "13800000000"; null when not a mainland mobile. */
export function normaliseMobile(text: string): string | null {
  const digits = text.replace(/[\s-]/g, "").replace(/^(\+?86)/, "");
  return /^1\d{10}$/.test(digits) ? digits : null;
}

export function agencyNotFound(ref: string): string {
  return `未找到单位“${ref}”。请填写系统中已有单位的代码、全称或简称，或在“单位”表中补充该单位。`;
}

export function checkAgencies(input: ImportInput, dir: Directory, problems: Problems): void {
  const seen = new Map<string, number>();
  for (const row of input.agencies.rows) {
    const r = new RowReader("agencies", row, problems);
    const rawCode = r.text("code", { required: true });
    const code = rawCode.toUpperCase();
    if (rawCode && !/^[A-Z][A-Z0-9]{0,15}$/.test(code)) r.fail("code", `单位代码“${rawCode}”应以字母开头，由字母和数字组成（不超过 16 位），如 FGW。`);
    const name = r.text("name", { required: true, max: 60 });
    const shortName = r.text("shortName", { required: true, max: 30 });
    const managementType = r.choice("managementType", AGENCY_MANAGEMENT_LABEL, { required: true });
    const level = r.choice("adminLevel", AGENCY_LEVEL_LABEL);
    for (const [key, value] of [["code", code], ["name", name], ["shortName", shortName]] as const) {
      const other = seen.get(`${key}:${value}`);
      if (value && other) r.fail(key, `“${value}”与第 ${other} 行重复。`);
      if (value) seen.set(`${key}:${value}`, row.row);
    }
    for (const a of dir.agencies.values()) {
      if (a.code === code || a.row !== undefined) continue;
      if (name && a.name === name) r.fail("name", `单位全称“${name}”已被系统中的单位使用（代码 ${a.code}），请核对单位代码。`);
      if (shortName && a.shortName === shortName) r.fail("shortName", `单位简称“${shortName}”已被系统中的单位使用（代码 ${a.code}），请改用其他简称。`);
    }
    if (!r.ok || !managementType) {
      for (const n of [rawCode, code, name, shortName]) if (n) dir.failed.add(n);
      continue;
    }
    const existing = dir.agencies.get(code);
    // A blank 级别 keeps what the system has, so files made before the column existed change nothing.
    const adminLevel = level ?? existing?.adminLevel ?? null;
    const changed = !existing || existing.name !== name || existing.shortName !== shortName || existing.managementType !== managementType || existing.adminLevel !== adminLevel;
    dir.agencies.set(code, { code, name, shortName, managementType, adminLevel, id: existing?.id ?? null, row: row.row, changed });
  }
}

export async function checkUsers(tx: Tx, input: ImportInput, dir: Directory, problems: Problems): Promise<void> {
  const seen = new Map<string, number>();
  const externalIds = input.users.rows.flatMap((row) => [row.cells.wecom, row.cells.dingtalk]).filter(Boolean).map(String);
  const bound = await tx.platformIdentity.findMany({ where: { externalId: { in: externalIds } }, include: { user: { select: { account: true } } } });
  for (const row of input.users.rows) {
    const r = new RowReader("users", row, problems);
    const account = r.text("account", { required: true });
    if (account && !/^[A-Za-z0-9_.@-]{2,64}$/.test(account)) r.fail("account", `账号“${account}”只能由字母、数字和 _ . @ - 组成（2–64 位）。`);
    if (account && seen.has(`account:${account}`)) r.fail("account", `账号 ${account} 与第 ${seen.get(`account:${account}`)} 行重复。`);
    seen.set(`account:${account}`, row.row);
    const name = r.text("name", { required: true, max: 30 });
    const role = r.choice("role", IMPORT_ROLE_LABEL, { required: true, aliases: ROLE_ALIASES });
    const provinceRole = role !== null && PROVINCE_ROLES.includes(role);
    const agencyRef = r.text("agency");
    if (role && !provinceRole && !agencyRef) r.fail("agency", `${IMPORT_ROLE_LABEL[role]}须填写所属单位（单位代码、全称或简称）。`);
    if (role && provinceRole && agencyRef) r.fail("agency", `${IMPORT_ROLE_LABEL[role]}人员不属于任何单位，请将“所属单位”留空。`);
    const agency = agencyRef && !provinceRole ? findAgencyEntry(dir, agencyRef) : null;
    if (agencyRef && !provinceRole && agency === null && !dir.failed.has(agencyRef)) r.fail("agency", agencyNotFound(agencyRef));
    if (agency === "ambiguous") r.fail("agency", `“${agencyRef}”对应多个单位，请填写单位代码。`);
    const existing = dir.users.get(account);
    // A person moves between agencies by import, but never between an agency and the province.
    if (existing && role && PROVINCE_ROLES.includes(existing.role as ImportRole) !== provinceRole) {
      r.fail("role", `账号 ${account} 在系统中是${ROLE_LABEL[existing.role as Role]}，不能通过导入改为${IMPORT_ROLE_LABEL[role]}。`);
    }
    const identities: UserEntry["identities"] = [];
    for (const platform of ["wecom", "dingtalk"] as const) {
      const id = r.text(platform, { max: 64 });
      if (!id) continue;
      const label = platform === "wecom" ? "企业微信账号" : "钉钉账号";
      const other = bound.find((b) => b.platform === platform && b.externalId === id && b.user.account !== account);
      if (other) r.fail(platform, `${label}“${id}”已绑定系统中的其他人员（账号 ${other.user.account}）。`);
      if (seen.has(`${platform}:${id}`)) r.fail(platform, `${label}“${id}”与第 ${seen.get(`${platform}:${id}`)} 行重复。`);
      seen.set(`${platform}:${id}`, row.row);
      identities.push({ platform, externalId: id });
    }
    const mobileText = r.text("mobile");
    const mobile = mobileText ? normaliseMobile(mobileText) : null;
    if (mobileText && !mobile) r.fail("mobile", `手机号“${mobileText}”应为 11 位数字，如 13800000000。`);
    if (!r.ok || !role || agency === "ambiguous" || (!provinceRole && !agency)) {
      for (const n of [account, name]) if (n) dir.failed.add(n);
      continue;
    }
    const agencyCode = agency?.code ?? null;
    // Only platform accounts not yet bound to this person are written.
    const unbound = identities.filter((i) => !bound.some((b) => b.platform === i.platform && b.externalId === i.externalId));
    const keptMobile = mobile ?? existing?.mobile ?? null;
    const changed = !existing || existing.name !== name || existing.role !== role || existing.agencyCode !== agencyCode || existing.mobile !== keptMobile || unbound.length > 0;
    dir.users.set(account, { account, name, role, agencyCode, active: existing?.active ?? true, mobile: keptMobile, id: existing?.id ?? null, row: row.row, changed, identities: unbound });
  }
}
