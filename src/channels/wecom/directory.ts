import type { OrgMember, OrgSnapshot } from "../../domain/import/directory-match.js";
import type { WecomApiClient } from "./api.js";

/**
 * Reads the WeCom organisation the app can see: the department list (doc 90208), then each
 * department's members (doc 90201), merged by userid across the departments a member belongs to.
 */
export async function readWecomDirectory(api: WecomApiClient): Promise<OrgSnapshot> {
  const departments = await api.listDepartments();
  const names = new Map(departments.map((d) => [d.id, d.name]));
  const members = new Map<string, OrgMember>();
  for (const d of departments) {
    for (const m of await api.listDepartmentMembers(d.id)) {
      if (!m.userid) continue;
      const known = members.get(m.userid);
      const deps = m.department.map((id) => names.get(id)).filter((n): n is string => Boolean(n));
      if (known) known.departments = [...new Set([...known.departments, ...deps])];
      else members.set(m.userid, { externalId: m.userid, name: m.name, mobile: m.mobile, departments: deps.length ? deps : [d.name] });
    }
  }
  const list = [...members.values()];
  return {
    departments: departments.length,
    members: list,
    mobileReturned: list.some((m) => m.mobile),
    nameReturned: list.length === 0 || list.some((m) => m.name && m.name !== m.externalId),
  };
}
