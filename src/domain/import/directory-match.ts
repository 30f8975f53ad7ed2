import { normaliseMobile } from "./directory.js";

/**
 * Matching the platform's organisation (WeCom 通讯录 / DingTalk contacts) to the people already
 * imported: by mobile where the platform returns it, else by name within the agency whose full or
 * short name is the member's department name (§2.13 纳入管理部门). Only what is unambiguous is bound;
 * an existing binding is never changed.
 */
export interface OrgMember {
  externalId: string;
  name: string;
  mobile?: string;
  /** Names of the departments the member is in. */
  departments: string[];
}

/** What the platform returned and what it left out (apps created after mid-2022 get no mobile on WeCom). */
export interface OrgSnapshot {
  departments: number;
  members: OrgMember[];
  mobileReturned: boolean;
  /** False when the platform put the account id in place of the name. */
  nameReturned: boolean;
}

export interface DirectoryPerson {
  id: number;
  account: string;
  name: string;
  agency: { name: string; shortName: string } | null;
  mobile: string | null;
  /** This person's account on the platform being synced, if bound. */
  boundId: string | null;
  /** Disabled people keep their accounts but are never matched. */
  active: boolean;
}

export interface Outcome {
  member: OrgMember;
  person?: DirectoryPerson;
  reason?: string;
}

export interface MatchPlan {
  bind: Outcome[];
  already: Outcome[];
  kept: Outcome[];
  ambiguous: Outcome[];
  unmatched: Outcome[];
}

const compact = (s: string) => s.replace(/\s/g, "");
const listOf = (people: DirectoryPerson[]) => people.map((p) => p.account).join("、");

export function planDirectoryBindings(members: OrgMember[], people: DirectoryPerson[], platformLabel: string): MatchPlan {
  const plan: MatchPlan = { bind: [], already: [], kept: [], ambiguous: [], unmatched: [] };
  const boundTo = new Map(people.filter((p) => p.boundId).map((p) => [p.boundId!, p]));
  const active = people.filter((p) => p.active);
  const candidates: Outcome[] = [];
  for (const member of members) {
    const holder = boundTo.get(member.externalId);
    if (holder) {
      plan.already.push({ member, person: holder });
      continue;
    }
    const found = match(member, active);
    if ("reason" in found) (found.ambiguous ? plan.ambiguous : plan.unmatched).push({ member, reason: found.reason });
    else if (found.person.boundId) {
      plan.kept.push({ member, person: found.person, reason: `${found.person.name}（${found.person.account}）已绑定${platformLabel}账号 ${found.person.boundId}，未改动` });
    } else candidates.push({ member, person: found.person });
  }
  // Two members that land on the same person: neither is certain.
  for (const c of candidates) {
    const rivals = candidates.filter((o) => o.person === c.person && o !== c);
    if (rivals.length === 0) plan.bind.push(c);
    else plan.ambiguous.push({ member: c.member, reason: `与 ${rivals.map((r) => `${r.member.name}（${r.member.externalId}）`).join("、")} 同时对应 ${c.person!.name}（${c.person!.account}）` });
  }
  return plan;
}

function match(member: OrgMember, people: DirectoryPerson[]): { person: DirectoryPerson } | { reason: string; ambiguous: boolean } {
  const mobile = member.mobile ? normaliseMobile(member.mobile) : null;
  if (mobile) {
    const same = people.filter((p) => p.mobile === mobile);
    if (same.length === 1) return { person: same[0] };
    if (same.length > 1) return { reason: `手机号 ${mobile} 对应多名人员（${listOf(same)}）`, ambiguous: true };
  }
  const departments = member.departments.map(compact);
  const inAgency = people.filter((p) => p.agency && (departments.includes(compact(p.agency.name)) || departments.includes(compact(p.agency.shortName))));
  const depText = member.departments.join("、") || "无";
  if (inAgency.length === 0) return { reason: `所在部门（${depText}）与系统中单位的全称、简称都不相同`, ambiguous: false };
  const named = inAgency.filter((p) => compact(p.name) === compact(member.name));
  if (named.length === 1) return { person: named[0] };
  if (named.length > 1) return { reason: `${depText}有 ${named.length} 名同名人员（${listOf(named)}）`, ambiguous: true };
  return { reason: `${depText}没有名为“${member.name}”的人员`, ambiguous: false };
}
